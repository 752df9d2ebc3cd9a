using Engine.Kernels.Blas;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The duality gap of the Lasso and the elastic net at a point w, exactly as scikit-learn's coordinate descent
/// evaluates it: for <c>P(w) = 1/2 ||r||^2 + lambda1 ||w||_1 + lambda2/2 ||w||^2</c> with <c>r = y - Xw</c>,
/// <c>lambda1 = n alpha l1</c> and <c>lambda2 = n alpha (1 - l1)</c>, the dual point is the residual scaled into
/// the dual feasible set, <c>theta = r / max(lambda1, ||X^T r - lambda2 w||_inf)</c> (for the positive problem the
/// largest entry replaces the largest absolute one).
/// </summary>
public static class DualityGap
{
    /// <summary>
    /// The Lasso gap from the quantities every solver already holds: <c>||r||^2</c>, <c>r^T y</c>, <c>||w||_1</c> and
    /// the dual norm of the correlations (<c>max_j |X_j^T r|</c>, or <c>max_j X_j^T r</c> when positive).
    /// </summary>
    public static double FromParts(double residualNormSquared, double residualDotY, double l1Norm, double dualNorm, double lambda) =>
        FromParts(residualNormSquared, residualDotY, l1Norm, 0, dualNorm, lambda, 0);

    /// <summary>
    /// The elastic-net gap: as the Lasso's, plus <c>||w||^2</c>, with the dual norm taken of <c>X^T r - lambda2 w</c>.
    /// </summary>
    public static double FromParts(double residualNormSquared, double residualDotY, double l1Norm, double l2NormSquared,
        double dualNorm, double lambda1, double lambda2)
    {
        double scale = dualNorm > lambda1 ? lambda1 / dualNorm : 1.0;
        double both = 1 + scale * scale;
        return 0.5 * residualNormSquared * both + lambda1 * l1Norm - scale * residualDotY + 0.5 * lambda2 * both * l2NormSquared;
    }

    /// <summary>The dual norm of the correlations c = X^T r: <c>max|c|</c>, or <c>max c</c> for the positive Lasso.</summary>
    public static double DualNorm(ReadOnlySpan<double> correlations, bool positive)
    {
        if (!positive) return Blas1.MaxAbs(correlations);
        double m = double.NegativeInfinity;
        foreach (double c in correlations) m = Math.Max(m, c);
        return m;
    }

    /// <summary>scikit-learn's Lasso gap of w for the (prepared) problem at <paramref name="alpha"/>, computed from scratch.</summary>
    public static double Of(LassoProblem problem, ReadOnlySpan<double> w, double alpha, bool positive) => Of(problem, w, alpha, positive, 1);

    /// <summary>scikit-learn's elastic-net gap of w (solver scale) for the prepared problem at <paramref name="alpha"/> and <paramref name="l1Ratio"/>, from scratch.</summary>
    public static double Of(LassoProblem problem, ReadOnlySpan<double> w, double alpha, bool positive, double l1Ratio)
    {
        int n = problem.Samples;
        double lambda1 = n * alpha * l1Ratio, lambda2 = n * alpha * (1 - l1Ratio);
        var r = new double[n];
        problem.Residual(w, r);
        var c = new double[problem.Features];
        Gemv.Multiply(Gemm.Op.None, problem.Features, n, 1, problem.Columns, problem.Stride, r, 0, c);
        double l1 = 0, l2 = 0;
        for (int j = 0; j < w.Length; j++)
        {
            l1 += Math.Abs(w[j]);
            l2 += w[j] * w[j];
            c[j] -= lambda2 * w[j];
        }
        return FromParts(Gemv.RowDot(r, r), Gemv.RowDot(r, problem.Y), l1, l2, DualNorm(c, positive), lambda1, lambda2);
    }
}
