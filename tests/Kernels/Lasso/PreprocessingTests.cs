using Engine.Kernels.Lasso;

namespace Engine.Tests.Kernels.Lasso;

public class PreprocessingTests
{
    [Fact]
    public void Prepared_columns_are_weighted_centered_and_scaled_and_map_back()
    {
        var (x, y, n, p) = LassoReference.Data("diabetes.csv");
        double[] weights = LassoReference.Rows("diabetes_weights.csv").Select(r => r[0]).ToArray();
        var problem = LassoProblem.FromRowMajor(x, n, p, y, new LassoPreprocessing(true, true, weights));
        double total = weights.Sum();
        for (int j = 0; j < p; j++)
        {
            // Rows carry sqrt(w_i / mean w); undoing one factor gives the weighted moments of the standardized column.
            double mean = 0, square = 0;
            for (int i = 0; i < n; i++)
            {
                double v = problem.Column(j)[i], root = Math.Sqrt(weights[i] * n / total);
                mean += root * v;
                square += v * v;
            }
            Assert.Equal(0, mean / n, 1e-12);
            Assert.Equal(1, square / n, 1e-12);
        }
        Assert.Equal(0, problem.Y.Select((v, i) => v * Math.Sqrt(weights[i] * n / total)).Sum(), 1e-9 * Math.Sqrt(problem.YNormSquared));

        // A solution of the prepared problem predicts the same as its original-scale coefficients and intercept.
        var w = Enumerable.Range(0, p).Select(j => 0.3 * j - 1).ToArray();
        var coefficients = new double[p];
        double intercept = problem.ToOriginalScale(w, coefficients);
        Assert.Equal(w, problem.ToSolverScale(coefficients), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Abs(a) + 1e-15);
        var r = new double[n];
        problem.Residual(w, r);
        for (int i = 0; i < n; i++)
        {
            double prediction = intercept;
            for (int j = 0; j < p; j++) prediction += x[i * p + j] * coefficients[j];
            Assert.Equal(r[i], Math.Sqrt(weights[i] * n / total) * (y[i] - prediction), 1e-9);
        }
    }

    [Fact]
    public void Without_preprocessing_the_problem_is_the_data_as_given()
    {
        var (x, y, n, p) = LassoReference.Data("tall.csv");
        var problem = LassoProblem.FromRowMajor(x, n, p, y);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++) Assert.Equal(x[i * p + j], problem.Column(j)[i]);
        Assert.Equal(y, problem.Y);
        Assert.All(problem.XScale, s => Assert.Equal(1, s));
        Assert.All(problem.XOffset, s => Assert.Equal(0, s));
        Assert.Equal(0, problem.YOffset);
    }

    [Fact]
    public void A_constant_column_keeps_scale_one_and_a_zero_coefficient()
    {
        const int n = 30, p = 4;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 9);
        for (int i = 0; i < n; i++) x[i * p + 2] = 5;
        var problem = LassoProblem.FromRowMajor(x, n, p, y, LassoPreprocessing.Glmnet);
        Assert.Equal(1, problem.XScale[2]);
        var path = CoordinateDescent.Path(problem, 10, 1e-2);
        Assert.All(path.Coefficients, w => Assert.Equal(0, w[2]));
    }

    [Fact]
    public void Bad_weights_and_sizes_are_rejected()
    {
        var x = new double[6];
        var y = new double[3];
        Assert.Throws<ArgumentException>(() => LassoProblem.FromRowMajor(x, 3, 2, y, new LassoPreprocessing(SampleWeights: [1, 2])));
        Assert.Throws<ArgumentException>(() => LassoProblem.FromRowMajor(x, 3, 2, y, new LassoPreprocessing(SampleWeights: [1, -1, 2])));
        Assert.Throws<ArgumentException>(() => LassoProblem.FromRowMajor(x, 3, 2, y, new LassoPreprocessing(SampleWeights: [0, 0, 0])));
        Assert.Throws<ArgumentException>(() => LassoProblem.FromRowMajor(x, 3, 2, y, new LassoPreprocessing(SampleWeights: [1, double.NaN, 2])));
        // Each weight is finite but their sum is not: rescaling them to sum to n would give zeros.
        Assert.Throws<ArgumentException>(() => LassoProblem.FromRowMajor(x, 3, 2, y, new LassoPreprocessing(SampleWeights: [1e308, 1e308, 1])));
        Assert.Throws<ArgumentException>(() => LassoProblem.FromRowMajor(x, 3, 3, y));
        var problem = LassoProblem.FromRowMajor(x, 3, 2, y);
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateDescent.Path(problem, [1.0], new LassoOptions(L1Ratio: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateDescent.Path(problem, [1.0], new LassoOptions(L1Ratio: 1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CoordinateDescent.Path(problem, [1.0], new LassoOptions(Tolerance: double.NaN)));
    }

    [Fact]
    public void Data_whose_squares_overflow_are_refused_and_large_data_below_the_limit_give_the_scaled_path()
    {
        const int n = 40, p = 6;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 31);
        // 1e160 squared overflows; every magnitude is still finite.
        Assert.Contains("overflow double precision", Assert.Throws<ArgumentException>(() =>
            LassoProblem.FromRowMajor(x.Select(v => v * 1e160).ToArray(), n, p, y.Select(v => v * 1e160).ToArray())).Message);
        // At 1e140 the squares are near 1e282: the path exists, and scaling X and y alike leaves w unchanged.
        var options = new LassoOptions(Tolerance: 1e-12);
        var plain = CoordinateDescent.Path(LassoProblem.FromRowMajor(x, n, p, y), count: 10, options: options);
        var large = CoordinateDescent.Path(LassoProblem.FromRowMajor(x.Select(v => v * 1e140).ToArray(), n, p, y.Select(v => v * 1e140).ToArray()), count: 10, options: options);
        for (int k = 0; k < 10; k++)
        {
            Assert.True(double.IsFinite(large.DualityGaps[k]));
            for (int j = 0; j < p; j++) Assert.Equal(plain.Coefficients[k][j], large.Coefficients[k][j], 1e-6);
        }
    }

    [Fact]
    public void Data_whose_squares_underflow_are_refused_and_small_data_above_the_limit_give_the_scaled_path()
    {
        const int n = 40, p = 6;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 31);
        // 1e-200 squared is 0 in double precision (y read as orthogonal to every column before); 1e-155 squared sums below
        // the limit; a zero column or a zero y is data, not underflow.
        foreach (double tiny in new[] { 1e-200, 1e-155 })
            Assert.Contains("underflow double precision", Assert.Throws<ArgumentException>(() =>
                LassoProblem.FromRowMajor(x.Select(v => v * tiny).ToArray(), n, p, y.Select(v => v * tiny).ToArray())).Message);
        LassoProblem.FromRowMajor(x.Select((v, k) => k % p == 0 ? 0 : v).ToArray(), n, p, new double[n]);
        var options = new LassoOptions(Tolerance: 1e-12);
        var plain = CoordinateDescent.Path(LassoProblem.FromRowMajor(x, n, p, y), count: 10, options: options);
        var small = CoordinateDescent.Path(LassoProblem.FromRowMajor(x.Select(v => v * 1e-90).ToArray(), n, p, y.Select(v => v * 1e-90).ToArray()), count: 10, options: options);
        for (int k = 0; k < 10; k++)
            for (int j = 0; j < p; j++) Assert.Equal(plain.Coefficients[k][j], small.Coefficients[k][j], 1e-6);
    }

    [Fact]
    public void The_grid_starts_at_the_true_alpha_max_and_there_is_none_when_it_is_zero()
    {
        const int n = 40, p = 6;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 37);
        var plain = LassoProblem.FromRowMajor(x, n, p, y);
        // Scaled by 1e-9, alpha_max falls by 1e-18, below the 1e-15 floor scikit-learn would put in its place.
        var small = LassoProblem.FromRowMajor(x.Select(v => v * 1e-9).ToArray(), n, p, y.Select(v => v * 1e-9).ToArray());
        Assert.True(small.AlphaMax < 1e-15);
        double[] grid = small.AlphaGrid(10, 1e-3);
        Assert.Equal(small.AlphaMax, grid[0]);
        var options = new LassoOptions(Tolerance: 1e-12);
        var expected = CoordinateDescent.Path(plain, count: 10, options: options);
        var actual = CoordinateDescent.Path(small, grid, options);
        for (int k = 0; k < 10; k++)
            for (int j = 0; j < p; j++) Assert.Equal(expected.Coefficients[k][j], actual.Coefficients[k][j], 1e-6);
        // y = (1, -1) against the column (1, 1): orthogonal, so every alpha gives the zero model and no grid is made up.
        var orthogonal = LassoProblem.FromRowMajor([1.0, 1.0], 2, 1, [1.0, -1.0]);
        Assert.Equal(0, orthogonal.AlphaMax);
        Assert.Contains("the whole path is the zero model", Assert.Throws<InvalidOperationException>(() => orthogonal.AlphaGrid()).Message);
    }
}
