namespace Engine.Kernels.Lasso;

/// <summary>
/// The cross-validation curve of a path and the two alphas cv.glmnet proposes.
/// </summary>
/// <param name="Alphas">The grid, decreasing.</param>
/// <param name="MeanError">Per alpha, the mean over folds of the held-out mean squared error (weighted by the sample weights within a fold), as scikit-learn's LassoCV averages it.</param>
/// <param name="StandardError">Per alpha, the standard error of that mean: the sample standard deviation of the fold errors over sqrt(K).</param>
/// <param name="FoldErrors"><c>FoldErrors[f][k]</c>: the held-out mean squared error of fold f at alpha k (LassoCV's <c>mse_path_</c> transposed).</param>
/// <param name="FoldOf">The fold of each sample.</param>
/// <param name="IndexMin">The alpha of least mean error (the largest such alpha on ties).</param>
/// <param name="Index1Se">The largest alpha whose mean error is within one standard error of the least (the one-standard-error rule).</param>
/// <param name="Path">The path on all the data at the same alphas; the model at <see cref="AlphaMin"/> is <c>Path.Coefficients[IndexMin]</c>.</param>
/// <remarks>With folds of equal size and weight, the mean and standard error are cv.glmnet's <c>cvm</c> and <c>cvsd</c> exactly.</remarks>
public sealed record LassoCrossValidationResult(double[] Alphas, double[] MeanError, double[] StandardError, double[][] FoldErrors,
    int[] FoldOf, int IndexMin, int Index1Se, LassoPath Path)
{
    /// <summary>The alpha of least cross-validated error (cv.glmnet's <c>lambda.min</c>, LassoCV's <c>alpha_</c>).</summary>
    public double AlphaMin => Alphas[IndexMin];

    /// <summary>The largest alpha within one standard error of the least error (cv.glmnet's <c>lambda.1se</c>).</summary>
    public double Alpha1Se => Alphas[Index1Se];

    /// <summary>The number of folds.</summary>
    public int Folds => FoldErrors.Length;
}
