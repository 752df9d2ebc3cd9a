using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Tests.Overparam;

public class OverparamCliTests
{
    [Theory]
    [InlineData("lr-sweep", "--lrs", "0")]
    [InlineData("lr-sweep", "--lrs", "abc")]
    [InlineData("lr-sweep", "--batch-size", "0")]
    [InlineData("lr-sweep", "--init-scale", "-1")]
    [InlineData("lr-sweep", "--width", "0.01")]
    [InlineData("width-sweep", "--lr", "-1")]
    [InlineData("width-sweep", "--widths", "1,0.01")]
    [InlineData("width-sweep", "--epochs", "0")]
    [InlineData("planted-check", "--dim", "-3")]
    [InlineData("lr-sweep", "--epoch-size", "0")]
    // SGD runs in single precision: a step size that is 0 or infinite there, or two that are the same there.
    [InlineData("lr-sweep", "--lrs", "1e-300")]
    [InlineData("width-sweep", "--lr", "1e39")]
    [InlineData("width-sweep", "--lrs", "0.01,0.1,0.1000000000000001")]
    public void BadOptionIsOneLineAndExitCodeTwo(string command, string option, string value)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), $"overparam-cli-{Guid.NewGuid():N}");
        int code = EntryPoint.Run([command, option, value, "--out", dir], err);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith($"engine: {option}: ", err.ToString());
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("--lrs 0.5,0.2 --lr-sweep-epochs 7", "--lrs and --lr-sweep-epochs")]
    [InlineData("--lr-sweep-width 2", "--lr-sweep-width")]
    [InlineData("--lrs 0.5 --lr-sweep-epochs 7 --lr-sweep-width 2", "--lrs, --lr-sweep-epochs and --lr-sweep-width")]
    public void WidthSweepRefusesLearningRateSweepOptionsWithLr(string sweep, string named)
    {
        using var temporary = new TemporaryFolder("overparam-cli-", create: false);
        string dir = temporary.Path;
        var err = new StringWriter();
        // A small problem: were the options ignored again, the run would end in a moment and the test fail on its exit code.
        int code = EntryPoint.Run(["width-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40",
            "--epochs", "1", "--widths", "1", "--lr", "0.01", .. sweep.Split(' '), "--out", dir, "--quiet"], err);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Equal($"engine: --lr sets eta and skips the lr-sweep that picks it, so it does not combine with {named}.", err.ToString().TrimEnd());
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void WidthSweepRunsTheLearningRateSweepFirstAndWritesEveryFile()
    {
        using var temporary = new TemporaryFolder("overparam-cli-", create: false);
        string dir = temporary.Path;
        int code = EntryPoint.Run(["width-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40",
            "--epochs", "3", "--widths", "1,2", "--lr-sweep-epochs", "2", "--lrs", "0.001,0.01", "--out", dir, "--quiet", "--threads", "2"]);
        Assert.Equal(0, code);
        foreach (string file in new[] { OverparamFiles.LearningRateCsv, OverparamFiles.LearningRatePng, OverparamFiles.WidthCsv,
                     OverparamFiles.WidthPng, OverparamFiles.WidthSummaryCsv, OverparamFiles.U0Csv(OverparamFiles.Width), OverparamFiles.V0Csv(OverparamFiles.Width),
                     OverparamFiles.U0Csv(OverparamFiles.LearningRate), OverparamFiles.V0Csv(OverparamFiles.LearningRate) })
            Assert.True(File.Exists(Path.Combine(dir, "overparam", file)), file);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "overparam", OverparamFiles.WidthCsv)).Length);
        // The planted weights the curves rest on: U0 is n x r0 = 2 x 4, V0 is D x r0 = 12 x 4, one entry per row.
        string[] u0 = File.ReadAllLines(Path.Combine(dir, "overparam", OverparamFiles.U0Csv(OverparamFiles.Width)));
        Assert.Equal("row,col,value", u0[0]);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i / 4},{i % 4}"), u0.Skip(1).Select(l => l[..l.LastIndexOf(',')]));
        Assert.Equal(1 + 12 * 4, File.ReadAllLines(Path.Combine(dir, "overparam", OverparamFiles.V0Csv(OverparamFiles.Width))).Length);
    }
}

public class OverparamReportTests
{
    [Fact]
    public void ReportSectionLinksTheFiguresAndStatesTheAnswers()
    {
        using var temporary = new TemporaryFolder("overparam-report-", create: false);
        string dir = temporary.Path;
        var ctx = new RunContext(dir, 2019, 2, quiet: true, TextWriter.Null);
        ctx.PrepareOutput();
        var section = OverparamReport.Run(ctx, new ProblemSetting(D: 12, N: 2, R0: 4, Batch: 4, EpochSize: 40), sweepEpochs: 2, widthEpochs: 3);
        string folder = new OverparamCommand().Folder;
        Assert.Contains($"]({folder}/{OverparamFiles.LearningRatePng})", section.Markdown);
        Assert.Contains($"]({folder}/{OverparamFiles.WidthPng})", section.Markdown);
        Assert.Contains("ends at the lowest objective", section.Markdown);
        Assert.Contains("Livni", section.Markdown);
        foreach (string file in new[] { OverparamFiles.PlantedCheckCsv, OverparamFiles.LearningRatePng, OverparamFiles.WidthPng })
            Assert.True(File.Exists(ctx.PathOf(file)), file);
    }
}
