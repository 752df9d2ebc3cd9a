using Engine.Experiments.Theory;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Theory;

public class DropoutVariantTests
{
    /// <summary>
    /// The expectation in (3) computed exactly by enumerating every ordered m-tuple of factor indices with its
    /// probability: an independent check of the closed form that involves no sampling.
    /// </summary>
    private static double ExactExpectation(DropoutVariantInstance p, int m)
    {
        int tuples = (int)Math.Pow(p.R, m);
        double expectation = 0;
        var sample = new double[p.D * p.N];
        var index = new int[m];
        for (int t = 0; t < tuples; t++)
        {
            int code = t;
            double probability = 1;
            for (int j = 0; j < m; j++) { index[j] = code % p.R; code /= p.R; probability *= p.FactorNorms[index[j]] / p.Theta; }
            Array.Clear(sample);
            foreach (int i in index)
                for (int a = 0; a < p.D; a++)
                    for (int b = 0; b < p.N; b++)
                        sample[a * p.N + b] += p.Theta / m / p.FactorNorms[i] * p.U[a * p.R + i] * p.V[b * p.R + i];
            double loss = 0;
            for (int k = 0; k < sample.Length; k++) loss += (p.X[k] - sample[k]) * (p.X[k] - sample[k]);
            expectation += probability * loss;
        }
        return expectation;
    }

    [Theory]
    [InlineData(2, 1u)]
    [InlineData(3, 2u)]
    [InlineData(4, 3u)]
    public void ClosedFormEqualsExactEnumeration(int m, ulong seed)
    {
        var p = new DropoutVariantInstance(d: 4, n: 3, r: 3, new NormalSampler(seed));
        double exact = ExactExpectation(p, m);
        Assert.Equal(exact, DropoutVariant.ClosedForm(p, m), exact * 1e-12);
    }

    [Theory]
    [InlineData(2, 1u)]
    [InlineData(3, 2u)]
    [InlineData(4, 3u)]
    public void MultisetSumEqualsTheOrderedTupleSum(int m, ulong seed)
    {
        var p = new DropoutVariantInstance(d: 4, n: 3, r: 3, new NormalSampler(seed));
        double exact = ExactExpectation(p, m);
        Assert.Equal(exact, DropoutVariant.ExactExpectation(p, m)!.Value, exact * 1e-12);
    }

    [Fact]
    public void MultisetSumIsSkippedAboveTheLimitOnly()
    {
        // r = 6: C(m + 5, 5) multisets, 98,280 at m = 23 and 118,755 at m = 24.
        var p = new DropoutVariantInstance(d: 3, n: 2, r: 6, new NormalSampler(4));
        Assert.NotNull(DropoutVariant.ExactExpectation(p, 23));
        Assert.Null(DropoutVariant.ExactExpectation(p, 24));
        Assert.Equal(DropoutVariant.ClosedForm(p, 23), DropoutVariant.ExactExpectation(p, 23)!.Value, DropoutVariant.ClosedForm(p, 23) * 1e-10);
    }

    [Fact]
    public void ObjectivesDifferByAConstantIndependentOfTheFactors()
    {
        // Same X, different (U, V): the offset m/(m-1) E - (4) must not change.
        var a = new DropoutVariantInstance(d: 5, n: 4, r: 3, new NormalSampler(7));
        var b = new DropoutVariantInstance(d: 5, n: 4, r: 3, new NormalSampler(8));
        Array.Copy(a.X, b.X, a.X.Length);
        foreach (int m in new[] { 2, 3, 7 })
        {
            double offsetA = m / (m - 1.0) * DropoutVariant.ClosedForm(a, m) - DropoutVariant.Objective4(a, m);
            double offsetB = m / (m - 1.0) * DropoutVariant.ClosedForm(b, m) - DropoutVariant.Objective4(b, m);
            Assert.Equal(offsetA, offsetB, Math.Abs(offsetA) * 1e-12);
        }
    }

    [Fact]
    public void MonteCarloAgreesWithTheClosedForm()
    {
        var p = new DropoutVariantInstance(d: 6, n: 5, r: 4, new NormalSampler(3));
        var check = DropoutVariant.Check(p, m: 3, samples: 40_000, new NormalSampler(4));
        Assert.True(check.ZScore is { } z && Math.Abs(z) < 4, $"z = {check.ZScore}");
        Assert.Equal(check.ExpectedOffset, check.Offset, Math.Abs(check.ExpectedOffset) * 1e-12);
    }

    [Fact]
    public void MonteCarloDetectsAWrongClosedForm()
    {
        // A closed form missing the variance term (Theta^2 - ||UV^T||^2)/m must be rejected by the same statistic.
        var p = new DropoutVariantInstance(d: 6, n: 5, r: 4, new NormalSampler(3));
        var check = DropoutVariant.Check(p, m: 3, samples: 40_000, new NormalSampler(4));
        double residualOnly = 0;
        for (int i = 0; i < p.X.Length; i++) residualOnly += (p.X[i] - p.Product[i]) * (p.X[i] - p.Product[i]);
        Assert.True(Math.Abs(check.MonteCarloMean - residualOnly) / check.MonteCarloStdError > 10);
        // The interval that the verdict uses, valid at any number of draws, has the power to reject it too.
        Assert.True(Math.Abs(check.MonteCarloMean - residualOnly) > check.HalfWidth(1e-3));
        Assert.True(2 * check.HalfWidth(1e-3) < check.VarianceTerm);
    }
}

public class DropoutVariantFewDrawsTests
{
    [Fact]
    public void EqualDrawsHaveNoZScoreButAValidInterval()
    {
        // With a single factor every draw is the same matrix, so every sampled loss is equal and the standard error is 0.
        var p = new DropoutVariantInstance(d: 4, n: 3, r: 1, new NormalSampler(9));
        var check = DropoutVariant.Check(p, m: 2, samples: 2, new NormalSampler(10));
        Assert.Equal(0, check.MonteCarloStdError);
        Assert.Null(check.ZScore);
        double h = check.HalfWidth(1e-3);
        Assert.True(double.IsFinite(h) && h > 0, $"half-width {h}");
        var r = new DropoutVariantResult([check], [], [p], p);
        Assert.NotEqual(MonteCarloVerdict.Refuted, DropoutVariantConclusion.Verdict(r));
    }
}

public class DropoutVariantGradientTests
{
    [Fact]
    public void DrawsHeldFixedGradientIsBiasedButClose()
    {
        // The score-function term is what separates the two gradients: clearly present, but not dominant.
        var p = new DropoutVariantInstance(d: 4, n: 3, r: 3, new NormalSampler(5));
        double bias = DropoutVariant.PathwiseGradientBias(p, m: 3);
        Assert.InRange(bias, 1e-3, 1.0);
        // The instance is restored afterwards.
        var fresh = new DropoutVariantInstance(d: 4, n: 3, r: 3, new NormalSampler(5));
        Assert.Equal(fresh.Theta, p.Theta, 1e-12);
    }
}
