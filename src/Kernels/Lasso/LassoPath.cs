namespace Engine.Kernels.Lasso;

/// <summary>
/// Solutions of a Lasso problem along decreasing alphas: <c>Coefficients[k]</c> solves the problem at
/// <c>Alphas[k]</c>. <c>DualityGaps[k]</c> is scikit-learn's gap of that point, in its units
/// (the gap of <c>1/2 ||y - Xw||^2 + n alpha ||w||_1</c>, compared with <c>tol * ||y||^2</c>).
/// For an exact path the gaps are those of the breakpoints, evaluated the same way.
/// </summary>
public sealed record LassoPath(double[] Alphas, double[][] Coefficients, double[] DualityGaps, int[] Epochs, bool Positive)
{
    public int Count => Alphas.Length;
    public int Features => Coefficients.Length == 0 ? 0 : Coefficients[0].Length;
}
