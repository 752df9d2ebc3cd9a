using Engine.Experiments.Statistics;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Statistics;

public class StatisticsTests
{
    [Fact]
    public void TQuantilesMatchTheClosedFormsOfOneAndTwoDegreesOfFreedom()
    {
        // nu = 1 is the Cauchy distribution: P(|T| <= t) = (2/pi) atan(t), so the 95 % point is tan(0.475 pi).
        Assert.Equal(Math.Tan(0.475 * Math.PI), StudentT.TwoSidedQuantile(0.95, 1), 1e-9);
        // nu = 2: P(|T| <= t) = t / sqrt(2 + t^2), so t = sqrt(2) q / sqrt(1 - q^2).
        Assert.Equal(Math.Sqrt(2) * 0.95 / Math.Sqrt(1 - 0.95 * 0.95), StudentT.TwoSidedQuantile(0.95, 2), 1e-9);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(9.0)]
    public void SeriesMatchesTheWrittenOutFormsForThreeAndFourDegrees(double t)
    {
        double theta3 = Math.Atan(t / Math.Sqrt(3)), theta4 = Math.Atan(t / 2);
        Assert.Equal(2 / Math.PI * (theta3 + Math.Sin(theta3) * Math.Cos(theta3)), StudentT.CentralProbability(t, 3), 1e-14);
        Assert.Equal(Math.Sin(theta4) * (1 + Math.Cos(theta4) * Math.Cos(theta4) / 2), StudentT.CentralProbability(t, 4), 1e-14);
    }

    [Fact]
    public void ManyDegreesOfFreedomApproachTheNormalQuantile()
    {
        Assert.Equal(1.959963984540054, StudentT.TwoSidedQuantile(0.95, 20_000), 3e-4);
        for (int nu = 1; nu < 40; nu++) Assert.True(StudentT.TwoSidedQuantile(0.95, nu) > StudentT.TwoSidedQuantile(0.95, nu + 1));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void IntervalsCoverTheMeanNinetyFivePercentOfTheTime(int n)
    {
        // 4000 samples of n normals with mean 0: the count of intervals holding 0 is Binomial(4000, 0.95), sd about 14.
        var sampler = new NormalSampler(17);
        var sample = new double[n];
        int covered = 0;
        const int trials = 4000;
        for (int t = 0; t < trials; t++)
        {
            sampler.Fill(sample);
            var interval = MeanInterval.Of(sample);
            if (interval.Low <= 0 && 0 <= interval.High) covered++;
        }
        Assert.InRange(covered, 0.95 * trials - 60, 0.95 * trials + 60);
    }

    [Fact]
    public void OneValueHasNoInterval()
    {
        var one = MeanInterval.Of([2.0]);
        Assert.Equal(2.0, one.Mean);
        Assert.True(double.IsNaN(one.Low) && double.IsNaN(one.High));
        Assert.False(one.Below(10));
    }
}

public class EmpiricalBernsteinTests
{
    /// <summary>
    /// A rare event (p = 0.02) seen through five draws: most samples are all zeros, with zero sample variance. The
    /// empirical Bernstein interval must still cover p at least 1 - delta of the time, where the Student t interval of
    /// the same nominal level (95 %) misses it in most samples, which is why the refutation check uses the former.
    /// </summary>
    [Fact]
    public void CoversTheMeanOfASkewedVariableAtFiveDraws()
    {
        const double p = 0.02, delta = 0.05;
        const int n = 5, repeats = 20_000;
        var rng = new NormalSampler(11);
        int bernsteinMisses = 0, tMisses = 0;
        double t = StudentT.TwoSidedQuantile(1 - delta, n - 1);
        var draws = new double[n];
        for (int k = 0; k < repeats; k++)
        {
            for (int i = 0; i < n; i++) draws[i] = rng.NextDouble() < p ? 1 : 0;
            double mean = draws.Average();
            double variance = draws.Sum(x => (x - mean) * (x - mean)) / (n - 1);
            if (Math.Abs(mean - p) > EmpiricalBernstein.HalfWidth(variance, n, range: 1, delta)) bernsteinMisses++;
            if (Math.Abs(mean - p) > t * Math.Sqrt(variance / n)) tMisses++;
        }
        Assert.True(bernsteinMisses <= delta * repeats, $"{bernsteinMisses} misses");
        Assert.True(tMisses > 0.5 * repeats, $"the t interval missed only {tMisses} times");
    }

    [Fact]
    public void ZeroVarianceLeavesTheRangeTermAndWidthFallsWithTheDraws()
    {
        double two = EmpiricalBernstein.HalfWidth(0, 2, range: 3, delta: 1e-3);
        Assert.Equal(7 * 3 * Math.Log(4e3) / 3, two, 1e-12);
        Assert.True(EmpiricalBernstein.HalfWidth(1, 1000, 3, 1e-3) < EmpiricalBernstein.HalfWidth(1, 100, 3, 1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmpiricalBernstein.HalfWidth(1, 1, 3, 1e-3));
    }
}
