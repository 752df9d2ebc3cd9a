using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;

namespace Engine.Kernels.Factorized;

/// <summary>
/// Gradient descent on the signed factorized least squares <c>F(u, v) = 1/2 ||A (u ⊙ u - v ⊙ v) - y||^2</c>, the
/// counterpart of <see cref="FactorizedLeastSquaresDescent"/> whose effective regressor <c>w = u ⊙ u - v ⊙ v</c>
/// can take either sign. With <c>g = A^T (A w - y)</c> the gradient is <c>(2 u ⊙ g, -2 v ⊙ g)</c>, so a step is
/// <c>u &lt;- u - 2 eta u ⊙ g</c>, <c>v &lt;- v + 2 eta v ⊙ g</c>.
/// </summary>
/// <remarks>
/// <see cref="Run(Span{double}, Span{double}, double, int, int, Span{double})"/> allocates nothing: the caller owns the record buffer. It records w every <c>recordEvery</c>
/// steps (row 0 is w0, the last row the last iterate) and stops early, returning the number of steps done, once an
/// iterate stops being finite (tested once per recorded chunk). <see cref="RunScalar"/> is the plain-loop reference
/// the tests hold the vectorized path to.
/// </remarks>
public sealed class DifferenceOfSquaresDescent
{
    private readonly double[] _a;
    private readonly double[] _y;
    private readonly double[] _w, _r, _g;

    /// <param name="a">A, row-major <paramref name="rows"/> x <paramref name="cols"/>.</param>
    /// <param name="y">The target, <paramref name="rows"/> entries.</param>
    public DifferenceOfSquaresDescent(double[] a, int rows, int cols, double[] y)
    {
        if (rows < 1 || cols < 1 || a.Length != rows * cols || y.Length != rows)
            throw new ArgumentException("signed factorized GD: A must be rows x cols and y must have rows elements.");
        Rows = rows;
        Cols = cols;
        _a = a;
        _y = y;
        _w = new double[cols];
        _r = new double[rows];
        _g = new double[cols];
    }

    /// <summary>n, the rows of A.</summary>
    public int Rows { get; }

    /// <summary>m, the columns of A: the length of u, v and w.</summary>
    public int Cols { get; }

    /// <summary>
    /// Runs <paramref name="steps"/> steps from (u0, v0), updating <paramref name="u"/> and <paramref name="v"/> in
    /// place and writing <c>w = u ⊙ u - v ⊙ v</c> every <paramref name="recordEvery"/> steps into
    /// <paramref name="record"/> (row-major, <see cref="FactorizedLeastSquaresDescent.RecordRows"/> x m).
    /// Returns the steps done (fewer when an iterate overflows).
    /// </summary>
    public int Run(Span<double> u, Span<double> v, double eta, int steps, int recordEvery, Span<double> record) =>
        Run(u, v, eta, steps, recordEvery, record, scalar: false);

    /// <summary>The same as <see cref="Run(Span{double}, Span{double}, double, int, int, Span{double})"/> with plain scalar loops: the reference.</summary>
    public int RunScalar(Span<double> u, Span<double> v, double eta, int steps, int recordEvery, Span<double> record) =>
        Run(u, v, eta, steps, recordEvery, record, scalar: true);

    /// <summary><c>F(u, v) = 1/2 ||A (u ⊙ u - v ⊙ v) - y||^2</c>.</summary>
    public double Objective(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        var w = new double[Cols];
        var r = new double[Rows];
        Residual(u, v, w, r);
        return 0.5 * Blas1.SumOfSquares(r);
    }

    /// <summary>The gradient <c>(2 u ⊙ g, -2 v ⊙ g)</c>, <c>g = A^T (A w - y)</c>, written to the two spans.</summary>
    public void Gradient(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradientU, Span<double> gradientV)
    {
        var w = new double[Cols];
        var r = new double[Rows];
        var g = new double[Cols];
        Residual(u, v, w, r);
        Gemv.Multiply(Op.Transpose, Rows, Cols, 1, _a, Cols, r, 0, g);
        for (int j = 0; j < Cols; j++)
        {
            gradientU[j] = 2 * u[j] * g[j];
            gradientV[j] = -2 * v[j] * g[j];
        }
    }

    private void Residual(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> w, Span<double> r)
    {
        for (int j = 0; j < Cols; j++) w[j] = u[j] * u[j] - v[j] * v[j];
        _y.CopyTo(r);
        Gemv.Multiply(Op.None, Rows, Cols, 1, _a, Cols, w, -1, r);
    }

    private int Run(Span<double> u, Span<double> v, double eta, int steps, int recordEvery, Span<double> record, bool scalar)
    {
        int m = Cols;
        if (u.Length != m || v.Length != m) throw new ArgumentException($"signed factorized GD: u and v need {m} elements each.");
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(recordEvery, 1);
        if (record.Length < (long)FactorizedLeastSquaresDescent.RecordRows(steps, recordEvery) * m)
            throw new ArgumentException("signed factorized GD: record buffer too small.");
        Record(u, v, record[..m]);
        int done = 0, row = 1;
        while (done < steps)
        {
            int chunk = Math.Min(recordEvery, steps - done);
            if (scalar) StepsScalar(u, v, eta, chunk);
            else StepsGemv(u, v, eta, chunk);
            done += chunk;
            Record(u, v, record.Slice(row++ * m, m));
            if (!AllFinite(u) || !AllFinite(v)) break;
        }
        return done;
    }

    private static void Record(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> w)
    {
        for (int j = 0; j < w.Length; j++) w[j] = u[j] * u[j] - v[j] * v[j];
    }

    private void StepsGemv(Span<double> u, Span<double> v, double eta, int count)
    {
        int n = Rows, m = Cols;
        for (int step = 0; step < count; step++)
        {
            for (int j = 0; j < m; j++) _w[j] = u[j] * u[j] - v[j] * v[j];
            _y.CopyTo(_r);
            Gemv.Multiply(Op.None, n, m, 1, _a, m, _w, -1, _r);
            Gemv.Multiply(Op.Transpose, n, m, 1, _a, m, _r, 0, _g);
            for (int j = 0; j < m; j++)
            {
                double step2 = 2 * eta * _g[j];
                u[j] -= step2 * u[j];
                v[j] += step2 * v[j];
            }
        }
    }

    private void StepsScalar(Span<double> u, Span<double> v, double eta, int count)
    {
        int n = Rows, m = Cols;
        for (int step = 0; step < count; step++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = -_y[i];
                for (int j = 0; j < m; j++) s += _a[i * m + j] * (u[j] * u[j] - v[j] * v[j]);
                _r[i] = s;
            }
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += _a[i * m + j] * _r[i];
                u[j] -= 2 * eta * s * u[j];
                v[j] += 2 * eta * s * v[j];
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<double> x)
    {
        foreach (double value in x) if (!double.IsFinite(value)) return false;
        return true;
    }
}
