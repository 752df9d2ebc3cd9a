using Engine.Experiments.Cli;
using Engine.Experiments.Overparam;

namespace Engine.Tests.Experiments.Overparam;

public class ComparisonAndCliTests
{
    private static TrainingCurve Curve(int r, params double[] objective) =>
        new(new TrainingSettings(r, 0.01, 10, objective.Length), objective, null, objective[0]);

    [Fact]
    public void WiderFasterAndLowerAgreesWithLivni()
    {
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2), Curve(240, 0.3, 0.2, 0.1)]);
        Assert.True(c.LowerWhenWider);
        Assert.True(c.FasterWhenWider);
        Assert.Equal([3, 2, 1], c.EpochsToNarrowestFinal.Select(e => e!.Value));
        Assert.Contains("agrees with Livni", c.Sentence());
        Assert.Contains("0.1 at r/r0 = 4", c.Sentence());
    }

    [Fact]
    public void WiderButHigherDoesNotAgree()
    {
        var c = LivniComparison.Of([1, 2], [Curve(60, 1, 0.2, 0.1), Curve(120, 1, 0.5, 0.4)]);
        Assert.False(c.LowerWhenWider);
        Assert.False(c.FasterWhenWider);
        Assert.Contains("does not reproduce", c.Sentence());
        Assert.Contains("never", c.Sentence());
    }

    [Fact]
    public void OverParameterizedBetterButNotMonotoneIsPartialAgreement()
    {
        // The pattern of the default run: every wider network beats r0, but the middle width ends lowest.
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.2, 0.05), Curve(240, 1, 0.3, 0.1)]);
        Assert.False(c.LowerWhenWider);
        Assert.True(c.EveryWiderEndsLower);
        Assert.True(c.EveryWiderIsFaster);
        Assert.Equal(2, c.BestMultiple);
        Assert.Contains("partly agrees", c.Sentence());
        Assert.Contains("r/r0 = 2 ends lowest", c.Sentence());
    }

    [Fact]
    public void DivergedWidthIsLeftOutOfTheComparison()
    {
        var diverged = new TrainingCurve(new TrainingSettings(240, 0.01, 10, 3), [], 1, 1);
        var c = LivniComparison.Of([4, 1, 2], [diverged, Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2)]);
        Assert.Equal([1.0, 2.0], c.Multiples);
        Assert.Equal(1, c.Diverged);
        Assert.Contains("1 run(s) diverged", c.Sentence());
    }

    [Theory]
    [InlineData("lr-sweep", "--lr", "0")]
    [InlineData("lr-sweep", "--lr", "abc")]
    [InlineData("lr-sweep", "--batch", "0")]
    [InlineData("lr-sweep", "--init-scale", "-1")]
    [InlineData("lr-sweep", "--width", "0.01")]
    [InlineData("width-sweep", "--lr", "-1")]
    [InlineData("width-sweep", "--widths", "1,0.01")]
    [InlineData("width-sweep", "--epochs", "0")]
    [InlineData("planted-check", "--dim", "-3")]
    [InlineData("planted-check", "--epoch-size", "0")]
    public void BadOptionIsOneLineAndExitCodeTwo(string command, string option, string value)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), $"overparam-cli-{Guid.NewGuid():N}");
        int code = EntryPoint.Run([command, option, value, "--out", dir, "--quiet"], err);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(dir, "overparam", OverparamFiles.LearningRateCsv)));
    }

    [Fact]
    public void WidthSweepRunsTheLearningRateSweepFirstAndWritesEveryFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"overparam-cli-{Guid.NewGuid():N}");
        try
        {
            int code = EntryPoint.Run(["width-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch", "4", "--epoch-size", "40",
                "--epochs", "3", "--widths", "1,2", "--sweep-epochs", "2", "--sweep-lr", "0.001,0.01", "--out", dir, "--quiet", "--threads", "2"]);
            Assert.Equal(0, code);
            foreach (string file in new[] { OverparamFiles.LearningRateCsv, OverparamFiles.LearningRatePng, OverparamFiles.WidthCsv,
                         OverparamFiles.WidthPng, OverparamFiles.WidthSummaryCsv })
                Assert.True(File.Exists(Path.Combine(dir, "overparam", file)), file);
            Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "overparam", OverparamFiles.WidthCsv)).Length);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}

public class OverparamReportTests
{
    [Fact]
    public void ReportSectionLinksTheFiguresAndStatesTheAnswers()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"overparam-report-{Guid.NewGuid():N}");
        try
        {
            var ctx = new RunContext(dir, 2019, 2, quiet: true, TextWriter.Null);
            ctx.PrepareOutput();
            var experiment = new OverparamExperiment(new ProblemSetting(D: 12, N: 2, R0: 4, Batch: 4, EpochSize: 40), sweepEpochs: 2, widthEpochs: 3);
            var section = experiment.Run(ctx);
            Assert.Contains($"]({experiment.Folder}/{OverparamFiles.LearningRatePng})", section.Markdown);
            Assert.Contains($"]({experiment.Folder}/{OverparamFiles.WidthPng})", section.Markdown);
            Assert.Contains("converges to the lowest objective", section.Markdown);
            Assert.Contains("Livni", section.Markdown);
            foreach (string file in new[] { OverparamFiles.PlantedCheckCsv, OverparamFiles.LearningRatePng, OverparamFiles.WidthPng })
                Assert.True(File.Exists(ctx.PathOf(file)), file);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }
}
