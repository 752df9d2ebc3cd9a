using Engine.Experiments.Cli;
using Engine.Experiments.Overparam;

namespace Engine.Tests.Experiments.Overparam;

public class LivniBonusTests
{
    [Fact]
    public void ShortBonusRunWritesItsFilesAndCountsDivergenceAgainstThePattern()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"livni-{Guid.NewGuid():N}");
        try
        {
            var ctx = new RunContext(dir, seed: 5, threads: 2, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            IReadOnlyList<LivniVariant> variants = LivniBonusExperiment.Compute(ctx, eta: 0.01, epochs: 2);
            Assert.Equal(LivniBonusExperiment.Variations(new ProblemSetting(), 0.01).Count, variants.Count);
            foreach (var v in variants)
            {
                Assert.Equal(4, v.Sweep.Curves.Count);
                // A setting with a diverged width never counts as reproducing the pattern.
                if (v.Comparison.Diverged > 0) Assert.False(v.FullPattern);
            }
            // "init scale 3" with eta = 0.01 blows up the wide networks: the guard above is exercised.
            Assert.Contains(variants, v => v.Comparison.Diverged > 0);
            LivniBonusExperiment.Write(ctx, variants);
            Assert.True(File.Exists(Path.Combine(dir, "livni-bonus.csv")));
            Assert.True(File.Exists(Path.Combine(dir, "livni-bonus.png")));
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
