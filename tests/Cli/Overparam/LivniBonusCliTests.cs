using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Cli.Tests.Overparam;

public class LivniBonusCliTests
{
    private static readonly ProblemSetting Small = new(D: 12, N: 2, R0: 4, Batch: 4, EpochSize: 40);

    private static LivniBonusPlan SmallPlan() => new(
    [
        LivniBonusPlan.Homework(3) with { Eta = 0.02, Batch = 4 },
        new BonusSetting("tuned", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.02, WidthRule.Tuned, 4, 3),
        new BonusSetting("adam", OptimizerKind.Adam, Parameterization.Ntk, 1, 0.003, WidthRule.Constant, 8, 3),
    ], Seeds: 2, Multiples: [1, 2], TuningFactors: [0.5, 1, 1e5], TuningEpochs: 2, NearZeroFraction: 0.5, Problem: Small);

    [Fact]
    public void StudyWritesEveryFileAndTheSectionStatesCriteriaAndAnswers()
    {
        using var temporary = new TemporaryFolder("livni-", create: false);
        string dir = temporary.Path;
        var ctx = new RunContext(dir, seed: 5, threads: 2, quiet: true, output: TextWriter.Null);
        ctx.PrepareOutput();
        LivniBonusResult result = LivniBonusExperiment.Run(ctx.Experiment, SmallPlan());
        var section = LivniBonusCommand.Write(ctx, result);
        string Path_(string f) => Path.Combine(dir, f);

        string[] settings = File.ReadAllLines(Path_(LivniBonusCommand.SettingsCsv));
        Assert.Equal(4, settings.Length);
        string[] header = settings[0].Split(',');
        foreach (string column in new[] { "setting", "optimizer", "parameterization", "init_scale", "eta", "eta_rule", "eta_per_width", "batch", "epochs", "seeds", "livni_pattern", "near_zero_all_widths" })
            Assert.Contains(column, header);
        Assert.StartsWith("tuned,sgd,,standard,1,init_scale/sqrt(r),init_scale/sqrt(D),1,0.02,tuned,", settings[2]);
        Assert.Contains("adam,adam,beta1=0.9;beta2=0.999;eps=1E-08,ntk,1/sqrt(r),init_scale,", settings[3]);

        // Every run's curve: 3 settings x 2 seeds x 2 widths x 3 epochs, a row each.
        Assert.Equal(1 + 3 * 2 * 2 * 3, File.ReadAllLines(Path_(LivniBonusCommand.RunsCsv)).Length);
        // The instance: U0 (n x r0) and V0 (D x r0) of both seeds and of the tuning seed, one entry per row.
        Assert.Equal(1 + 3 * 2 * 4, File.ReadAllLines(Path_(LivniBonusCommand.U0Csv)).Length);
        Assert.Equal(1 + 3 * 12 * 4, File.ReadAllLines(Path_(LivniBonusCommand.V0Csv)).Length);
        Assert.Equal("seed,row,col,value", File.ReadAllLines(Path_(LivniBonusCommand.V0Csv))[0]);
        Assert.Equal(1 + 2 * 3, File.ReadAllLines(Path_(LivniBonusCommand.TuningCsv)).Length);
        Assert.True(File.Exists(Path_(LivniBonusCommand.FigurePng)));
        Assert.True(File.Exists(Path_(LivniBonusCommand.FigureCsv)));
        Assert.True(File.Exists(Path_(LivniBonusCommand.SummaryCsv)));

        Assert.Contains($"](livni-bonus/{LivniBonusCommand.FigurePng})", section.Markdown);
        Assert.Contains(LivniPattern.Statement, section.Markdown);
        Assert.Contains("**Answer (1), Livni et al.'s pattern.** " + LivniBonusConclusion.Pattern(result), section.Markdown);
        Assert.Contains("**Answer (2), near-zero error at every width.** " + LivniBonusConclusion.Converse(result), section.Markdown);
        Assert.Contains("**Why.** " + LivniBonusConclusion.Mechanism(result), section.Markdown);
        // Three epochs against a 50-epoch halving period: the step is never halved, and the design says so.
        Assert.Contains("fresh samples, eta constant.", section.Markdown);
        Assert.DoesNotContain("halved every", section.Markdown);
    }

    [Fact]
    public void SameFilesWhateverTheThreadCount()
    {
        string one = Path.Combine(Path.GetTempPath(), $"livni-{Guid.NewGuid():N}"), two = Path.Combine(Path.GetTempPath(), $"livni-{Guid.NewGuid():N}");
        try
        {
            foreach (var (dir, threads) in new[] { (one, 1), (two, 2) })
            {
                var ctx = new RunContext(dir, seed: 3, threads: threads, quiet: true, output: TextWriter.Null);
                ctx.PrepareOutput();
                LivniBonusCommand.Write(ctx, LivniBonusExperiment.Run(ctx.Experiment, SmallPlan()));
            }
            foreach (string file in new[] { LivniBonusCommand.SettingsCsv, LivniBonusCommand.RunsCsv, LivniBonusCommand.SummaryCsv, LivniBonusCommand.FigureCsv, LivniBonusCommand.TuningCsv })
                Assert.Equal(File.ReadAllBytes(Path.Combine(one, file)), File.ReadAllBytes(Path.Combine(two, file)));
        }
        finally
        {
            foreach (string dir in new[] { one, two }) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--seeds", "1")]
    [InlineData("--settings", "no-such-setting")]
    [InlineData("--settings", ",")]
    [InlineData("--settings", "homework,homework")]
    [InlineData("--settings", "homework,")]
    public void BadOptionsAreOneLineAndExitCodeTwo(string option, string value)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), $"livni-{Guid.NewGuid():N}");
        // --quick with one epoch and two seeds: a wrongly accepted value ends in seconds and fails the test instead of running the full study.
        string[] small = option == "--settings" ? ["--quick", "--epochs", "1", "--seeds", "2"] : [];
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["livni-bonus", .. small, option, value, "--out", dir, "--quiet"], err));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith($"engine: {option}: ", err.ToString());
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void QuickPlanAsksTheSameQuestionsInLessTime()
    {
        LivniBonusPlan quick = LivniBonusPlan.Quick, full = LivniBonusPlan.Default;
        Assert.True(quick.Seeds >= 3 && quick.Seeds <= full.Seeds);
        Assert.All(quick.Settings, s => Assert.Contains(full.Settings, f => f.Name == s.Name));
        Assert.True(quick.Settings.Sum(s => s.Epochs) < full.Settings.Sum(s => s.Epochs) / 4);
        Assert.Equal(full.Multiples, quick.Multiples);
    }

    [Fact]
    public void The_report_runs_the_full_study_and_a_shorter_run_says_its_answers_are_for_its_budget()
    {
        // engine all answers the bonus at the homework's budget; only its smoke test runs less.
        Assert.Same(LivniBonusPlan.Default, LivniBonusCommand.ReportPlan(quick: false));
        Assert.Same(LivniBonusPlan.Smoke, LivniBonusCommand.ReportPlan(quick: true));
        Assert.Null(LivniBonusSection.ShorterThanTheStudy(LivniBonusPlan.Default));
        Assert.Null(LivniBonusSection.ShorterThanTheStudy(LivniBonusPlan.Default.WithEpochs(400)));
        string? quick = LivniBonusSection.ShorterThanTheStudy(LivniBonusPlan.Quick);
        Assert.StartsWith("**A shorter run than the full study** (6 of its 12 settings, 3 seeds instead of 5, 30 epochs instead of the homework's 200, inner sweeps of 5 epochs instead of 20): its answers are for what it ran only.", quick);
        Assert.Contains("(1 of its 12 settings)", LivniBonusSection.ShorterThanTheStudy(LivniBonusPlan.Default with { Settings = [LivniBonusPlan.Homework(200)] }));
    }

    [Fact]
    public void A_stable_step_at_the_top_of_the_tuning_grid_is_a_lower_bound()
    {
        TrainingCurve Ran(double eta) => new(new TrainingSettings(60, eta, 10, 2), [1.0, 0.5], null, 1.0);
        TrainingCurve Diverged(double eta) => new(new TrainingSettings(60, eta, 10, 2), [], 1, 1.0);
        Assert.Equal("at least 0.16 (the top of the grid)", LivniBonusSection.Stable(new TuningResult(1, 60, [0.04, 0.08, 0.16], [Ran(0.04), Ran(0.08), Ran(0.16)])));
        Assert.Equal("0.08", LivniBonusSection.Stable(new TuningResult(1, 60, [0.04, 0.08, 0.16], [Ran(0.04), Ran(0.08), Diverged(0.16)])));
    }
}
