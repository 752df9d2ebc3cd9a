using Engine.Kernels.Blas;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The optimality (KKT) conditions of the Lasso at alpha, with <c>g_j = X_j^T (y - Xw) / n</c>:
/// <c>g_j = alpha sign(w_j)</c> where <c>w_j != 0</c> and <c>|g_j| &lt;= alpha</c> where <c>w_j = 0</c>;
/// for the positive Lasso, <c>w_j &gt;= 0</c>, <c>g_j = alpha</c> where <c>w_j &gt; 0</c> and <c>g_j &lt;= alpha</c> where <c>w_j = 0</c>.
/// </summary>
public static class LassoOptimality
{
    /// <summary>The largest violation of those conditions, in the units of g (0 at an exact solution).</summary>
    public static double MaxViolation(LassoProblem problem, ReadOnlySpan<double> w, double alpha, bool positive)
    {
        var r = new double[problem.Samples];
        problem.Residual(w, r);
        var g = new double[problem.Features];
        Gemv.Multiply(Gemm.Op.None, problem.Features, problem.Samples, 1.0 / problem.Samples, problem.Columns, problem.Stride, r, 0, g);
        double worst = 0;
        for (int j = 0; j < problem.Features; j++)
        {
            double v;
            if (positive)
                v = w[j] < 0 ? -w[j] : w[j] > 0 ? Math.Abs(g[j] - alpha) : Math.Max(g[j] - alpha, 0);
            else
                v = w[j] != 0 ? Math.Abs(g[j] - alpha * Math.Sign(w[j])) : Math.Max(Math.Abs(g[j]) - alpha, 0);
            worst = Math.Max(worst, v);
        }
        return worst;
    }
}
