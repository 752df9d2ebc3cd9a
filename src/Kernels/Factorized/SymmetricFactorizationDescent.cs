using Engine.Kernels.Gemm;

namespace Engine.Kernels.Factorized;

/// <summary>How a gradient descent run ended.</summary>
public enum DescentOutcome
{
    /// <summary>The training loss fell below the tolerance.</summary>
    Converged,
    /// <summary>The step budget ran out first.</summary>
    BudgetExhausted,
    /// <summary>The loss became NaN or infinite, or grew a millionfold: the step size is too large.</summary>
    Diverged,
}

/// <summary>The end of one run: the factor U, X = U U^T, the steps taken and how it ended.</summary>
public sealed record SymmetricFactorizationRun(double[] U, double[] X, int Steps, double FinalLoss, DescentOutcome Outcome);

/// <summary>
/// Gradient descent on the symmetric factorization <c>f(U) = 1/2 sum_{(i,j) in Omega} ((U U^T)_ij - Y_ij)^2</c>,
/// U in R^{D x D} (problem (12) of homework 3), for a symmetric Y and a symmetric set Omega of observed entries.
/// </summary>
/// <remarks>
/// <para>With the residual <c>R = U U^T - Y</c> and <c>S = P_Omega(R)</c> (R on Omega, 0 elsewhere), the sum runs over
/// ordered pairs, so <c>df = sum_Omega R_ij (dU U^T + U dU^T)_ij = &lt;S + S^T, dU U^T&gt;</c> and
/// <c>grad f(U) = (S + S^T) U = 2 S U</c>, since Omega (hence S) is symmetric.</para>
/// <para>An instance owns the buffers for one D; <see cref="Run"/> allocates only its result, and each step is two
/// GEMMs (<c>U U^T</c> and <c>S U</c>) and two passes over D x D.</para>
/// </remarks>
public sealed class SymmetricFactorizationDescent
{
    private readonly int _d;
    private readonly double[] _y;
    private readonly bool[] _observed;
    private readonly double[] _x;
    private readonly double[] _s;
    private double[] _u;
    private double[] _next;

    /// <param name="y">Y, D x D row-major and symmetric.</param>
    /// <param name="observed">The mask of Omega, D x D row-major and symmetric.</param>
    /// <param name="d">The size D.</param>
    public SymmetricFactorizationDescent(double[] y, bool[] observed, int d)
    {
        if (y.Length != d * d || observed.Length != d * d) throw new ArgumentException("symmetric factorization: Y and the mask must be D x D.");
        _d = d;
        _y = y;
        _observed = observed;
        _x = new double[d * d];
        _s = new double[d * d];
        _u = new double[d * d];
        _next = new double[d * d];
    }

    /// <summary>The loss f(U) for U given row-major (D x D).</summary>
    public double Loss(ReadOnlySpan<double> u)
    {
        u.CopyTo(_u);
        return Residual();
    }

    /// <summary>Writes grad f(U) = 2 S U to <paramref name="gradient"/> and returns f(U).</summary>
    public double Gradient(ReadOnlySpan<double> u, Span<double> gradient)
    {
        int d = _d;
        u.CopyTo(_u);
        double loss = Residual();
        Gemm.Gemm.Multiply(Op.None, Op.None, d, d, d, 2.0, _s, d, _u, d, 0.0, gradient, d);
        return loss;
    }

    /// <summary>
    /// Runs <c>U_{t+1} = U_t - eta grad f(U_t)</c> from <c>U_0 = alpha * u0</c> until <c>f(U_t) &lt; tolerance</c>
    /// or <paramref name="maxSteps"/> steps; <paramref name="onProgress"/> is told every 1000 steps.
    /// </summary>
    public SymmetricFactorizationRun Run(ReadOnlySpan<double> u0, double alpha, double eta, int maxSteps, double tolerance, Action<int>? onProgress = null)
    {
        int d = _d;
        for (int k = 0; k < _u.Length; k++) _u[k] = alpha * u0[k];
        double loss = Residual();
        double initial = loss;
        int step = 0;
        DescentOutcome outcome = DescentOutcome.BudgetExhausted;
        int reported = 0;
        while (true)
        {
            if (!double.IsFinite(loss) || loss > 1e6 * Math.Max(initial, 1))
            {
                outcome = DescentOutcome.Diverged;
                break;
            }
            if (loss < tolerance)
            {
                outcome = DescentOutcome.Converged;
                break;
            }
            if (step == maxSteps) break;

            // U_next = U - 2 eta S U, formed by GEMM on top of a copy of U.
            _u.AsSpan().CopyTo(_next);
            Gemm.Gemm.Multiply(Op.None, Op.None, d, d, d, -2 * eta, _s, d, _u, d, 1.0, _next, d);
            (_u, _next) = (_next, _u);
            step++;
            loss = Residual();
            if (onProgress is not null && step - reported >= 1000)
            {
                onProgress(step - reported);
                reported = step;
            }
        }
        onProgress?.Invoke(step - reported);
        return new SymmetricFactorizationRun((double[])_u.Clone(), (double[])_x.Clone(), step, loss, outcome);
    }

    /// <summary>Forms X = U U^T and S = P_Omega(X - Y) from the current U and returns 1/2 ||S||_F^2.</summary>
    private double Residual()
    {
        int d = _d;
        Gemm.Gemm.Multiply(Op.None, Op.Transpose, d, d, d, 1.0, _u, d, _u, d, 0.0, _x, d);
        ReadOnlySpan<double> y = _y;
        ReadOnlySpan<bool> observed = _observed;
        double sum = 0;
        for (int k = 0; k < _s.Length; k++)
        {
            double r = observed[k] ? _x[k] - y[k] : 0;
            _s[k] = r;
            sum += r * r;
        }
        return 0.5 * sum;
    }
}
