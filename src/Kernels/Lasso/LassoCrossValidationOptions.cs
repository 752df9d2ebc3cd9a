namespace Engine.Kernels.Lasso;

/// <summary>How a path is cross-validated (cv.glmnet's and scikit-learn LassoCV's settings).</summary>
/// <param name="Folds">K, the number of folds (ignored when <paramref name="FoldOf"/> is given).</param>
/// <param name="Seed">The seed of the random fold assignment (<see cref="CrossValidationFolds.Assign"/>).</param>
/// <param name="FoldOf">Explicit fold ids in [0, K), one per sample (cv.glmnet's <c>foldid</c>); null to draw them from the seed.</param>
/// <param name="Count">The number of alphas on the default grid.</param>
/// <param name="Eps">The end of the default grid as a fraction of its start.</param>
/// <param name="Alphas">An explicit grid (any order; it is sorted decreasing); null for the default grid of the full data.</param>
public sealed record LassoCrossValidationOptions(int Folds = 5, ulong Seed = 0, int[]? FoldOf = null, int Count = 100, double Eps = 1e-3, double[]? Alphas = null)
{
    /// <summary>Five folds from seed 0 on the default 100-alpha grid.</summary>
    public static LassoCrossValidationOptions Default { get; } = new();
}
