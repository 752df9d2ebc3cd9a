using Engine.Kernels.Completion;
using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Completion;

public class MinimumTraceCompletionTests
{
    private const double Tolerance = 1e-8;
    private const double RandomTolerance = 1e-6;

    [Fact]
    public void FullyObservedPsdMatrixIsReturnedUnchanged()
    {
        const int n = 12;
        double[] y = LowRankPsd(n, 3, seed: 1);
        bool[] all = Enumerable.Repeat(true, n * n).ToArray();
        CompletionResult result = MinimumTraceCompletion.Solve(y, all, n, Tolerance);
        AssertCertified(result, y, all, n);
        Assert.True(MaxAbsDifference(result.X, y) <= 1e-6, $"max |X - Y| = {MaxAbsDifference(result.X, y):E2}");
    }

    [Fact]
    public void OnlyTheDiagonalObservedGivesDiagY()
    {
        // With only the diagonal fixed, trace(X) is fixed too, and diag(Y) is the feasible point that is PSD with
        // all other entries zero; every PSD completion is optimal, so check the certificate and the diagonal,
        // and that the solver's ADMM path (which starts from zero) stays at the diagonal answer.
        const int n = 9;
        double[] y = LowRankPsd(n, 2, seed: 2);
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++) mask[i * n + i] = true;
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, Tolerance);
        AssertCertified(result, y, mask, n);
        var expected = new double[n * n];
        for (int i = 0; i < n; i++) expected[i * n + i] = y[i * n + i];
        Assert.True(MaxAbsDifference(result.X, expected) <= 1e-6, $"max |X - diag(Y)| = {MaxAbsDifference(result.X, expected):E2}");
    }

    [Fact]
    public void UnitOffDiagonalsCompleteToTheAllOnesMatrix()
    {
        // X_ij = 1 for i != j and X PSD force X_ii + X_jj >= 2 for every pair (test with e_i - e_j), so trace(X) >= n,
        // with equality only at the all-ones matrix: the unique minimum nuclear-norm completion.
        const int n = 5;
        var y = new double[n * n];
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) { y[i * n + j] = 1; mask[i * n + j] = true; }
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, Tolerance);
        AssertCertified(result, y, mask, n);
        Assert.Equal(n, result.Certificate.PrimalObjective, 6);
        Assert.True(MaxAbsDifference(result.X, Enumerable.Repeat(1.0, n * n).ToArray()) <= 1e-6);
    }

    [Theory]
    [InlineData(20, 2, 0.3, 11UL)]
    [InlineData(14, 2, 0.25, 12UL)]
    [InlineData(17, 1, 0.6, 13UL)]
    public void RandomPatternsMeetTheirCertificate(int n, int rank, double fraction, ulong seed)
    {
        double[] y = LowRankPsd(n, rank, seed);
        bool[] mask = SymmetricMask(n, fraction, seed);
        // Under-sampled random patterns sit near the recovery threshold, where ADMM's tail is slow; a looser
        // tolerance keeps the test short while still checking every claim of the certificate.
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, RandomTolerance);
        AssertCertified(result, y, mask, n, RandomTolerance);
        // Weak duality: trace(X) of a feasible X can not be below a feasible dual objective by more than the slack
        // the equality residual allows.
        Assert.True(result.Certificate.PrimalObjective >= result.Certificate.DualObjective - 1e-6);
    }

    [Fact]
    public void AnUnreachableToleranceIsReportedAsNotConverged()
    {
        const int n = 10;
        double[] y = LowRankPsd(n, 2, seed: 3);
        bool[] mask = SymmetricMask(n, 0.4, 3);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, tolerance: 1e-30, maxIterations: 20);
        Assert.False(result.Certificate.Converged);
        Assert.Equal(20, result.Certificate.Iterations);
    }

    [Fact]
    public void AsymmetricPatternIsRejected()
    {
        var mask = new bool[4];
        mask[1] = true;
        Assert.Throws<ArgumentException>(() => MinimumTraceCompletion.Solve(new double[4], mask, 2));
    }

    /// <summary>Checks that the certificate claims convergence and that its claims hold when re-measured here.</summary>
    private static void AssertCertified(CompletionResult result, double[] y, bool[] mask, int n, double tolerance = Tolerance)
    {
        CompletionCertificate c = result.Certificate;
        Assert.True(c.Converged, $"not converged: {c}");
        Assert.True(c.Accuracy <= tolerance, $"accuracy {c.Accuracy:E2}");

        double observedNorm2 = 0, equality2 = 0, xNorm2 = 0;
        for (int k = 0; k < n * n; k++)
        {
            xNorm2 += result.X[k] * result.X[k];
            if (!mask[k]) continue;
            observedNorm2 += y[k] * y[k];
            equality2 += (result.X[k] - y[k]) * (result.X[k] - y[k]);
        }
        Assert.True(Math.Sqrt(equality2) / (1 + Math.Sqrt(observedNorm2)) <= tolerance, "observations not matched");
        double minimum = SymmetricEigenSolver.Of(result.X, n).Eigenvalues.DefaultIfEmpty(0).First();
        Assert.True(minimum >= -tolerance * (1 + Math.Sqrt(xNorm2)), $"X is not PSD: lambda_min {minimum:E2}");

        // The full-space dual point is supported on Omega, feasible (I - Lambda PSD) to within the infeasibility its
        // certificate reports, which is inside the tolerance, and its objective is what is reported. (The face's dual
        // is what certifies; lifting it to the whole space can leave rounding-sized infeasibility, 1e-10 here.)
        var slack = new double[n * n];
        double dualObjective = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int at = i * n + j;
                if (!mask[at]) Assert.Equal(0, result.Lambda[at]);
                slack[at] = (i == j ? 1 : 0) - result.Lambda[at];
                if (mask[at]) dualObjective += result.Lambda[at] * y[at];
            }
        double slackMinimum = SymmetricEigenSolver.Of(slack, n).Eigenvalues.DefaultIfEmpty(0).First();
        Assert.True(c.FullSpaceDualInfeasibility <= tolerance, $"full-space dual infeasibility {c.FullSpaceDualInfeasibility:E3}");
        Assert.True(slackMinimum >= -c.FullSpaceDualInfeasibility - 1e-12, $"dual point infeasible: lambda_min(I - Lambda) = {slackMinimum:E3}, certificate {c}");
        Assert.Equal(c.DualObjective, dualObjective, 10);
        double trace = 0;
        for (int i = 0; i < n; i++) trace += result.X[i * n + i];
        Assert.True(Math.Abs(trace - dualObjective) / (1 + Math.Abs(trace) + Math.Abs(dualObjective)) <= tolerance, "gap not closed");
    }

    internal static double[] LowRankPsd(int n, int rank, ulong seed)
    {
        var w = new double[n * rank];
        new NormalSampler(seed).Fill(w);
        var y = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < rank; k++) sum += w[i * rank + k] * w[j * rank + k];
                y[i * n + j] = sum / n;
            }
        return y;
    }

    internal static bool[] SymmetricMask(int n, double fraction, ulong seed)
    {
        var sampler = new NormalSampler(seed, 1);
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                if (sampler.NextDouble() < fraction) mask[i * n + j] = mask[j * n + i] = true;
        return mask;
    }

    private static double MaxAbsDifference(double[] a, double[] b)
    {
        double worst = 0;
        for (int k = 0; k < a.Length; k++) worst = Math.Max(worst, Math.Abs(a[k] - b[k]));
        return worst;
    }
}
