using Engine.Kernels.Blas;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The duality gap of the Lasso at a point w, exactly as scikit-learn's coordinate descent evaluates it: for
/// <c>P(w) = 1/2 ||r||^2 + lambda ||w||_1</c> with <c>r = y - Xw</c> and <c>lambda = n alpha</c>, the dual point
/// is the residual scaled into the dual feasible set, <c>theta = r / max(lambda, ||X^T r||_inf)</c>
/// (for the positive Lasso the largest correlation replaces the largest absolute one).
/// </summary>
public static class DualityGap
{
    /// <summary>
    /// The gap from the quantities every solver already holds: <c>||r||^2</c>, <c>r^T y</c>, <c>||w||_1</c> and
    /// the dual norm of the correlations (<c>max_j |X_j^T r|</c>, or <c>max_j X_j^T r</c> when positive).
    /// </summary>
    public static double FromParts(double residualNormSquared, double residualDotY, double l1Norm, double dualNorm, double lambda)
    {
        double scale = dualNorm > lambda ? lambda / dualNorm : 1.0;
        return 0.5 * residualNormSquared * (1 + scale * scale) + lambda * l1Norm - scale * residualDotY;
    }

    /// <summary>The dual norm of the correlations c = X^T r: <c>max|c|</c>, or <c>max c</c> for the positive Lasso.</summary>
    public static double DualNorm(ReadOnlySpan<double> correlations, bool positive)
    {
        if (!positive) return Blas1.MaxAbs(correlations);
        double m = double.NegativeInfinity;
        foreach (double c in correlations) m = Math.Max(m, c);
        return m;
    }

    /// <summary>scikit-learn's gap of w for the problem at <paramref name="alpha"/>, computed from scratch.</summary>
    public static double Of(LassoProblem problem, ReadOnlySpan<double> w, double alpha, bool positive)
    {
        var r = new double[problem.Samples];
        problem.Residual(w, r);
        var c = new double[problem.Features];
        Gemv.Multiply(Gemm.Op.None, problem.Features, problem.Samples, 1, problem.Columns, problem.Stride, r, 0, c);
        double l1 = 0;
        foreach (double v in w) l1 += Math.Abs(v);
        return FromParts(Gemv.RowDot(r, r), Gemv.RowDot(r, problem.Y), l1, DualNorm(c, positive), problem.Samples * alpha);
    }
}
