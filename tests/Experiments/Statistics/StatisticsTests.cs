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
