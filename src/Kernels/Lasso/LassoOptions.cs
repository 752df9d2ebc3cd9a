namespace Engine.Kernels.Lasso;

/// <summary>
/// How a coordinate-descent path is computed. <see cref="Tolerance"/> has scikit-learn's meaning: a point is
/// accepted when its duality gap (of <c>1/2 ||y - Xw||^2 + n alpha ||w||_1</c>) is at most <c>tol * ||y||^2</c>.
/// <see cref="MaxEpochs"/> bounds the passes over the working set at one alpha.
/// </summary>
public sealed record LassoOptions(double Tolerance = 1e-4, bool Positive = false, int MaxEpochs = 10_000)
{
    public static LassoOptions Default { get; } = new();
}
