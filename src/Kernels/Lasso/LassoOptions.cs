using Engine.Kernels.Threading;

namespace Engine.Kernels.Lasso;

/// <summary>
/// How a coordinate-descent path is computed. <see cref="Tolerance"/> has scikit-learn's meaning: a point is
/// accepted when its duality gap (of <c>1/2 ||y - Xw||^2 + n alpha l1 ||w||_1 + n alpha (1 - l1)/2 ||w||^2</c>,
/// prepared X and y) is at most <c>tol * ||y||^2</c>.
/// </summary>
/// <param name="Tolerance">Duality-gap tolerance relative to <c>||y||^2</c> (scikit-learn's <c>tol</c>).</param>
/// <param name="Positive">Constrain the coefficients to be nonnegative.</param>
/// <param name="MaxEpochs">Bound on the passes over the working set at one alpha.</param>
/// <param name="L1Ratio">
/// The elastic-net mixing parameter in (0, 1], scikit-learn's <c>l1_ratio</c> (glmnet's <c>alpha</c>): the penalty is
/// <c>alpha l1 ||w||_1 + (alpha (1 - l1) / 2) ||w||^2</c>; 1 is the Lasso.
/// </param>
/// <param name="Precompute">Whether to solve with the Gram matrix <c>X^T X</c> (covariance updates) or with residual updates.</param>
/// <param name="MaxThreads">Threads for the screening passes over X, the Gram matrix and cross-validation folds; 0 means as many as <see cref="KernelThreads"/> allows (every core by default).</param>
public sealed record LassoOptions(double Tolerance = 1e-4, bool Positive = false, int MaxEpochs = 10_000, double L1Ratio = 1.0,
    LassoPrecompute Precompute = LassoPrecompute.Auto, int MaxThreads = 0)
{
    /// <summary>scikit-learn's defaults: the Lasso at tol 1e-4, the solver chosen by shape, every core.</summary>
    public static LassoOptions Default { get; } = new();

    /// <summary>The options a path runs with, checked.</summary>
    internal void Validate()
    {
        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance)) throw new ArgumentOutOfRangeException(nameof(Tolerance), $"Lasso: the tolerance must be finite and >= 0, got {Tolerance}.");
        if (MaxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(MaxEpochs), $"Lasso: MaxEpochs must be >= 1, got {MaxEpochs}.");
        if (!(L1Ratio > 0 && L1Ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(L1Ratio), $"Lasso: the l1 ratio must be in (0, 1], got {L1Ratio}.");
        if (MaxThreads < 0) throw new ArgumentOutOfRangeException(nameof(MaxThreads), $"Lasso: MaxThreads must be >= 0, got {MaxThreads}.");
        // A range check rather than Enum.IsDefined, whose first call costs more than a small path.
        if (Precompute is < LassoPrecompute.Auto or > LassoPrecompute.Residual) throw new ArgumentOutOfRangeException(nameof(Precompute), $"Lasso: unknown precompute mode {(int)Precompute}.");
    }

    /// <summary>The number of threads the screening passes and the Gram matrix may use (as asked, even beyond the cores).</summary>
    internal int Threads => MaxThreads > 0 ? MaxThreads : KernelThreads.Max;
}

/// <summary>Which form of coordinate descent a path uses (scikit-learn's <c>precompute</c>).</summary>
public enum LassoPrecompute
{
    /// <summary>
    /// The Gram matrix when it is cheaper than passes over X: at least as many samples as features and at most
    /// <see cref="CoordinateDescent.MaxGramFeatures"/> features; residual updates otherwise.
    /// </summary>
    Auto,

    /// <summary>Covariance updates with the p x p Gram matrix, built once per problem (needs p &lt;= <see cref="CoordinateDescent.MaxGramFeatures"/>).</summary>
    Gram,

    /// <summary>Residual updates, with int8 screening passes over X.</summary>
    Residual,
}
