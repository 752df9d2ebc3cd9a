using Engine.Kernels.Lasso;

namespace Engine.Tests.Kernels.Lasso;

public class HomotopyTests
{
    [Theory]
    [InlineData("tall")]
    [InlineData("wide")]
    [InlineData("square")]
    public void Signed_path_equals_scikit_learn_lars_at_its_breakpoints(string name)
    {
        // scikit-learn's lars_path stops once min(n, p) features are active, so compare at its breakpoints.
        var problem = LassoReference.Problem(name);
        var (alphas, expected) = LassoReference.Path($"{name}_lars.csv");
        var path = Homotopy.Path(problem);
        for (int k = 0; k < alphas.Length; k++)
        {
            Assert.Equal(alphas[k], path.Alphas[k], 1e-9);
            var w = path.At(alphas[k]);
            for (int j = 0; j < problem.Features; j++)
                Assert.True(Math.Abs(w[j] - expected[k][j]) <= 1e-6,
                    $"breakpoint #{k}, feature {j}: engine {w[j]}, scikit-learn {expected[k][j]}");
        }
    }

    [Theory, MemberData(nameof(CoordinateDescentTests.Cases), MemberType = typeof(CoordinateDescentTests))]
    public void Exact_path_equals_scikit_learn_lasso_path_on_its_grid(string name, bool positive)
    {
        // The positive case is checked against lasso_path, because scikit-learn documents that its positive
        // LARS leaves the coordinate-descent solution at small alphas.
        var problem = LassoReference.Problem(name);
        var (alphas, expected) = LassoReference.Path($"{name}_cd{(positive ? "_positive" : "")}.csv");
        var path = Homotopy.Path(problem, positive);
        for (int k = 0; k < alphas.Length; k++)
        {
            var w = path.At(alphas[k]);
            for (int j = 0; j < problem.Features; j++)
                Assert.True(Math.Abs(w[j] - expected[k][j]) <= 1e-6, $"alpha #{k}, feature {j}: engine {w[j]}, scikit-learn {expected[k][j]}");
        }
    }

    [Theory, MemberData(nameof(CoordinateDescentTests.Cases), MemberType = typeof(CoordinateDescentTests))]
    public void Exact_path_agrees_with_coordinate_descent_on_the_grid_and_is_optimal(string name, bool positive)
    {
        var problem = LassoReference.Problem(name);
        var exact = Homotopy.Path(problem, positive);
        var grid = problem.AlphaGrid(40, 1e-3);
        var cd = CoordinateDescent.Path(problem, grid, new LassoOptions(Tolerance: 1e-14, Positive: positive, MaxEpochs: 1_000_000));
        var sampled = exact.OnGrid(problem, grid);
        double tolerance = Math.Sqrt(problem.YNormSquared) / problem.Samples * 1e-8;
        for (int k = 0; k < grid.Length; k++)
        {
            for (int j = 0; j < problem.Features; j++) Assert.Equal(cd.Coefficients[k][j], sampled.Coefficients[k][j], 1e-6);
            Assert.True(LassoOptimality.MaxViolation(problem, sampled.Coefficients[k], grid[k], positive) <= tolerance);
        }
        for (int k = 1; k < exact.Breakpoints; k++)
            Assert.True(LassoOptimality.MaxViolation(problem, exact.Coefficients[k], Math.Max(exact.Alphas[k], 1e-300), positive) <= tolerance,
                $"breakpoint #{k} at alpha {exact.Alphas[k]}");
    }

    [Fact]
    public void End_of_the_path_is_an_interpolant_of_minimum_l1_norm()
    {
        // Under-determined and full row rank: the end interpolates, and any other interpolant x_end + v with
        // v in the null space of X has at least its l1 norm.
        var problem = LassoReference.Problem("wide");
        var end = Homotopy.Path(problem).End;
        var r = new double[problem.Samples];
        problem.Residual(end, r);
        Assert.True(r.Max(Math.Abs) <= 1e-9 * Math.Sqrt(problem.YNormSquared));
        double l1 = end.Sum(Math.Abs);
        var sampler = new Engine.Kernels.Random.NormalSampler(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var v = new double[problem.Features];
            sampler.Fill(v);
            ProjectOntoNullSpace(problem, v);
            double scale = 1e-3 * (1 + trial % 7);
            double other = 0;
            for (int j = 0; j < v.Length; j++) other += Math.Abs(end[j] + scale * v[j]);
            Assert.True(other >= l1 - 1e-12, $"trial {trial}: {other} < {l1}");
        }
    }

    [Fact]
    public void A_small_columns_true_breakpoint_is_above_its_own_rounding_floor()
    {
        // Column 2 joins at lambda = 1e-13, far below 1e-12 lambda_max but far above the rounding of its own correlation
        // (about 1e-16 ||x_2|| ||y|| = 1e-29): a floor taken from lambda_max alone ended the path at (1, 0), 0.71 ||y||
        // from y. The end is least squares, (1, 1e13), to the accuracy a Gram matrix of condition 1e26 allows.
        var problem = LassoProblem.FromRowMajor([1, 0, 0, 1e-13], 2, 2, [1, 1]);
        foreach (bool positive in new[] { false, true })
        {
            var end = Homotopy.Path(problem, positive).End;
            Assert.Equal(1, end[0], 1e-12);
            Assert.Equal(1e13, end[1], 1e13 * 1e-3);
        }
    }

    [Fact]
    public void A_columns_breakpoint_is_kept_when_most_of_y_is_orthogonal_to_it()
    {
        // y = (1e-13, 1e-14, 1): lambda_max is 1e-13 and feature 2 joins at 1e-14, far above the rounding of x_2^T y
        // (1e-16 of |x_2| . |y| = 1e-30) but below 1e-12 ||x_2|| ||y||, a floor that missed feature 2 altogether. The end is
        // least squares, (1e-13, 1e-14).
        var problem = LassoProblem.FromRowMajor([1, 0, 0, 1, 0, 0], 3, 2, [1e-13, 1e-14, 1]);
        foreach (bool positive in new[] { false, true })
        {
            var end = Homotopy.Path(problem, positive).End;
            Assert.Equal(1e-13, end[0], 1e-13 * 1e-9);
            Assert.Equal(1e-14, end[1], 1e-14 * 1e-9);
        }
    }

    // v minus its projection on the row space of X, by Gram-Schmidt over the rows.
    private static void ProjectOntoNullSpace(LassoProblem problem, double[] v)
    {
        int n = problem.Samples, p = problem.Features;
        var basis = new List<double[]>();
        for (int i = 0; i < n; i++)
        {
            var row = new double[p];
            for (int j = 0; j < p; j++) row[j] = problem.Column(j)[i];
            foreach (var q in basis) { double d = Dot(row, q); for (int j = 0; j < p; j++) row[j] -= d * q[j]; }
            double norm = Math.Sqrt(Dot(row, row));
            for (int j = 0; j < p; j++) row[j] /= norm;
            basis.Add(row);
        }
        foreach (var q in basis) { double d = Dot(v, q); for (int j = 0; j < p; j++) v[j] -= d * q[j]; }
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
}
