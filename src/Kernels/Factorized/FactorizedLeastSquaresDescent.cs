using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Factorized;

/// <summary>The implementations of the factorized gradient-descent loop, from the reference to the fastest.</summary>
public enum FactorizedLeastSquaresVariant
{
    /// <summary>Plain scalar loops: the oracle the others are tested against.</summary>
    Scalar,
    /// <summary>Two vectorized matrix-vector products per step (any size).</summary>
    Gemv,
    /// <summary>A packed in blocks of 8 double lanes in both layouts, two products per step; n &lt;= 24, m &lt;= 40.</summary>
    Small,
    /// <summary>One product with the packed Gram matrix A^T A per step; m &lt;= 40.</summary>
    Gram,
}

/// <summary>
/// Gradient descent on the factorized least squares (9), <c>F(x) = 1/2 ||A (x ⊙ x) - y||^2</c>, whose gradient is
/// <c>2 x ⊙ A^T (A (x ⊙ x) - y)</c>; the step is <c>x &lt;- x - eta * grad F(x)</c>.
/// </summary>
/// <remarks>
/// <see cref="Run"/> allocates nothing: the caller owns the record buffer, and the fastest variant keeps x in
/// registers between steps. It records x every <c>recordEvery</c> steps (row 0 is x0, the last row the last iterate) and stops early, returning
/// the number of steps done, if an iterate stops being finite.
/// </remarks>
public sealed partial class FactorizedLeastSquaresDescent
{
    private readonly double[] _a;
    private readonly double[] _y;
    private readonly double[] _u, _r, _g;

    /// <param name="a">A, row-major n x m.</param>
    public FactorizedLeastSquaresDescent(double[] a, int rows, int cols, double[] y)
    {
        if (a.Length != rows * cols || y.Length != rows) throw new ArgumentException("factorized GD: A must be rows x cols and y must have rows elements.");
        Rows = rows;
        Cols = cols;
        _a = a;
        _y = y;
        _u = new double[cols];
        _r = new double[rows];
        _g = new double[cols];
        PackSmall();
        PackGram();
    }

    public int Rows { get; }
    public int Cols { get; }

    /// <summary>
    /// The fastest variant for this size. The packed variants are written once over the 8 double lanes of
    /// <see cref="ILanes{TSelf, T}"/> and run at every width with the same bits, so the choice depends on the size
    /// alone, never on the CPU or the width (each variant has its own rounding).
    /// </summary>
    public FactorizedLeastSquaresVariant Fastest => GramFits ? FactorizedLeastSquaresVariant.Gram : FactorizedLeastSquaresVariant.Gemv;

    /// <summary>The variants this machine and this size can run.</summary>
    public IEnumerable<FactorizedLeastSquaresVariant> Available() => Enum.GetValues<FactorizedLeastSquaresVariant>().Where(IsAvailable);

    public bool IsAvailable(FactorizedLeastSquaresVariant variant) => variant switch
    {
        FactorizedLeastSquaresVariant.Scalar or FactorizedLeastSquaresVariant.Gemv => true,
        FactorizedLeastSquaresVariant.Small => SmallFits,
        FactorizedLeastSquaresVariant.Gram => GramFits,
        _ => false,
    };

    /// <summary>
    /// The number of rows <see cref="Run"/> records for a run of <paramref name="steps"/> steps: x0, x after every
    /// <paramref name="recordEvery"/> steps, and the last iterate when the steps are not a multiple of that.
    /// </summary>
    public static int RecordRows(int steps, int recordEvery) => checked((int)(((long)steps + recordEvery - 1) / recordEvery + 1));

    /// <summary>The step after which record row <paramref name="row"/> was taken.</summary>
    public static int RecordedStep(int row, int steps, int recordEvery) => (int)Math.Min((long)row * recordEvery, steps);

    /// <summary>
    /// Runs <paramref name="steps"/> steps from x0 (x is updated in place), writing x every
    /// <paramref name="recordEvery"/> steps into <paramref name="record"/> (row-major, <see cref="RecordRows"/> x m).
    /// Returns the steps done (fewer when an iterate overflows).
    /// </summary>
    public int Run(Span<double> x, double eta, int steps, int recordEvery, Span<double> record, FactorizedLeastSquaresVariant? variant = null)
    {
        if (x.Length != Cols) throw new ArgumentException($"factorized GD: x has {x.Length} elements, expected {Cols}.");
        if (recordEvery < 1) throw new ArgumentOutOfRangeException(nameof(recordEvery));
        if (record.Length < (long)RecordRows(steps, recordEvery) * Cols) throw new ArgumentException("factorized GD: record buffer too small.");
        var chosen = variant ?? Fastest;
        if (!IsAvailable(chosen)) throw new ArgumentException($"factorized GD: variant {chosen} is not available for {Rows} x {Cols} on this machine.");
        x.CopyTo(record[..Cols]);
        int done = 0, row = 1;
        while (done < steps)
        {
            int chunk = Math.Min(recordEvery, steps - done);
            bool finite = chosen switch
            {
                FactorizedLeastSquaresVariant.Scalar => StepsScalar(x, eta, chunk),
                FactorizedLeastSquaresVariant.Gemv => StepsGemv(x, eta, chunk),
                FactorizedLeastSquaresVariant.Small => StepsSmall(x, eta, chunk),
                _ => StepsGram(x, eta, chunk),
            };
            done += chunk;
            x.CopyTo(record.Slice(row++ * Cols, Cols));
            if (!finite) break;
        }
        return done;
    }

    /// <summary><c>F(x) = 1/2 ||A (x ⊙ x) - y||^2</c>.</summary>
    public double Objective(ReadOnlySpan<double> x)
    {
        var r = new double[Rows];
        var u = new double[Cols];
        for (int j = 0; j < Cols; j++) u[j] = x[j] * x[j];
        Gemv.Multiply(Op.None, Rows, Cols, 1, _a, Cols, u, 0, r);
        Blas1.Axpy(-1, _y, r);
        return 0.5 * Blas1.SumOfSquares(r);
    }

    /// <summary><c>grad F(x) = 2 x ⊙ A^T (A (x ⊙ x) - y)</c>.</summary>
    public void Gradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var r = new double[Rows];
        var u = new double[Cols];
        for (int j = 0; j < Cols; j++) u[j] = x[j] * x[j];
        Gemv.Multiply(Op.None, Rows, Cols, 1, _a, Cols, u, 0, r);
        Blas1.Axpy(-1, _y, r);
        Gemv.Multiply(Op.Transpose, Rows, Cols, 1, _a, Cols, r, 0, gradient);
        for (int j = 0; j < Cols; j++) gradient[j] *= 2 * x[j];
    }

    private bool StepsScalar(Span<double> x, double eta, int count)
    {
        int n = Rows, m = Cols;
        for (int step = 0; step < count; step++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = -_y[i];
                for (int j = 0; j < m; j++) s += _a[i * m + j] * x[j] * x[j];
                _r[i] = s;
            }
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += _a[i * m + j] * _r[i];
                x[j] -= eta * 2 * x[j] * s;
            }
        }
        return AllFinite(x);
    }

    private bool StepsGemv(Span<double> x, double eta, int count)
    {
        int n = Rows, m = Cols;
        for (int step = 0; step < count; step++)
        {
            for (int j = 0; j < m; j++) _u[j] = x[j] * x[j];
            _y.CopyTo(_r);
            Gemv.Multiply(Op.None, n, m, 1, _a, m, _u, -1, _r);
            Gemv.Multiply(Op.Transpose, n, m, 1, _a, m, _r, 0, _g);
            for (int j = 0; j < m; j++) x[j] -= 2 * eta * x[j] * _g[j];
        }
        return AllFinite(x);
    }

    private static bool AllFinite(ReadOnlySpan<double> x)
    {
        foreach (double v in x) if (!double.IsFinite(v)) return false;
        return true;
    }
}
