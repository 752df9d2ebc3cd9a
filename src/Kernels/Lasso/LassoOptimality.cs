using Engine.Kernels.Blas;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The optimality (KKT) conditions of the elastic net at alpha (the Lasso for l1 = 1), with
/// <c>g_j = X_j^T (y - Xw) / n - alpha (1 - l1) w_j</c> on the prepared problem:
/// <c>g_j = alpha l1 sign(w_j)</c> where <c>w_j != 0</c> and <c>|g_j| &lt;= alpha l1</c> where <c>w_j = 0</c>;
/// for the positive problem, <c>w_j &gt;= 0</c>, <c>g_j = alpha l1</c> where <c>w_j &gt; 0</c> and <c>g_j &lt;= alpha l1</c> where <c>w_j = 0</c>.
/// </summary>
public static class LassoOptimality
{
    /// <summary>The largest violation of the Lasso's conditions, in the units of g (0 at an exact solution).</summary>
    public static double MaxViolation(LassoProblem problem, ReadOnlySpan<double> w, double alpha, bool positive) => MaxViolation(problem, w, alpha, positive, 1);

    /// <summary>The largest violation of the elastic net's conditions, in the units of g (0 at an exact solution).</summary>
    public static double MaxViolation(LassoProblem problem, ReadOnlySpan<double> w, double alpha, bool positive, double l1Ratio)
    {
        var r = new double[problem.Samples];
        problem.Residual(w, r);
        var g = new double[problem.Features];
        Gemv.Multiply(Gemm.Op.None, problem.Features, problem.Samples, 1.0 / problem.Samples, problem.Columns, problem.Stride, r, 0, g);
        double l1 = alpha * l1Ratio, l2 = alpha * (1 - l1Ratio);
        double worst = 0;
        for (int j = 0; j < problem.Features; j++)
        {
            double gj = g[j] - l2 * w[j];
            double v;
            if (positive)
                v = w[j] < 0 ? -w[j] : w[j] > 0 ? Math.Abs(gj - l1) : Math.Max(gj - l1, 0);
            else
                v = w[j] != 0 ? Math.Abs(gj - l1 * Math.Sign(w[j])) : Math.Max(Math.Abs(gj) - l1, 0);
            worst = Math.Max(worst, v);
        }
        return worst;
    }
}
