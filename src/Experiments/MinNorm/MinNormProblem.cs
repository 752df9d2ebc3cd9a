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
/// (a) The solutions are <c>x_hat + N(A)</c> with <c>x_hat = A^T (A A^T)^{-1} y</c>, the one of least l2 norm.
/// (b) <c>grad f(x) = A^T (A x - y)</c> is L-Lipschitz with <c>L = lambda_max(A^T A) = lambda_max(A A^T)</c>, so (6)
/// holds with <c>eta = 1/L</c>. (c)-(d) Gradient descent never changes the component of x in the null space of A,
/// and contracts the row-space error by <c>1 - eta lambda_min+(A A^T)</c> per step at most; from x0 it converges to
/// <c>x_hat + P_N x0</c>, which is x_hat when x0 = 0.
/// </remarks>
public sealed class MinNormProblem
{
    public MinNormProblem(double[] a, int rows, int cols, double[] y)
    {
        if (rows >= cols) throw new ArgumentException($"min-norm: A must be under-determined (n < m), got {rows} x {cols}.");
        A = a;
        Rows = rows;
        Cols = cols;
        Y = y;
        Gram = new double[rows * rows];
        Gemm.Multiply(Op.None, Op.Transpose, rows, rows, cols, 1.0, a, cols, a, cols, 0.0, Gram, rows);
        _gramFactor = Gram.ToArray();
        if (!Cholesky.Factor(_gramFactor, rows)) throw new ArgumentException("min-norm: A A^T is not positive definite (A has not full row rank).");
        L = LargestEigenvalue(Gram, rows);
        SmallestPositiveEigenvalue = 1 / LargestEigenvalueOfInverse();
        MinimumNormSolution = new double[cols];
        ProjectOntoRowSpace(ComputeRowSpaceCoefficients(y), MinimumNormSolution);
    }

    /// <summary>A random instance: A with standard Gaussian entries, <c>y = A x*</c> with Gaussian x*.</summary>
    public static MinNormProblem Random(int rows, int cols, NormalSampler sampler)
    {
        var a = new double[rows * cols];
        sampler.Fill(a);
        var xStar = new double[cols];
        sampler.Fill(xStar);
        var y = new double[rows];
        Gemv.Multiply(Op.None, rows, cols, 1, a, cols, xStar, 0, y);
        return new MinNormProblem(a, rows, cols, y);
    }

    public double[] A { get; }
    public int Rows { get; }
    public int Cols { get; }
    public double[] Y { get; }

    /// <summary><c>A A^T</c> (n x n).</summary>
    public double[] Gram { get; }
    // The Cholesky factor of A A^T in its lower triangle, for (A A^T)^{-1} b.
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
        Cholesky.Solve(_gramFactor, Rows, z);
        return z;
    }

    private void ProjectOntoRowSpace(ReadOnlySpan<double> coefficients, Span<double> x) =>
        Gemv.Multiply(Op.Transpose, Rows, Cols, 1, A, Cols, coefficients, 0, x);

    // Power iteration on a symmetric positive semidefinite matrix; deterministic start, run to a relative change of 1e-15.
    private static double LargestEigenvalue(double[] m, int size) =>
        PowerIteration(size, (v, w) => Gemv.Multiply(Op.None, size, size, 1, m, size, v, 0, w));

    private double LargestEigenvalueOfInverse() => PowerIteration(Rows, (v, w) =>
    {
        v.CopyTo(w, 0);
        Cholesky.Solve(_gramFactor, Rows, w);
    });

    private static double PowerIteration(int size, Action<double[], double[]> apply)
    {
        var v = new double[size];
        var w = new double[size];
        for (int i = 0; i < size; i++) v[i] = 1 + 0.01 * i;
        double lambda = 0;
        for (int it = 0; it < 100_000; it++)
        {
            double norm = Math.Sqrt(Blas1.SumOfSquares(v));
            Blas1.Scal(1 / norm, v);
            apply(v, w);
            double next = Blas1.Dot(v, w);
            (v, w) = (w, v);
            if (Math.Abs(next - lambda) <= 1e-15 * Math.Abs(next) && it > 10) return next;
            lambda = next;
        }
        return lambda;
    }
}
