using Engine.Kernels.Lasso;

namespace Engine.Tests.Kernels.Lasso;

/// <summary>
/// The features glmnet and scikit-learn users expect, against those libraries on the diabetes data: the elastic net
/// with and without an intercept (scikit-learn's ElasticNet), the Lasso path with sample weights (Lasso.fit with
/// sample_weight along a grid), and standardization with and without weights (glmnet itself).
/// </summary>
public class ElasticNetTests
{
    private static readonly LassoPrecompute[] Solvers = [LassoPrecompute.Gram, LassoPrecompute.Residual];

    public static TheoryData<LassoPrecompute> BothSolvers() => new(Solvers);

    private static (double[] X, double[] Y, int N, int P) Diabetes() => LassoReference.Data("diabetes.csv");

    private static double[] Weights() => LassoReference.Rows("diabetes_weights.csv").Select(r => r[0]).ToArray();

    // Coefficients are compared relative to the largest in the reference, the intercept relative to |y|'s scale.
    private static void AssertModel(double[] expected, double expectedIntercept, double[] actual, double actualIntercept, double relative, string what)
    {
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(actual[j] - expected[j]) <= relative * scale, $"{what}, feature {j}: engine {actual[j]}, reference {expected[j]}");
        Assert.True(Math.Abs(actualIntercept - expectedIntercept) <= relative * Math.Max(scale, Math.Abs(expectedIntercept)),
            $"{what}, intercept: engine {actualIntercept}, reference {expectedIntercept}");
    }

    [Theory, MemberData(nameof(BothSolvers))]
    public void Elastic_net_equals_scikit_learn_ElasticNet_with_and_without_intercept(LassoPrecompute solver)
    {
        var (x, y, n, p) = Diabetes();
        foreach (double[] row in LassoReference.Rows("diabetes_enet.csv"))
        {
            double alpha = row[0], l1Ratio = row[1];
            bool intercept = row[2] != 0;
            var problem = LassoProblem.FromRowMajor(x, n, p, y, new LassoPreprocessing(FitIntercept: intercept));
            var path = CoordinateDescent.Path(problem, [alpha], new LassoOptions(Tolerance: 1e-13, MaxEpochs: 1_000_000, L1Ratio: l1Ratio, Precompute: solver));
            AssertModel(row[4..], row[3], path.Coefficients[0], path.Intercepts[0], 1e-7, $"alpha {alpha}, l1 {l1Ratio}, intercept {intercept}");
            Assert.True(LassoOptimality.MaxViolation(problem, problem.ToSolverScale(path.Coefficients[0]), alpha, false, l1Ratio) <= 1e-6 * alpha);
        }
    }

    [Theory, MemberData(nameof(BothSolvers))]
    public void Weighted_path_equals_scikit_learn_Lasso_with_sample_weight(LassoPrecompute solver)
    {
        var (x, y, n, p) = Diabetes();
        double[][] rows = LassoReference.Rows("diabetes_weighted_path.csv");
        var problem = LassoProblem.FromRowMajor(x, n, p, y, new LassoPreprocessing(FitIntercept: true, SampleWeights: Weights()));
        // The reference grid starts at the weighted problem's alpha_max, which the prepared problem reproduces.
        Assert.Equal(rows[0][0], problem.AlphaMax, 1e-12 * rows[0][0]);
        var path = CoordinateDescent.Path(problem, rows.Select(r => r[0]).ToArray(), new LassoOptions(Tolerance: 1e-13, MaxEpochs: 1_000_000, Precompute: solver));
        for (int k = 0; k < rows.Length; k++)
            AssertModel(rows[k][2..], rows[k][1], path.Coefficients[k], path.Intercepts[k], 1e-7, $"alpha #{k}");
    }

    [Theory, MemberData(nameof(BothSolvers))]
    public void Standardized_paths_equal_glmnet_with_and_without_weights(LassoPrecompute solver)
    {
        var (x, y, n, p) = Diabetes();
        double[][] rows = LassoReference.Rows("diabetes_glmnet.csv");
        foreach (bool weighted in new[] { false, true })
        {
            var reference = rows.Where(r => (r[0] != 0) == weighted).ToArray();
            var problem = LassoProblem.FromRowMajor(x, n, p, y, LassoPreprocessing.Glmnet with { SampleWeights = weighted ? Weights() : null });
            var path = CoordinateDescent.Path(problem, reference.Select(r => r[1]).ToArray(), new LassoOptions(Tolerance: 1e-14, MaxEpochs: 1_000_000, Precompute: solver));
            // glmnet stops on the size of its coordinate moves, which leaves its own solutions about 2e-6 (relative)
            // from the optimum at the small lambdas (scikit-learn on the standardized data agrees with the engine, not
            // with glmnet, there); a wrong convention (n - 1 in the standard deviation, unweighted moments) moves the
            // coefficients by 1e-3 or more.
            for (int k = 0; k < reference.Length; k++)
                AssertModel(reference[k][3..], reference[k][2], path.Coefficients[k], path.Intercepts[k], 5e-6, $"weighted {weighted}, lambda #{k}");
        }
    }

    public static TheoryData<LassoPrecompute, bool, double> ElasticNetCases()
    {
        var data = new TheoryData<LassoPrecompute, bool, double>();
        foreach (var solver in Solvers)
            foreach (bool positive in new[] { false, true })
                foreach (double l1 in new[] { 0.3, 0.8 }) data.Add(solver, positive, l1);
        return data;
    }

    [Theory, MemberData(nameof(ElasticNetCases))]
    public void Elastic_net_path_satisfies_its_optimality_conditions_and_reaches_the_gap(LassoPrecompute solver, bool positive, double l1Ratio)
    {
        const int n = 50, p = 300;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 21);
        var problem = LassoProblem.FromRowMajor(x, n, p, y, LassoPreprocessing.ScikitLearn);
        var path = CoordinateDescent.Path(problem, 30, 1e-3, new LassoOptions(Tolerance: 1e-11, Positive: positive, L1Ratio: l1Ratio, Precompute: solver));
        Assert.Equal(problem.AlphaMax / l1Ratio, path.Alphas[0], 1e-12 * path.Alphas[0]);
        // At the top of the grid the solution is zero up to the rounding of alpha_max itself.
        Assert.All(path.Coefficients[0], v => Assert.True(Math.Abs(v) <= 1e-12 * Math.Sqrt(problem.YNormSquared)));
        for (int k = 0; k < path.Count; k++)
        {
            double[] w = problem.ToSolverScale(path.Coefficients[k]);
            double gap = DualityGap.Of(problem, w, path.Alphas[k], positive, l1Ratio);
            Assert.True(gap <= 1e-11 * problem.YNormSquared, $"gap {gap} at #{k}");
            Assert.Equal(gap, path.DualityGaps[k], 1e-9 * problem.YNormSquared);
            if (positive) Assert.All(w, v => Assert.True(v >= 0));
            double violation = LassoOptimality.MaxViolation(problem, w, path.Alphas[k], positive, l1Ratio);
            Assert.True(violation <= 1e-4 * Math.Sqrt(problem.YNormSquared) / n, $"KKT violation {violation} at #{k}");
        }
    }

    [Fact]
    public void Both_solvers_give_the_same_path()
    {
        const int n = 80, p = 60;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 4);
        var problem = LassoProblem.FromRowMajor(x, n, p, y, new LassoPreprocessing(FitIntercept: true, Standardize: true));
        var gram = CoordinateDescent.Path(problem, 40, 1e-3, new LassoOptions(Tolerance: 1e-13, L1Ratio: 0.7, Precompute: LassoPrecompute.Gram));
        var residual = CoordinateDescent.Path(problem, 40, 1e-3, new LassoOptions(Tolerance: 1e-13, L1Ratio: 0.7, Precompute: LassoPrecompute.Residual));
        for (int k = 0; k < gram.Count; k++)
        {
            for (int j = 0; j < p; j++) Assert.Equal(gram.Coefficients[k][j], residual.Coefficients[k][j], 1e-6);
            Assert.Equal(gram.Intercepts[k], residual.Intercepts[k], 1e-6);
        }
    }
}
