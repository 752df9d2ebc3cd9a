namespace Engine.Kernels.Lasso;

/// <summary>
/// How the data are prepared before the solver sees them, in glmnet's and scikit-learn's conventions.
/// </summary>
/// <remarks>
/// <para>With <see cref="SampleWeights"/> the weights are first rescaled to sum to n (scikit-learn's rule), so the
/// fitted objective is <c>(1/(2 sum(s))) sum_i s_i (y_i - b - x_i w)^2 + penalty</c>, which is also glmnet's.</para>
/// <para>With <see cref="FitIntercept"/> X and y are centered by their weighted means before the fit, and the
/// intercept is recovered afterwards as <c>mean(y) - mean(X) w</c>; it is never penalized.</para>
/// <para>With <see cref="Standardize"/> every column of X is divided by its weighted standard deviation (divisor
/// sum of weights, as glmnet; about the mean with an intercept and about zero without one) before the fit, so the
/// penalty treats all features alike; coefficients are reported on the original scale. A constant column keeps
/// scale 1.</para>
/// </remarks>
/// <param name="FitIntercept">Fit an unpenalized intercept (scikit-learn's <c>fit_intercept</c>, glmnet's <c>intercept</c>).</param>
/// <param name="Standardize">Penalize the coefficients of the standardized columns (glmnet's <c>standardize</c>).</param>
/// <param name="SampleWeights">One nonnegative weight per sample, not all zero; null for equal weights.</param>
public sealed record LassoPreprocessing(bool FitIntercept = false, bool Standardize = false, double[]? SampleWeights = null)
{
    /// <summary>The data as given: no intercept, no standardization, equal weights.</summary>
    public static LassoPreprocessing None { get; } = new();

    /// <summary>glmnet's defaults: an intercept and standardized columns.</summary>
    public static LassoPreprocessing Glmnet { get; } = new(FitIntercept: true, Standardize: true);

    /// <summary>scikit-learn's defaults (<c>fit_intercept=True</c>, no standardization).</summary>
    public static LassoPreprocessing ScikitLearn { get; } = new(FitIntercept: true);
}
