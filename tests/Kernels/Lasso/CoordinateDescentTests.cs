using Engine.Kernels.Lasso;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Lasso;

public class CoordinateDescentTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string c in LassoReference.Cases) { data.Add(c, false); data.Add(c, true); }
        return data;
    }

    /// <summary>Every case and sign constraint under both solvers (Gram and residual updates).</summary>
    public static TheoryData<string, bool, LassoPrecompute> CasesBySolver()
    {
        var data = new TheoryData<string, bool, LassoPrecompute>();
        foreach (string c in LassoReference.Cases)
            foreach (bool positive in new[] { false, true })
                foreach (var mode in new[] { LassoPrecompute.Gram, LassoPrecompute.Residual }) data.Add(c, positive, mode);
        return data;
    }

    [Theory, MemberData(nameof(CasesBySolver))]
    public void Path_equals_scikit_learn_to_1e6(string name, bool positive, LassoPrecompute mode)
    {
        var problem = LassoReference.Problem(name);
        var (alphas, expected) = LassoReference.Path($"{name}_cd{(positive ? "_positive" : "")}.csv");
        var grid = problem.AlphaGrid(alphas.Length, 1e-3);
        for (int k = 0; k < alphas.Length; k++) Assert.Equal(alphas[k], grid[k], 1e-12 * alphas[0]);
        var path = CoordinateDescent.Path(problem, grid, new LassoOptions(Tolerance: 1e-14, Positive: positive, MaxEpochs: 1_000_000, Precompute: mode));
        for (int k = 0; k < alphas.Length; k++)
            for (int j = 0; j < problem.Features; j++)
                Assert.True(Math.Abs(path.Coefficients[k][j] - expected[k][j]) <= 1e-6,
                    $"alpha #{k}, feature {j}: engine {path.Coefficients[k][j]}, scikit-learn {expected[k][j]}");
    }

    // At scikit-learn's default tolerance the warm start is often already within tolerance at the next alpha;
    // scikit-learn still makes one pass there, so a solver that tested the gap first would repeat rows.
    [Theory]
    [InlineData("tall", LassoPrecompute.Gram), InlineData("wide", LassoPrecompute.Gram), InlineData("square", LassoPrecompute.Gram)]
    [InlineData("tall", LassoPrecompute.Residual), InlineData("wide", LassoPrecompute.Residual), InlineData("square", LassoPrecompute.Residual)]
    public void Path_at_the_default_tolerance_follows_scikit_learn_without_repeated_rows(string name, LassoPrecompute mode)
    {
        var problem = LassoReference.Problem(name);
        var (alphas, expected) = LassoReference.Path($"{name}_cd_tol4.csv");
        var path = CoordinateDescent.Path(problem, problem.AlphaGrid(alphas.Length, 1e-3), new LassoOptions(Tolerance: 1e-4, Precompute: mode));
        double worst = 0;
        int repeated = 0;
        for (int k = 0; k < alphas.Length; k++)
        {
            for (int j = 0; j < problem.Features; j++) worst = Math.Max(worst, Math.Abs(path.Coefficients[k][j] - expected[k][j]));
            if (k > 0 && path.Coefficients[k].Any(v => v != 0) && path.Coefficients[k].SequenceEqual(path.Coefficients[k - 1])) repeated++;
        }
        Assert.Equal(0, repeated);
        // Both solvers stop anywhere inside the same gap tolerance, so they agree only to the accuracy it allows.
        Assert.True(worst <= 5e-3, $"largest difference from scikit-learn at tol 1e-4: {worst}");
    }

    [Theory, MemberData(nameof(CasesBySolver))]
    public void Every_path_point_satisfies_the_optimality_conditions(string name, bool positive, LassoPrecompute mode)
    {
        var problem = LassoReference.Problem(name);
        var path = CoordinateDescent.Path(problem, 50, 1e-4, new LassoOptions(Tolerance: 1e-12, Positive: positive, Precompute: mode));
        double tolerance = Math.Sqrt(problem.YNormSquared) / problem.Samples * 1e-4;
        for (int k = 0; k < path.Count; k++)
        {
            Assert.True(path.DualityGaps[k] <= 1e-12 * problem.YNormSquared, $"gap {path.DualityGaps[k]} at #{k}");
            if (positive) Assert.All(path.Coefficients[k], v => Assert.True(v >= 0));
            double violation = LassoOptimality.MaxViolation(problem, path.Coefficients[k], path.Alphas[k], positive);
            Assert.True(violation <= tolerance, $"KKT violation {violation} at alpha #{k} ({path.Alphas[k]})");
        }
    }

    [Theory, InlineData(LassoPrecompute.Gram), InlineData(LassoPrecompute.Residual)]
    public void Screening_and_working_sets_reach_the_requested_gap_on_a_wide_problem(LassoPrecompute mode)
    {
        const int n = 60, p = 700;
        var (x, y) = Synthetic(n, p, seed: 5);
        var problem = LassoProblem.FromRowMajor(x, n, p, y);
        var options = new LassoOptions(Tolerance: 1e-10, Precompute: mode);
        var path = CoordinateDescent.Path(problem, 20, 1e-2, options);
        for (int k = 0; k < path.Count; k++)
        {
            double gap = DualityGap.Of(problem, path.Coefficients[k], path.Alphas[k], positive: false);
            Assert.True(gap <= 1e-10 * problem.YNormSquared, $"gap {gap} at #{k}");
            Assert.Equal(gap, path.DualityGaps[k], 1e-9 * problem.YNormSquared);
        }
    }

    [Fact]
    public void Above_alpha_max_the_solution_is_zero()
    {
        var problem = LassoReference.Problem("tall");
        Assert.All(CoordinateDescent.Solve(problem, problem.AlphaMax * 1.0001), v => Assert.Equal(0, v));
        Assert.Contains(CoordinateDescent.Solve(problem, problem.AlphaMax * 0.9), v => v != 0);
    }

    internal static (double[] X, double[] Y) Synthetic(int n, int p, ulong seed)
    {
        var sampler = new NormalSampler(seed);
        var x = new double[n * p];
        sampler.Fill(x);
        var w = new double[p];
        for (int k = 0; k < Math.Min(10, p); k++) w[sampler.NextInt(p)] = sampler.NextNormal();
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0.1 * sampler.NextNormal();
            for (int j = 0; j < p; j++) s += x[i * p + j] * w[j];
            y[i] = s;
        }
        return (x, y);
    }
}

public class ResidualSolverThreadingTests
{
    [Fact]
    public void Screening_on_two_threads_gives_the_one_thread_path_bit_for_bit()
    {
        // 100 x 40000 is past the size at which the int8 pass is split over threads.
        const int n = 100, p = 40_000;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 31);
        var problem = LassoProblem.FromRowMajor(x, n, p, y);
        var one = CoordinateDescent.Path(problem, 12, 1e-2, new LassoOptions(Tolerance: 1e-8, MaxThreads: 1));
        var two = CoordinateDescent.Path(problem, 12, 1e-2, new LassoOptions(Tolerance: 1e-8, MaxThreads: 2));
        Assert.False(CoordinateDescent.UsesGram(problem, LassoOptions.Default));
        for (int k = 0; k < one.Count; k++)
        {
            Assert.Equal(one.Coefficients[k], two.Coefficients[k]);
            Assert.Equal(one.DualityGaps[k], two.DualityGaps[k]);
            Assert.True(one.DualityGaps[k] <= 1e-8 * problem.YNormSquared);
            Assert.Equal(0, one.Intercepts[k]);
        }
        double[] sample = x.AsSpan(3 * p, p).ToArray();
        double prediction = 0;
        for (int j = 0; j < p; j++) prediction += sample[j] * one.Coefficients[^1][j];
        Assert.Equal(prediction, one.Predict(one.Count - 1, sample), 1e-12 * Math.Abs(prediction) + 1e-15);
    }
}
