using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Tests.Overparam;

public class LivniBonusCliTests
{
    [Fact]
    public void ShortBonusRunWritesItsFilesAndCountsDivergenceAgainstThePattern()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"livni-{Guid.NewGuid():N}");
        try
        {
            var ctx = new RunContext(dir, seed: 5, threads: 2, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            LivniBonusResult result = LivniBonusExperiment.Run(ctx.Experiment, eta: 0.01, epochs: 2);
            Assert.Contains(result.Variants, v => v.Comparison.Diverged > 0 && !v.FullPattern);
            var section = LivniBonusCommand.Write(ctx, result);
            Assert.True(File.Exists(Path.Combine(dir, "livni-bonus.csv")));
            Assert.True(File.Exists(Path.Combine(dir, "livni-bonus.png")));
            Assert.Contains("](livni-bonus/livni-bonus.png)", section.Markdown);
            Assert.Contains("**Answer.** " + result.Answer(), section.Markdown);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["livni-bonus", "--epochs", "0"], new StringWriter()));
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["livni-bonus", "--lr", "Infinity"], new StringWriter()));
    }
}
