namespace Engine.Kernels.Lasso;

/// <summary>
/// Solutions of a Lasso or elastic-net problem along decreasing alphas: <c>Coefficients[k]</c> (and
/// <c>Intercepts[k]</c>) solve the problem at <c>Alphas[k]</c>, on the scale of the data as given (see
/// <see cref="LassoProblem.ToOriginalScale"/>; without preprocessing they are the solver's own). <c>DualityGaps[k]</c>
/// is scikit-learn's gap of that point on the prepared problem, in its units (the gap of
/// <c>1/2 ||y - Xw||^2 + n alpha l1 ||w||_1 + n alpha (1 - l1)/2 ||w||^2</c>, compared with <c>tol * ||y||^2</c>).
/// For an exact path the gaps are those of the breakpoints, evaluated the same way.
/// </summary>
/// <param name="Alphas">The alphas, in the order they were solved (warm starts follow it).</param>
/// <param name="Coefficients">The coefficients at each alpha, original scale.</param>
/// <param name="DualityGaps">scikit-learn's duality gap of each solution, prepared problem, unscaled.</param>
/// <param name="Epochs">Coordinate-descent epochs (passes over the working set) spent at each alpha.</param>
/// <param name="Positive">Whether the coefficients were constrained to be nonnegative.</param>
public sealed record LassoPath(double[] Alphas, double[][] Coefficients, double[] DualityGaps, int[] Epochs, bool Positive)
{
    /// <summary>The number of alphas.</summary>
    public int Count => Alphas.Length;
    /// <summary>p, the number of coefficients per alpha.</summary>
    public int Features => Coefficients.Length == 0 ? 0 : Coefficients[0].Length;

    /// <summary>The intercept at each alpha (all zero when the problem fits none).</summary>
    public double[] Intercepts { get; init; } = new double[Alphas.Length];

    /// <summary>The elastic-net mixing parameter of the path (1 for the Lasso).</summary>
    public double L1Ratio { get; init; } = 1;

    /// <summary>The prediction <c>Intercepts[k] + x . Coefficients[k]</c> for one sample x (original scale).</summary>
    public double Predict(int k, ReadOnlySpan<double> x)
    {
        double[] w = Coefficients[k];
        if (x.Length != w.Length) throw new ArgumentException($"Lasso: the sample has {x.Length} features, the path {w.Length}.");
        double s = Intercepts[k];
        for (int j = 0; j < w.Length; j++) s += w[j] * x[j];
        return s;
    }
}
