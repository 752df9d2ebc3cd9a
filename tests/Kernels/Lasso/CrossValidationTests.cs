using Engine.Kernels.Lasso;

namespace Engine.Tests.Kernels.Lasso;

/// <summary>K-fold cross-validation against scikit-learn's LassoCV given the same explicit folds (diabetes data).</summary>
public class CrossValidationTests
{
    [Theory, InlineData(false), InlineData(true)]
    public void Curve_and_choices_equal_scikit_learn_LassoCV_on_the_same_folds(bool weighted)
    {
        var (x, y, n, p) = LassoReference.Data("diabetes.csv");
        int[] folds = LassoReference.Rows("diabetes_folds.csv").Select(r => (int)r[0]).ToArray();
        double[]? weights = weighted ? LassoReference.Rows("diabetes_weights.csv").Select(r => r[0]).ToArray() : null;
        double[][] curve = LassoReference.Rows(weighted ? "diabetes_cv_weighted.csv" : "diabetes_cv.csv");
        double[] choices = LassoReference.Rows("diabetes_cv_choices.csv").Single(r => (r[0] != 0) == weighted);
        double[] alphas = curve.Select(r => r[0]).ToArray();

        // Unweighted, the engine's own default grid is LassoCV's; weighted, both are given the reference grid.
        var cv = new LassoCrossValidationOptions(FoldOf: folds, Count: alphas.Length, Alphas: weighted ? alphas : null);
        var result = LassoCrossValidation.Run(x, n, p, y, new LassoPreprocessing(FitIntercept: true, SampleWeights: weights),
            new LassoOptions(Tolerance: 1e-13, MaxEpochs: 1_000_000), cv);

        Assert.Equal(5, result.Folds);
        for (int k = 0; k < alphas.Length; k++)
        {
            Assert.Equal(alphas[k], result.Alphas[k], 1e-12 * alphas[0]);
            Assert.Equal(curve[k][1], result.MeanError[k], 1e-8 * curve[k][1]);
            Assert.Equal(curve[k][2], result.StandardError[k], 1e-6 * curve[k][2]);
            for (int f = 0; f < 5; f++) Assert.Equal(curve[k][3 + f], result.FoldErrors[f][k], 1e-8 * curve[k][3 + f]);
        }
        Assert.Equal(choices[1], result.AlphaMin, 1e-12 * choices[1]);
        Assert.Equal(choices[2], result.Alpha1Se, 1e-12 * choices[2]);
        Assert.True(result.Alpha1Se >= result.AlphaMin);
        Assert.Equal(alphas.Length, result.Path.Count);
    }

    [Fact]
    public void Seeded_folds_are_reproducible_balanced_and_differ_between_seeds()
    {
        int[] a = CrossValidationFolds.Assign(103, 10, 42), b = CrossValidationFolds.Assign(103, 10, 42), c = CrossValidationFolds.Assign(103, 10, 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var sizes = a.GroupBy(f => f).Select(g => g.Count()).ToArray();
        Assert.Equal(10, sizes.Length);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        Assert.Equal(10, CrossValidationFolds.Count(a, 103));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidationFolds.Assign(5, 6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossValidationFolds.Assign(5, 1, 0));
        Assert.Throws<ArgumentException>(() => CrossValidationFolds.Count([0, 2, 2], 3));
        Assert.Throws<ArgumentException>(() => CrossValidationFolds.Count([0, 1], 3));
    }

    [Fact]
    public void The_seed_fixes_the_result_and_the_thread_count_does_not_change_it()
    {
        const int n = 60, p = 30;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 17);
        var cv = new LassoCrossValidationOptions(Folds: 4, Seed: 5, Count: 20);
        var one = LassoCrossValidation.Run(x, n, p, y, LassoPreprocessing.Glmnet, new LassoOptions(Tolerance: 1e-10, MaxThreads: 1), cv);
        var many = LassoCrossValidation.Run(x, n, p, y, LassoPreprocessing.Glmnet, new LassoOptions(Tolerance: 1e-10, MaxThreads: 4), cv);
        Assert.Equal(CrossValidationFolds.Assign(n, 4, 5), one.FoldOf);
        Assert.Equal(one.MeanError, many.MeanError);
        Assert.Equal(one.StandardError, many.StandardError);
        Assert.Equal(one.IndexMin, many.IndexMin);
        Assert.Equal(one.Index1Se, many.Index1Se);
        Assert.True(one.Index1Se <= one.IndexMin);
        Assert.True(one.MeanError[one.Index1Se] <= one.MeanError[one.IndexMin] + one.StandardError[one.IndexMin]);
    }
}
