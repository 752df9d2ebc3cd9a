namespace Engine.Kernels.Lasso;

/// <summary>
/// K-fold cross-validation of a Lasso or elastic-net path, as cv.glmnet and scikit-learn's LassoCV / ElasticNetCV do it.
/// </summary>
/// <remarks>
/// The grid is taken from the full data (prepared as asked), or given. For each fold the path is fitted on the other
/// folds, with the means, standard deviations and weight normalization of the preprocessing computed on those
/// samples alone, and each alpha's model (intercept and coefficients on the original scale) predicts the held-out
/// fold; its error is the mean squared error there, weighted by the sample weights. The curve is the mean of the
/// fold errors per alpha with its standard error, which gives cv.glmnet's two choices: the alpha of least error and
/// the largest alpha within one standard error of it. Folds run in parallel when the options allow more than one
/// thread; every fold's result is the same either way.
/// </remarks>
public static class LassoCrossValidation
{
    /// <summary>Cross-validates the path of X (row-major, n x p) and y.</summary>
    /// <exception cref="ArgumentException">The sizes, weights or fold ids are inconsistent, or a held-out fold has zero total weight.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option or alpha is out of range.</exception>
    public static LassoCrossValidationResult Run(ReadOnlySpan<double> x, int samples, int features, ReadOnlySpan<double> y,
        LassoPreprocessing? preprocessing = null, LassoOptions? options = null, LassoCrossValidationOptions? crossValidation = null)
    {
        preprocessing ??= LassoPreprocessing.None;
        options ??= LassoOptions.Default;
        crossValidation ??= LassoCrossValidationOptions.Default;
        options.Validate();
        var full = LassoProblem.FromRowMajor(x, samples, features, y, preprocessing);
        double[] alphas = crossValidation.Alphas is { } given
            ? given.OrderDescending().ToArray()
            : full.AlphaGrid(crossValidation.Count, crossValidation.Eps, options.L1Ratio);
        if (alphas.Length == 0) throw new ArgumentException("Lasso: cross-validation needs at least one alpha.");
        int[] foldOf = crossValidation.FoldOf?.ToArray() ?? CrossValidationFolds.Assign(samples, crossValidation.Folds, crossValidation.Seed);
        int folds = CrossValidationFolds.Count(foldOf, samples);

        double[] xs = x.ToArray(), ys = y.ToArray();
        double[]? weights = preprocessing.SampleWeights;
        for (int f = 0; f < folds; f++)
        {
            double held = 0;
            for (int i = 0; i < samples; i++) if (foldOf[i] == f) held += weights?[i] ?? 1;
            if (!(held > 0)) throw new ArgumentException($"Lasso: held-out fold {f} has zero total sample weight.");
        }
        var errors = new double[folds][];
        int threads = options.Threads;
        var foldOptions = threads > 1 ? options with { MaxThreads = 1 } : options;
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = threads }, f =>
            errors[f] = FoldError(xs, samples, features, ys, preprocessing, foldOptions, alphas, foldOf, f));

        var mean = new double[alphas.Length];
        var standardError = new double[alphas.Length];
        for (int k = 0; k < alphas.Length; k++)
        {
            double sum = 0;
            for (int f = 0; f < folds; f++) sum += errors[f][k];
            double m = sum / folds, squares = 0;
            for (int f = 0; f < folds; f++) squares += (errors[f][k] - m) * (errors[f][k] - m);
            mean[k] = m;
            standardError[k] = Math.Sqrt(squares / (folds - 1) / folds);
        }
        int best = 0;
        for (int k = 1; k < alphas.Length; k++) if (mean[k] < mean[best]) best = k;
        double threshold = mean[best] + standardError[best];
        int oneSe = best;
        for (int k = 0; k < best; k++) if (mean[k] <= threshold) { oneSe = k; break; }

        var path = CoordinateDescent.Path(full, alphas, options);
        return new LassoCrossValidationResult(alphas, mean, standardError, errors, foldOf, best, oneSe, path);
    }

    // The held-out mean squared error of fold f at every alpha, from the path fitted on the other folds.
    private static double[] FoldError(double[] x, int samples, int features, double[] y, LassoPreprocessing preprocessing,
        LassoOptions options, double[] alphas, int[] foldOf, int f)
    {
        var train = new List<int>(samples);
        var test = new List<int>();
        for (int i = 0; i < samples; i++) (foldOf[i] == f ? test : train).Add(i);
        var problem = LassoProblem.FromRows(x, samples, features, y, preprocessing, train.ToArray());
        var path = CoordinateDescent.Path(problem, alphas, options);
        double[]? weights = preprocessing.SampleWeights;
        var error = new double[alphas.Length];
        for (int k = 0; k < alphas.Length; k++)
        {
            double sum = 0, total = 0;
            foreach (int i in test)
            {
                double wi = weights?[i] ?? 1;
                double e = y[i] - path.Predict(k, x.AsSpan(i * features, features));
                sum += wi * e * e;
                total += wi;
            }
            error[k] = sum / total;
        }
        return error;
    }
}
