using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Experiments.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Cli.Overparam;

/// <summary><c>engine livni-bonus</c>: HW2 2(e), the bonus study over settings and seeds, with its files and report section.</summary>
public sealed class LivniBonusCommand : IReportedCommand
{
    public string Folder => "livni-bonus";

    /// <inheritdoc/>
    public double RelativeCost => 50;

    /// <summary>
    /// The plan the report entry runs: under <c>engine all</c> the full study, whose answers are the homework's (a shorter
    /// budget can change them: a setting that needs 80 epochs to reach near-zero error has not at 30); under
    /// <c>engine all --quick</c>, a smoke test, <see cref="LivniBonusPlan.Smoke"/>.
    /// </summary>
    internal static LivniBonusPlan ReportPlan(bool quick) => quick ? LivniBonusPlan.Smoke : LivniBonusPlan.Default;

    public IEnumerable<Command> Create(CommonOptions common)
    {
        LivniBonusPlan shortForm = LivniBonusPlan.Quick, full = LivniBonusPlan.Default;
        var quick = Options.Flag("--quick", string.Create(ReportFormat.Provider,
            $"Run a short form: {shortForm.Settings.Count} of the {full.Settings.Count} settings, {shortForm.Seeds} seeds, {shortForm.Settings[0].Epochs} epochs; the same questions, answered for that budget only"));
        var epochs = Options.Int("--epochs", full.Settings[0].Epochs,
            $"Epochs of every setting ({shortForm.Settings[0].Epochs} with --quick unless given)", max: 100_000);
        var seeds = Options.Int("--seeds", full.Seeds,
            $"Planted networks and initializations per setting, at least 2 for an interval ({shortForm.Seeds} with --quick unless given)", min: 2, max: 1000);
        var only = Options.NameList("--settings", "Run only these settings, named as in settings.csv", "every setting of the plan");
        var timeSteps = Options.Flag("--time-steps", "Only measure the time of one training step per optimizer, batch and width, and the plan's projected run time; run nothing else");
        var command = new Command("livni-bonus", "HW2 2(e), bonus: which settings (init scale, eta per width, batch, optimizer, parameterization) make wider networks train faster and lower, as in Livni et al., and which get every width to near-zero error; intervals over seeds");
        foreach (Option o in new Option[] { quick, epochs, seeds, only, timeSteps }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            LivniBonusPlan plan = parse.GetValue(quick) ? LivniBonusPlan.Quick : LivniBonusPlan.Default;
            // Given explicitly, --epochs and --seeds override the plan; their defaults are the full study's, so --quick keeps its own.
            if (parse.GetResult(epochs) is { Implicit: false }) plan = plan.WithEpochs(parse.GetValue(epochs));
            if (parse.GetResult(seeds) is { Implicit: false }) plan = plan with { Seeds = parse.GetValue(seeds) };
            // The parser has refused an empty list, empty items and repeats, so a list given here names settings to keep.
            if (only.Read(parse) is { Length: > 0 } wanted)
            {
                foreach (string n in wanted)
                    if (!plan.Settings.Any(x => x.Name == n))
                        throw new UsageException($"--settings: no setting is named '{n}'; the settings are: {string.Join(", ", plan.Settings.Select(x => x.Name))}.");
                plan = plan with { Settings = plan.Settings.Where(x => wanted.Contains(x.Name)).ToArray() };
            }
            RunContext ctx = common.Read(parse, Folder);
            if (parse.GetValue(timeSteps))
            {
                ctx.Out.Write(Timing(ctx, plan));
                return 0;
            }
            ctx.PrepareOutput();
            ctx.Out.WriteLine("Pattern criterion (fixed before the runs): " + LivniPattern.Statement);
            ctx.Out.WriteLine("Converse criterion: " + NearZeroCriterion.Statement(plan.NearZeroFraction));
            Write(ctx, LivniBonusExperiment.Run(ctx.Experiment, plan));
            return 0;
        });
        return [command];
    }

    public ReportSection Report(RunContext ctx)
    {
        // Under `engine all --quiet` only the report is produced, as for the other sections.
        if (ctx.Quiet) ctx = ctx.WithoutConsoleLines();
        return Write(ctx, LivniBonusExperiment.Run(ctx.Experiment, ReportPlan(ctx.Quick)));
    }

    /// <summary>Measured step times and the plan's projected single-core and wall-clock time.</summary>
    public static string Timing(RunContext ctx, LivniBonusPlan plan)
    {
        var t = LivniBonusTiming.Measure(plan);
        var s = new StringBuilder();
        s.AppendLine($"Measured time per call, one thread: median and fastest of {LivniBonusTiming.Blocks} blocks after {LivniBonusTiming.WarmUp.TotalMilliseconds:F0} ms of warm-up.");
        foreach (var step in t.Steps)
            s.AppendLine(string.Create(ReportFormat.Provider,
                $"  {Optimizer.Name(step.Optimizer),-8} m = {step.Batch,3}  r = {step.R,4}: step {step.Microseconds,8:F1} us (fastest {step.FastestMicroseconds:F1})"));
        foreach (var draw in t.Draws)
            s.AppendLine(string.Create(ReportFormat.Provider, $"  drawing a batch of {draw.Batch,3}: {draw.Microseconds:F1} us (fastest {draw.FastestMicroseconds:F1})"));
        double core = t.CoreSeconds(plan), quiet = t.CoreSeconds(plan, fastest: true);
        s.AppendLine(string.Create(ReportFormat.Provider,
            $"The plan ({CountText.Of(plan.Settings.Count, "setting")} x {CountText.Of(plan.Seeds, "seed")}) needs {core:F0} core-seconds at the median times, {quiet:F0} at the fastest: "
            + $"about {core / ctx.Threads:F0} s ({quiet / ctx.Threads:F0} s) on {CountText.Of(ctx.Threads, "thread")}."));
        return s.ToString();
    }

    public const string SettingsCsv = "settings.csv";
    public const string SummaryCsv = "summary.csv";
    public const string RunsCsv = "runs.csv";
    public const string TuningCsv = "tuning.csv";
    public const string SeedsCsv = "seeds.csv";
    public const string U0Csv = "U0.csv";
    public const string V0Csv = "V0.csv";
    public const string FigurePng = "livni-bonus.png";
    public const string FigureCsv = "livni-bonus.csv";

    /// <summary>The folder of the seeds' replay files (<see cref="WriteReplays"/>), inside the study's.</summary>
    public const string ReplayFolder = "replay";

    /// <summary>Every run's first mini-batch objectives, with what a replay needs to know of its run.</summary>
    public const string FirstStepsCsv = ReplayFolder + "/first-steps.csv";

    /// <summary>The same for the runs of the inner step-size sweeps, on the tuning seed.</summary>
    public const string TuningFirstStepsCsv = ReplayFolder + "/tuning-first-steps.csv";

    /// <summary>How the tuning seed's replay files begin, where a seed's begin with seed and its number.</summary>
    public const string TuningSource = "tuning";

    /// <summary>A seed's initial U or V (<paramref name="matrix"/>) for one width, parameterization and initialization scale.</summary>
    public static string InitialCsv(int seed, Parameterization p, double initScale, int r, string matrix) =>
        InitialCsv(SeedSource(seed), p, initScale, r, matrix);

    /// <summary>The initial U or V of the seed whose files begin with <paramref name="source"/> (a seed's or <see cref="TuningSource"/>).</summary>
    public static string InitialCsv(string source, Parameterization p, double initScale, int r, string matrix) =>
        $"{ReplayFolder}/{source}-init-{p.Name()}-x{Options.Format(initScale)}-r{r}-{matrix}.csv";

    /// <summary>A seed's first mini-batches of size <paramref name="batch"/>.</summary>
    public static string BatchesCsv(int seed, int batch) => BatchesCsv(SeedSource(seed), batch);

    /// <summary>The first mini-batches of the seed whose files begin with <paramref name="source"/>.</summary>
    public static string BatchesCsv(string source, int batch) => $"{ReplayFolder}/{source}-m{batch}-batches.csv";

    private static string SeedSource(int seed) => string.Create(ReportFormat.Provider, $"seed{seed}");

    /// <summary>Writes every file of the study and returns its report section (also printed, with links relative to the folder).</summary>
    public static ReportSection Write(RunContext ctx, LivniBonusResult result)
    {
        WriteSettings(ctx, result);
        WriteSummary(ctx, result);
        WriteRuns(ctx, result);
        WriteTuning(ctx, result);
        WriteInstance(ctx, result);
        WriteReplays(ctx, result);
        WriteFigure(ctx, result);
        string md = Section(result);
        ctx.Out.Write(md.Replace("livni-bonus/", ""));
        return new ReportSection("Homework 2, problem 2 (e), bonus: when do wider networks train faster and lower, and when does every width reach near-zero error? (engine livni-bonus)", md);
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A number, or an empty cell where it is not defined (a mean over no runs, a level never reached).</summary>
    private static string N(double v) => double.IsFinite(v) ? Csv.Number(v) : "";

    private static string OutputScale(Parameterization p) => p switch
    {
        Parameterization.Standard => "1",
        Parameterization.Ntk => "1/sqrt(r)",
        _ => "1/r",
    };

    // A cell of settings.csv, read by programs (bench/peers/livni_torch.py): the round-trip form, not the report's.
    private static string OptimizerConstants(OptimizerKind k) => k switch
    {
        OptimizerKind.Momentum => string.Create(CultureInfo.InvariantCulture, $"mu={Optimizer.Momentum:R}"),
        OptimizerKind.Adam => string.Create(CultureInfo.InvariantCulture, $"beta1={Optimizer.Beta1:R};beta2={Optimizer.Beta2:R};eps={Optimizer.Epsilon:R}"),
        _ => "",
    };

    private static string YesNo(bool b) => b ? "yes" : "no";

    private static void WriteSettings(RunContext ctx, LivniBonusResult result)
    {
        var plan = result.Plan;
        var rows = result.Settings.Select(s =>
        {
            BonusSetting b = s.Setting;
            PatternVerdict p = s.Pattern;
            NearZeroVerdict z = s.NearZero;
            return (IReadOnlyList<string>)
            [
                b.Name, Optimizer.Name(b.Optimizer), OptimizerConstants(b.Optimizer), b.Parameterization.Name(), OutputScale(b.Parameterization),
                b.Parameterization == Parameterization.Standard ? "init_scale/sqrt(r)" : "init_scale", "init_scale/sqrt(D)",
                N(b.InitScale), N(b.Eta), b.Rule.Name(), string.Join(";", s.Etas.Select(N)),
                b.Rule == WidthRule.Tuned ? string.Join(";", plan.TuningFactors.Select(N)) : "", b.Rule == WidthRule.Tuned ? plan.TuningEpochs.ToString(Inv) : "",
                b.Batch.ToString(Inv), b.Epochs.ToString(Inv), plan.Problem.EpochSize.ToString(Inv), b.HalvingPeriod.ToString(Inv),
                string.Join(";", s.Multiples.Select(N)), string.Join(";", s.Widths), s.Seeds.ToString(Inv), s.Diverged.ToString(Inv),
                p.Diverged > 0 ? "n/a" : YesNo(p.Holds), p.Diverged > 0 ? "n/a" : YesNo(p.LowerWhenWider), p.Diverged > 0 ? "n/a" : YesNo(p.FasterWhenWider),
                YesNo(z.Holds), z.RunsAtNearZero.ToString(Inv), z.Runs.ToString(Inv),
            ];
        });
        Csv.WriteRows(ctx.PathOf(SettingsCsv),
        [
            "setting", "optimizer", "optimizer_constants", "parameterization", "output_scale", "u_init_std", "v_init_std",
            "init_scale", "eta", "eta_rule", "eta_per_width", "tuning_factors", "tuning_epochs",
            "batch", "epochs", "epoch_size", "halving_period", "r_over_r0", "r", "seeds", "diverged_runs",
            "livni_pattern", "lower_when_wider", "faster_when_wider", "near_zero_all_widths", "near_zero_runs", "runs",
        ], rows);
    }

    private static void WriteSummary(RunContext ctx, LivniBonusResult result)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (SettingResult s in result.Settings)
            foreach (WidthSummary w in s.Summaries)
                rows.Add(
                [
                    s.Setting.Name, N(w.Multiple), w.R.ToString(Inv), N(w.Eta), w.Seeds.ToString(Inv), w.Diverged.ToString(Inv),
                    N(w.Final.Mean), N(w.Final.Low), N(w.Final.High),
                    w.EpochsToReference.Count.ToString(Inv), N(w.EpochsToReference.Mean), N(w.EpochsToReference.Low), N(w.EpochsToReference.High),
                    w.EpochsToNearZero.Count.ToString(Inv), N(w.EpochsToNearZero.Mean), N(w.EpochsToNearZero.Low), N(w.EpochsToNearZero.High),
                    w.NearZeroAtEnd.ToString(Inv),
                ]);
        Csv.WriteRows(ctx.PathOf(SummaryCsv),
        [
            "setting", "r_over_r0", "r", "eta", "seeds", "diverged",
            "final_geomean", "final_ci95_low", "final_ci95_high",
            "reached_r0_final", "epochs_to_r0_final_mean", "epochs_to_r0_final_ci95_low", "epochs_to_r0_final_ci95_high",
            "reached_near_zero", "epochs_to_near_zero_mean", "epochs_to_near_zero_ci95_low", "epochs_to_near_zero_ci95_high",
            "near_zero_at_end",
        ], rows);
    }

    private static void WriteRuns(RunContext ctx, LivniBonusResult result)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (SettingResult s in result.Settings)
            for (int seed = 0; seed < s.Seeds; seed++)
                for (int w = 0; w < s.Widths.Count; w++)
                {
                    TrainingCurve c = s.Curves[seed][w];
                    string[] diverged = OverparamFiles.DivergenceCells(c);
                    for (int e = 0; e < c.Objective.Length; e++)
                        rows.Add([s.Setting.Name, seed.ToString(Inv), N(s.Multiples[w]), s.Widths[w].ToString(Inv), N(s.Etas[w]), (e + 1).ToString(Inv), Csv.Number(c.Objective[e]), .. diverged]);
                    if (c.Objective.Length == 0)
                        rows.Add([s.Setting.Name, seed.ToString(Inv), N(s.Multiples[w]), s.Widths[w].ToString(Inv), N(s.Etas[w]), "", "", .. diverged]);
                }
        Csv.WriteRows(ctx.PathOf(RunsCsv), ["setting", "seed", "r_over_r0", "r", "eta", "epoch", "objective", .. OverparamFiles.DivergenceColumns], rows, divergedColumn: "diverged_at_epoch");
    }

    private static void WriteTuning(RunContext ctx, LivniBonusResult result)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (SettingResult s in result.Settings)
            foreach (TuningResult t in s.Tuning)
                for (int k = 0; k < t.Etas.Count; k++)
                {
                    TrainingCurve c = t.Curves[k];
                    rows.Add([s.Setting.Name, N(t.Multiple), t.R.ToString(Inv), N(t.Etas[k]), c.Diverged ? "" : N(c.Final),
                        .. OverparamFiles.DivergenceCells(c), YesNo(t.Chosen == t.Etas[k])]);
                }
        Csv.WriteRows(ctx.PathOf(TuningCsv), ["setting", "r_over_r0", "r", "eta", "final_objective", .. OverparamFiles.DivergenceColumns, "chosen"], rows);
    }

    /// <summary>The instance the answers rest on: every seed's planted U0 and V0 (and the tuning seed's), and each seed's near-zero level.</summary>
    private static void WriteInstance(RunContext ctx, LivniBonusResult result)
    {
        var networks = result.Planted.Select((p, s) => (s.ToString(Inv), p)).Append((TuningSource, result.TuningPlanted)).ToArray();
        OverparamFiles.WritePlanted(ctx.PathOf(U0Csv), ctx.PathOf(V0Csv), networks);
        var thresholds = result.Settings.Count > 0 ? result.Settings[0].NearZeroThresholds : [];
        Csv.WriteRows(ctx.PathOf(SeedsCsv), ["seed", "expected_squared_norm_y", "near_zero_level"],
            result.Planted.Select((p, s) => (IReadOnlyList<string>)[s.ToString(Inv), N(p.ExpectedSquaredNorm()), N(result.Plan.NearZeroFraction * p.ExpectedSquaredNorm())]));
    }

    /// <summary>
    /// What it takes to replay the first steps of every run of the study elsewhere: each seed's initial weights per
    /// width, parameterization and initialization scale (plain matrices), its first mini-batches per batch size
    /// (<see cref="SgdSweep.ReplaySteps"/> of them, as <see cref="OverparamFiles.WriteReplay"/> writes a sweep's), and
    /// in one file every run's mini-batch objective before each of those steps with the run's optimizer,
    /// parameterization, output scale alpha (f = alpha U relu(V^T x)), batch size and step size. The inner step-size
    /// sweeps' runs get the same from the tuning seed, in files of their own.
    /// </summary>
    private static void WriteReplays(RunContext ctx, LivniBonusResult result)
    {
        foreach (var (seed, replay) in result.Replays ?? []) WriteReplay(ctx, SeedSource(seed), replay, result.Plan.Problem);
        var rows = new List<IReadOnlyList<string>>();
        foreach (SettingResult s in result.Settings)
            for (int seed = 0; seed < s.Seeds; seed++)
                foreach (TrainingCurve c in s.Curves[seed])
                    AddFirstSteps(rows, [s.Setting.Name, seed.ToString(Inv)], c);
        Csv.WriteRows(ctx.PathOf(FirstStepsCsv), ["setting", "seed", .. FirstStepsColumns], rows);
        if (result.TuningReplay is not { } tuning) return;
        WriteReplay(ctx, TuningSource, tuning, result.Plan.Problem);
        rows.Clear();
        foreach (SettingResult s in result.Settings)
            foreach (TuningResult t in s.Tuning)
                foreach (TrainingCurve c in t.Curves)
                    AddFirstSteps(rows, [s.Setting.Name], c);
        Csv.WriteRows(ctx.PathOf(TuningFirstStepsCsv), ["setting", .. FirstStepsColumns], rows);
    }

    private static void WriteReplay(RunContext ctx, string source, SweepReplay replay, ProblemSetting problem)
    {
        foreach (var w in replay.Initial)
            OverparamFiles.WriteInitial(ctx.PathOf(InitialCsv(source, w.Parameterization, w.InitScale, w.R, "U")),
                ctx.PathOf(InitialCsv(source, w.Parameterization, w.InitScale, w.R, "V")), w, problem.D, problem.N);
        foreach (var batches in replay.Streams)
            OverparamFiles.WriteBatches(ctx.PathOf(BatchesCsv(source, batches.Batch)), "step", batches, problem.D, problem.N);
    }

    private static readonly string[] FirstStepsColumns =
        ["r", "optimizer", "parameterization", "output_scale", "init_scale", "batch", "eta", "step", "batch_objective"];

    /// <summary>A run's rows of a first-steps file: its replayed steps' objectives after <paramref name="key"/> and what a replay needs of the run.</summary>
    private static void AddFirstSteps(List<IReadOnlyList<string>> rows, string[] key, TrainingCurve c)
    {
        TrainingSettings t = c.Settings;
        int steps = SgdSweep.ReplaySteps(t.Batch);
        // Only finite objectives: a run that diverged within the replayed steps ends at its last finite one.
        foreach (var (v, k) in (c.FirstSteps ?? []).Take(steps).TakeWhile(double.IsFinite).Select((v, k) => (v, k)))
            rows.Add([.. key, t.R.ToString(Inv), Optimizer.Name(t.Optimizer), t.Parameterization.Name(), Csv.Number(t.Parameterization.OutputScale(t.R)),
                Options.Format(t.InitScale), t.Batch.ToString(Inv), N(t.Eta), (k + 1).ToString(Inv), Csv.Number(v)]);
    }

    /// <summary>
    /// One panel per setting: per width, the geometric mean over seeds of the epoch objective and its 95 % t-interval
    /// (computed on log10), from the seeds that have not diverged; the CSV beside it holds the same numbers.
    /// </summary>
    private static void WriteFigure(RunContext ctx, LivniBonusResult result)
    {
        var rows = new List<IReadOnlyList<string>>();
        var panels = new List<Panel>();
        foreach (SettingResult s in result.Settings)
        {
            var series = new List<Series>();
            for (int w = 0; w < s.Widths.Count; w++)
            {
                var band = s.Band(w);
                var epochs = Enumerable.Range(1, band.Count).Select(e => (double)e).ToArray();
                for (int e = 0; e < band.Count; e++)
                    rows.Add([s.Setting.Name, N(s.Multiples[w]), s.Widths[w].ToString(Inv), (e + 1).ToString(Inv), band[e].Count.ToString(Inv),
                        N(band[e].Mean), N(band[e].Low), N(band[e].High)]);
                int diverged = s.Summary(w).Diverged;
                string label = string.Create(ReportFormat.Provider, $"r/r0 = {s.Multiples[w]:G3}") + (diverged > 0 ? $" ({diverged}/{s.Seeds} diverged)" : "");
                series.Add(new Series(label, epochs, band.Select(b => b.Mean).ToArray(), Dashed: diverged > 0, ColorIndex: w,
                    Lower: band.Select(b => b.Low).ToArray(), Upper: band.Select(b => b.High).ToArray()));
            }
            panels.Add(new Panel($"{s.Setting.Name}: {s.Setting.Describe()}", "epoch", "objective (geometric mean, 95% CI)", series, LogY: true));
        }
        Csv.WriteRows(ctx.PathOf(FigureCsv), ["setting", "r_over_r0", "r", "epoch", "seeds", "geomean", "ci95_low", "ci95_high"], rows);
        LinePlot.SaveGrid(ctx.PathOf(FigurePng), panels, columns: 3, panelWidth: 760, panelHeight: 480);
    }

    private static string Section(LivniBonusResult result) => LivniBonusSection.Markdown(result);
}
