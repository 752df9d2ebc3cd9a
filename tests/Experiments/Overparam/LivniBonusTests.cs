using Engine.Experiments.Context;
using Engine.Experiments.Overparam;

namespace Engine.Tests.Experiments.Overparam;

public class LivniBonusTests
{
    [Fact]
    public void ShortBonusRunCountsDivergenceAgainstThePattern()
    {
        LivniBonusResult result = LivniBonusExperiment.Run(new ExperimentContext(seed: 5, threads: 2), eta: 0.01, epochs: 2);
        Assert.Equal(LivniBonusExperiment.Variations(new ProblemSetting(), 0.01).Count, result.Variants.Count);
        foreach (var v in result.Variants)
        {
            Assert.Equal(4, v.Sweep.Curves.Count);
            // A setting with a diverged width never counts as reproducing the pattern.
            if (v.Comparison.Diverged > 0) Assert.False(v.FullPattern);
        }
        // "init scale 3" with eta = 0.01 blows up the wide networks: the guard above is exercised, and the answer names it.
        var diverging = result.Variants.Where(v => v.Comparison.Diverged > 0).ToList();
        Assert.NotEmpty(diverging);
        Assert.Contains($"Some widths diverge with: {string.Join("; ", diverging.Select(v => v.Name))}", result.Answer());
    }
}
