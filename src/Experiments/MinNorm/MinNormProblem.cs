using Engine.Experiments.Context;
using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;
using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Experiments.MinNorm;

/// <summary>
/// Homework 3, problem 2 (a)-(d): for <c>f(x) = 1/2 ||A x - y||^2</c> with A of full row rank n &lt; m, the
/// solutions, the smoothness constant, and where gradient descent with step 1/L goes.
/// </summary>
/// <remarks>
/// <para>(a) The solutions are <c>x_hat + N(A)</c> with <c>x_hat = A^T (A A^T)^{-1} y</c>, the one of least l2 norm.
/// (b) <c>grad f(x) = A^T (A x - y)</c> is L-Lipschitz with <c>L = lambda_max(A^T A) = lambda_max(A A^T)</c>, so (6)
/// holds with <c>eta = 1/L</c>. (c)-(d) Gradient descent never changes the component of x in the null space of A,
/// and contracts the row-space error by <c>1 - eta lambda_min+(A A^T)</c> per step at most; from x0 it converges to
/// <c>x_hat + P_N x0</c>, which is x_hat when x0 = 0.</para>
/// <para>Forming A A^T, its Cholesky factor and the two Lanczos runs take about a second each at the largest sizes the
/// command allows (A 4,000 x 5,000 on two Zen 4 cores: 1.2 s, 0.8 s, 1.0 s and 1.2 s; 1.7 s, 12.7 s, 1.1 s and 2.2 s
/// with a general product for A A^T, the unblocked factorization and a solve that read the factor by columns), so each
/// is a progress line of its own when a reporter is given: the first two are single calls and report when they are
/// done, the Lanczos runs report each step.</para>
/// </remarks>
public sealed class MinNormProblem
{
    /// <param name="progress">Where the phases of the setup report (see the remarks); none when null.</param>
    public MinNormProblem(double[] a, int rows, int cols, double[] y, IProgressReporter? progress = null)
    {
        if (rows >= cols) throw new ArgumentException($"min-norm: A must be under-determined (n < m), got {rows} x {cols}.");
        progress ??= SilentProgress.Instance;
        A = a;
        Rows = rows;
        Cols = cols;
        Y = y;
        Gram = new double[rows * rows];
        progress.RunAsOneStep("min-norm: A A^T", () => GramMatrix.Multiply(a, rows, cols, Gram));
        _gramFactor = Gram.ToArray();
        bool factored = progress.RunAsOneStep("min-norm: Cholesky factor of A A^T", () => Cholesky.Factor(_gramFactor, rows));
        if (!factored) throw new ArgumentException("min-norm: A A^T is not positive definite (A has not full row rank).");
        // Every solve below (one per Lanczos step on the inverse) then reads the factor by rows.
        Cholesky.MirrorIntoUpper(_gramFactor, rows);
        L = progress.Run("min-norm: L by Lanczos", LanczosSteps(rows), sink => LargestEigenvalue(Gram, rows, sink));
        SmallestPositiveEigenvalue = 1 / progress.Run("min-norm: lambda_min+ by Lanczos", LanczosSteps(rows), LargestEigenvalueOfInverse);
        MinimumNormSolution = new double[cols];
        ProjectOntoRowSpace(ComputeRowSpaceCoefficients(y), MinimumNormSolution);
    }

    /// <summary>A random instance: A with standard Gaussian entries, <c>y = A x*</c> with Gaussian x*.</summary>
    /// <param name="progress">Where the phases of the setup report (see <see cref="MinNormProblem"/>); none when null.</param>
    public static MinNormProblem Random(int rows, int cols, NormalSampler sampler, IProgressReporter? progress = null)
    {
        var a = new double[rows * cols];
        sampler.Fill(a);
        var xStar = new double[cols];
        sampler.Fill(xStar);
        var y = new double[rows];
        Gemv.Multiply(Op.None, rows, cols, 1, a, cols, xStar, 0, y);
        return new MinNormProblem(a, rows, cols, y, progress);
    }

    public double[] A { get; }
    public int Rows { get; }
    public int Cols { get; }
    public double[] Y { get; }

    /// <summary><c>A A^T</c> (n x n).</summary>
    public double[] Gram { get; }
    // The Cholesky factor L of A A^T in its lower triangle and L^T in its upper, for (A A^T)^{-1} b.
    private readonly double[] _gramFactor;

    /// <summary>The smoothness constant <c>L = lambda_max(A^T A)</c>; (6) holds with <c>eta = 1/L</c>.</summary>
    public double L { get; }

    /// <summary><c>lambda_min(A A^T)</c>, the smallest nonzero eigenvalue of <c>A^T A</c>.</summary>
    public double SmallestPositiveEigenvalue { get; }

    /// <summary>The bound on the per-step contraction of the error: <c>1 - lambda_min+(A A^T) / L</c>.</summary>
    public double RateBound => 1 - SmallestPositiveEigenvalue / L;

    /// <summary><c>x_hat = A^T (A A^T)^{-1} y</c>.</summary>
    public double[] MinimumNormSolution { get; }

    /// <summary><c>f(x) = 1/2 ||A x - y||^2</c>.</summary>
    public double Objective(ReadOnlySpan<double> x)
    {
        var r = new double[Rows];
        Residual(x, r);
        return 0.5 * Blas1.SumOfSquares(r);
    }

    /// <summary><c>r = A x - y</c>.</summary>
    public void Residual(ReadOnlySpan<double> x, Span<double> r)
    {
        Gemv.Multiply(Op.None, Rows, Cols, 1, A, Cols, x, 0, r);
        Blas1.Axpy(-1, Y, r);
    }

    /// <summary>The component of x in the null space of A: <c>x - A^T (A A^T)^{-1} A x</c>.</summary>
    public double[] NullSpaceComponent(ReadOnlySpan<double> x)
    {
        var ax = new double[Rows];
        Gemv.Multiply(Op.None, Rows, Cols, 1, A, Cols, x, 0, ax);
        var rowPart = new double[Cols];
        ProjectOntoRowSpace(ComputeRowSpaceCoefficients(ax), rowPart);
        var result = x.ToArray();
        Blas1.Axpy(-1, rowPart, result);
        return result;
    }

    /// <summary>Writes <c>grad f(x) = A^T (A x - y)</c> to <paramref name="gradient"/>.</summary>
    public void Gradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var r = new double[Rows];
        Residual(x, r);
        AddScaledGradient(r, 1, 0, gradient);
    }

    /// <summary>
    /// Gradient descent <c>x_{k+1} = x_k - eta A^T (A x_k - y)</c> for <paramref name="steps"/> steps from x0;
    /// <paramref name="onStep"/> sees every iterate (k = 0 .. steps).
    /// </summary>
    public double[] GradientDescent(ReadOnlySpan<double> x0, double eta, int steps, Action<int, double[]>? onStep = null)
    {
        var x = x0.ToArray();
        var r = new double[Rows];
        onStep?.Invoke(0, x);
        for (int k = 1; k <= steps; k++)
        {
            Residual(x, r);
            AddScaledGradient(r, -eta, 1, x);
            onStep?.Invoke(k, x);
        }
        return x;
    }

    // target = alpha A^T r + beta target, with r = A x - y: the gradient (alpha = 1, beta = 0) and the step
    // (alpha = -eta, beta = 1) are one product, so the gradient gradcheck checks is the one descent takes.
    private void AddScaledGradient(ReadOnlySpan<double> r, double alpha, double beta, Span<double> target) =>
        Gemv.Multiply(Op.Transpose, Rows, Cols, alpha, A, Cols, r, beta, target);

    private double[] ComputeRowSpaceCoefficients(ReadOnlySpan<double> b)
    {
        var z = b.ToArray();
        Cholesky.SolveMirrored(_gramFactor, Rows, z);
        return z;
    }

    private void ProjectOntoRowSpace(ReadOnlySpan<double> coefficients, Span<double> x) =>
        Gemv.Multiply(Op.Transpose, Rows, Cols, 1, A, Cols, coefficients, 0, x);

    // The largest eigenvalue of a symmetric positive semidefinite matrix (see ExtremeEigenvalue).
    private static double LargestEigenvalue(double[] m, int size, IProgressSink sink) =>
        ExtremeEigenvalue(size, (v, w) => Gemv.Multiply(Op.None, size, size, 1, m, size, v, 0, w), sink);

    private double LargestEigenvalueOfInverse(IProgressSink sink) => ExtremeEigenvalue(Rows, (v, w) =>
    {
        v.CopyTo(w, 0);
        Cholesky.SolveMirrored(_gramFactor, Rows, w);
    }, sink);

    /// <summary>The most steps <see cref="ExtremeEigenvalue"/> takes for a size x size matrix; it reports one unit per step and tops up the rest.</summary>
    private static int LanczosSteps(int size) => Math.Min(size, MaxLanczosSteps);

    // Lanczos with full reorthogonalization from a deterministic start: the largest Ritz value of the Krylov space,
    // stopped when its residual norm |beta_k s_k| (a bound on its distance to an eigenvalue) is below 1e-14 of it.
    // Power iteration needed thousands of products where the spectrum's top is crowded (A 2000 x 4000: 3153 for L,
    // 10 s of a 13 s run); Lanczos converges in the square root of that, and every product is what dominates.
    // One unit of progress per step (see LanczosSteps).
    private static double ExtremeEigenvalue(int size, Action<double[], double[]> apply, IProgressSink sink)
    {
        int limit = LanczosSteps(size);
        var basis = new List<double[]>();
        var alphas = new List<double>();
        var betas = new List<double>();
        var v = new double[size];
        for (int i = 0; i < size; i++) v[i] = 1 + 0.01 * i;
        Blas1.Scal(1 / Blas1.Nrm2(v), v);
        double estimate = 0;
        for (int k = 0; k < limit; k++)
        {
            basis.Add(v);
            var w = new double[size];
            apply(v, w);
            alphas.Add(Blas1.Dot(v, w));
            // Two passes of Gram-Schmidt against every basis vector keep it orthogonal to rounding level.
            for (int pass = 0; pass < 2; pass++)
                foreach (double[] q in basis) Blas1.Axpy(-Blas1.Dot(q, w), q, w);
            double beta = Blas1.Nrm2(w);
            int steps = k + 1;
            sink.Advance(1);
            // The Ritz values cost steps^3; past 32 steps they are looked at every eighth step only.
            if (steps <= 32 || steps % 8 == 0 || steps == limit || beta == 0)
            {
                var t = new double[steps * steps];
                for (int i = 0; i < steps; i++)
                {
                    t[i * steps + i] = alphas[i];
                    if (i + 1 < steps) t[i * steps + i + 1] = t[(i + 1) * steps + i] = betas[i];
                }
                (double[] ritz, double[] vectors) = SymmetricEigenSolver.Of(t, steps);
                estimate = ritz[steps - 1];
                double residual = beta * Math.Abs(vectors[(steps - 1) * steps + steps - 1]);
                if (residual <= 1e-14 * Math.Abs(estimate) || beta == 0)
                {
                    // The steps not taken are reported at once, so the run's total adds up.
                    sink.Advance(limit - steps);
                    return estimate;
                }
            }
            betas.Add(beta);
            Blas1.Scal(1 / beta, w);
            v = w;
        }
        return estimate;
    }

    // The Krylov space's size limit: far above the steps a Gaussian A needs, small enough to hold its basis.
    private const int MaxLanczosSteps = 400;
}
