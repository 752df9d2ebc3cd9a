using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// A Lasso problem in scikit-learn's conventions: minimize <c>(1/(2n)) ||y - X w||^2 + alpha ||w||_1</c>
/// over w (optionally w &gt;= 0), with X of n samples by p features and no intercept.
/// </summary>
/// <remarks>
/// X is kept column-major, because every solver here works one feature at a time: a column of X is then a
/// contiguous span. Columns start on 64-byte boundaries (the stride is n rounded up to 8 doubles, the buffer is
/// pinned and aligned), so the 512-bit loads of the dot products and axpys never straddle two cache lines.
/// </remarks>
public sealed class LassoProblem
{
    private readonly AlignedBuffer _columns;

    private LassoProblem(ReadOnlySpan<double> x, double[] y, int samples, int features)
    {
        Y = y;
        Samples = samples;
        Features = features;
        Stride = (samples + 7) / 8 * 8;
        _columns = new AlignedBuffer(Stride * features);
        Span<double> columns = _columns.Span;
        for (int i = 0; i < samples; i++)
            for (int j = 0; j < features; j++)
                columns[j * Stride + i] = x[i * features + j];
        ColumnNormsSquared = new double[features];
        for (int j = 0; j < features; j++) ColumnNormsSquared[j] = Gemv.RowDot(Column(j), Column(j));
        YNormSquared = Gemv.RowDot(y, y);
        CorrelationWithY = new double[features];
        Gemv.Multiply(Op.None, features, samples, 1, Columns, Stride, y, 0, CorrelationWithY);
    }

    /// <summary>Builds a problem from X stored row-major (n x p, one sample per row) and y (n).</summary>
    public static LassoProblem FromRowMajor(ReadOnlySpan<double> x, int samples, int features, ReadOnlySpan<double> y)
    {
        if (samples < 1 || features < 1) throw new ArgumentException($"Lasso: need at least one sample and one feature (n={samples}, p={features}).");
        if (x.Length != (long)samples * features) throw new ArgumentException($"Lasso: X has {x.Length} elements, expected {samples} x {features}.");
        if (y.Length != samples) throw new ArgumentException($"Lasso: y has {y.Length} elements, expected {samples}.");
        return new LassoProblem(x, y.ToArray(), samples, features);
    }

    /// <summary>n, the number of samples (rows of X).</summary>
    public int Samples { get; }

    /// <summary>p, the number of features (columns of X).</summary>
    public int Features { get; }

    /// <summary>The distance between consecutive columns in <see cref="Columns"/> (n rounded up to 8).</summary>
    public int Stride { get; }

    /// <summary>X column-major: column j of X is <c>Columns[j*Stride .. j*Stride + n)</c>, the padding is zero.</summary>
    public ReadOnlySpan<double> Columns => _columns.Span;

    public double[] Y { get; }

    /// <summary><c>||X_j||^2</c> for every feature j.</summary>
    public double[] ColumnNormsSquared { get; }

    /// <summary><c>||y||^2</c>.</summary>
    public double YNormSquared { get; }

    /// <summary><c>X^T y</c>.</summary>
    public double[] CorrelationWithY { get; }

    /// <summary>Column j of X.</summary>
    public ReadOnlySpan<double> Column(int j) => _columns.Span.Slice(j * Stride, Samples);

    /// <summary>
    /// The smallest alpha whose solution is zero, <c>max_j |X_j^T y| / n</c>, as scikit-learn computes it for
    /// its grid (also for the positive Lasso, where the true threshold <c>max_j X_j^T y / n</c> may be smaller).
    /// </summary>
    public double AlphaMax => Blas1.MaxAbs(CorrelationWithY) / Samples;

    /// <summary>
    /// scikit-learn's default grid: <paramref name="count"/> values spaced evenly in log scale from
    /// <see cref="AlphaMax"/> down to <c>eps * AlphaMax</c>, largest first.
    /// </summary>
    public double[] AlphaGrid(int count = 100, double eps = 1e-3)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "Lasso: the grid needs at least one alpha.");
        if (!(eps > 0 && eps <= 1)) throw new ArgumentOutOfRangeException(nameof(eps), $"Lasso: eps must be in (0, 1], got {eps}.");
        double top = AlphaMax;
        // scikit-learn replaces a zero alpha_max (y orthogonal to every column) by the float resolution.
        if (top <= 1e-15) top = 1e-15;
        var alphas = new double[count];
        for (int k = 0; k < count; k++) alphas[k] = count == 1 ? top : top * Math.Pow(eps, (double)k / (count - 1));
        return alphas;
    }

    /// <summary>The residual <c>r = y - X w</c>.</summary>
    public void Residual(ReadOnlySpan<double> w, Span<double> r)
    {
        Y.CopyTo(r);
        Gemv.Multiply(Op.Transpose, Features, Samples, -1, Columns, Stride, w, 1, r);
    }

    /// <summary>The objective <c>(1/(2n)) ||y - X w||^2 + alpha ||w||_1</c>.</summary>
    public double Objective(ReadOnlySpan<double> w, double alpha)
    {
        var r = new double[Samples];
        Residual(w, r);
        double l1 = 0;
        foreach (double v in w) l1 += Math.Abs(v);
        return Gemv.RowDot(r, r) / (2.0 * Samples) + alpha * l1;
    }
}
