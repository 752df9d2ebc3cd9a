using Engine.Kernels.Completion;

namespace Engine.Tests.Kernels.Completion;

public class OptimalCompletionSetTests
{
    /// <summary>
    /// Y_{01} = u u^T observed in full (rank one: Slater fails, X (u_1, -u_0) = 0 is forced) and only X_22 = c besides.
    /// Every feasible X is <c>[[u u^T, s u], [s u^T, c]]</c> with s^2 &lt;= c, all of trace ||u||^2 + c: the optimal set
    /// is that segment, and the completion nearest to a symmetric G takes s = clamp(&lt;g, u&gt; / ||u||^2, +-sqrt(c))
    /// with g = (G_20, G_21).
    /// </summary>
    private static (double[] Y, bool[] Mask) Segment(double[] u, double c)
    {
        const int n = 3;
        var y = new double[n * n];
        var mask = new bool[n * n];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
            {
                y[i * n + j] = u[i] * u[j];
                mask[i * n + j] = true;
            }
        y[8] = c;
        mask[8] = true;
        return (y, mask);
    }

    private static double AnalyticDistance(double[] g, double[] u, double c)
    {
        double distance2 = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) distance2 += Math.Pow(g[i * 3 + j] - u[i] * u[j], 2);
        distance2 += Math.Pow(g[8] - c, 2);
        double[] column = [g[6], g[7]];
        double s = Math.Clamp((column[0] * u[0] + column[1] * u[1]) / (u[0] * u[0] + u[1] * u[1]), -Math.Sqrt(c), Math.Sqrt(c));
        for (int i = 0; i < 2; i++) distance2 += 2 * Math.Pow(column[i] - s * u[i], 2);
        return Math.Sqrt(distance2);
    }

    [Theory]
    [InlineData(0.3, -0.2)]  // inside the segment: only the fixed entries contribute
    [InlineData(2.0, 1.5)]   // beyond one end
    [InlineData(-3.0, 0.4)]  // beyond the other
    public void NearestCompletionOnASegmentMatchesTheAnalyticDistance(double g20, double g21)
    {
        double[] u = [0.8, -0.6];
        const double c = 0.49;
        (double[] y, bool[] mask) = Segment(u, c);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, 3, tolerance: 1e-10);
        Assert.True(result.Certificate.Certified, result.Certificate.ToString());
        Assert.True(result.Face.SlaterFailed);

        double[] g = [0.7, -0.3, g20, -0.3, 0.5, g21, g20, g21, 0.2];
        NearestOptimalCompletion nearest = OptimalCompletionSet.Nearest(result, g);
        double expected = AnalyticDistance(g, u, c);
        Assert.Equal(1, nearest.AffineDimension);
        Assert.True(Math.Abs(nearest.Distance - expected) <= 1e-10, $"distance {nearest.Distance:R}, analytic {expected:R}");
        Assert.True(nearest.DistanceLowerBound <= nearest.Distance);
        Assert.True(nearest.Accuracy <= 1e-9, $"interval width {nearest.Accuracy:E2}");
        Assert.True(nearest.EqualityResidual <= 1e-12 && nearest.PsdViolation <= 1e-12 && nearest.OptimalityGap <= 1e-10,
            $"nearest point not optimal: {nearest}");
    }

    [Fact]
    public void ProbeFindsTheEndsOfTheSegment()
    {
        double[] u = [0.8, -0.6];
        const double c = 0.49;
        (double[] y, bool[] mask) = Segment(u, c);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, 3, tolerance: 1e-10);
        OptimalSetProbe probe = OptimalCompletionSet.Probe(result, functionals: 2, seed: 5);
        Assert.False(probe.SinglePoint);
        Assert.Equal(1, probe.AffineDimension);
        Assert.Equal(2, probe.FaceRank);
        // The ends s = +-sqrt(c) differ by 2 sqrt(c) u in two off-diagonal places: distance 2 sqrt(2 c) ||u||.
        double diameter = 2 * Math.Sqrt(2 * c);
        Assert.True(Math.Abs(probe.Diameter - diameter) <= 1e-8, $"diameter {probe.Diameter:R}, analytic {diameter:R}");
        Assert.True(probe.ProbeAccuracy <= 1e-9);
        Assert.Equal(4, probe.Extremes.Count);
    }

    [Fact]
    public void AUniqueOptimumIsASinglePointAndItsOwnNearestCompletion()
    {
        // The unit off-diagonal case: the all-ones matrix is the unique minimum (see MinimumTraceCompletionTests).
        const int n = 5;
        var y = new double[n * n];
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) { y[i * n + j] = 1; mask[i * n + j] = true; }
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, tolerance: 1e-10);
        OptimalSetProbe probe = OptimalCompletionSet.Probe(result);
        Assert.True(probe.SinglePoint);
        Assert.True(probe.Diameter <= 1e-8, $"diameter {probe.Diameter:E2}");

        // Its distance to the identity is ||ones - I||_F = sqrt(n (n - 1)).
        var identity = new double[n * n];
        for (int i = 0; i < n; i++) identity[i * n + i] = 1;
        NearestOptimalCompletion nearest = OptimalCompletionSet.Nearest(result, identity);
        Assert.True(Math.Abs(nearest.Distance - Math.Sqrt(n * (n - 1))) <= 1e-9);
    }

    [Fact]
    public void AnUncertifiedResultIsRefused()
    {
        const int n = 10;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 2, seed: 41);
        bool[] mask = MinimumTraceCompletionTests.SymmetricMask(n, 0.4, 41);
        CompletionResult early = MinimumTraceCompletion.Solve(y, mask, n, 1e-9, maxIterations: 2);
        Assert.Throws<InvalidOperationException>(() => OptimalCompletionSet.Probe(early));
        Assert.Throws<InvalidOperationException>(() => OptimalCompletionSet.Nearest(early, y));
    }
}
