using Engine.Kernels.Simd;
using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// A Lasso or elastic-net problem in scikit-learn's conventions: minimize
/// <c>(1/(2n)) ||y - X w||^2 + alpha l1 ||w||_1 + (alpha (1 - l1) / 2) ||w||^2</c> over w (optionally w &gt;= 0), with X of
/// n samples by p features, after the <see cref="LassoPreprocessing"/> the problem was built with.
/// </summary>
/// <remarks>
/// <para>The problem holds the data the solvers see: X and y already centered (intercept), scaled (standardization)
/// and multiplied row by row by the square root of the sample weight. <see cref="Columns"/>, <see cref="Y"/> and every
/// quantity derived from them are of that prepared problem; <see cref="ToOriginalScale"/> maps its solutions back to
/// coefficients and an intercept for the data as given.</para>
/// <para>X is kept column-major, because every solver here works one feature at a time: a column of X is then a
/// contiguous span. Columns start on 64-byte boundaries (the stride is n rounded up to 8 doubles, the buffer is
/// pinned and aligned), so the 512-bit loads of the dot products and axpys never straddle two cache lines.</para>
/// <para>An int8 copy of X (for the screening passes) and the Gram matrix (for covariance updates) are built the
/// first time a solver asks for them and kept for the next path on the same problem.</para>
/// </remarks>
public sealed class LassoProblem
{
    private readonly AlignedBuffer<double> _columns;
    private QuantizedColumns? _quantized;
    private double[]? _gram;

    private LassoProblem(ReadOnlySpan<double> x, int features, ReadOnlySpan<double> y, ReadOnlySpan<int> rows, LassoPreprocessing preprocessing)
    {
        int n = rows.Length;
        Samples = n;
        Features = features;
        Preprocessing = preprocessing;
        Stride = (n + 7) / 8 * 8;

        // Weights rescaled to sum to n, then their square roots multiply the rows.
        var rootWeight = new double[n];
        double[]? weights = null;
        if (preprocessing.SampleWeights is { } given)
        {
            double total = 0;
            for (int i = 0; i < n; i++) total += given[rows[i]];
            weights = new double[n];
            for (int i = 0; i < n; i++)
            {
                weights[i] = given[rows[i]] * (n / total);
                rootWeight[i] = Math.Sqrt(weights[i]);
            }
        }
        else rootWeight.AsSpan().Fill(1);
        SampleWeights = weights;

        // Weighted means (divisor sum of weights = n), then weighted standard deviations about them.
        XOffset = new double[features];
        XScale = new double[features];
        XScale.AsSpan().Fill(1);
        if (preprocessing.FitIntercept)
        {
            double yMean = 0;
            for (int i = 0; i < n; i++)
            {
                double wi = weights?[i] ?? 1;
                ReadOnlySpan<double> row = x.Slice(rows[i] * features, features);
                for (int j = 0; j < features; j++) XOffset[j] += wi * row[j];
                yMean += wi * y[rows[i]];
            }
            for (int j = 0; j < features; j++) XOffset[j] /= n;
            YOffset = yMean / n;
        }
        if (preprocessing.Standardize)
        {
            var squares = new double[features];
            for (int i = 0; i < n; i++)
            {
                double wi = weights?[i] ?? 1;
                ReadOnlySpan<double> row = x.Slice(rows[i] * features, features);
                for (int j = 0; j < features; j++)
                {
                    double d = row[j] - XOffset[j];
                    squares[j] += wi * d * d;
                }
            }
            for (int j = 0; j < features; j++)
            {
                double sd = Math.Sqrt(squares[j] / n);
                XScale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1;
            }
        }

        _columns = new AlignedBuffer<double>(Stride * features);
        Span<double> columns = _columns.Span;
        var inverseScale = XScale.Select(s => 1 / s).ToArray();
        Y = new double[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = x.Slice(rows[i] * features, features);
            double root = rootWeight[i];
            for (int j = 0; j < features; j++)
                columns[j * Stride + i] = root * ((row[j] - XOffset[j]) * inverseScale[j]);
            Y[i] = root * (y[rows[i]] - YOffset);
        }
        ColumnNormsSquared = new double[features];
        for (int j = 0; j < features; j++) ColumnNormsSquared[j] = Gemv.RowDot(Column(j), Column(j));
        YNormSquared = Gemv.RowDot(Y, Y);
        // Decided here, before any solver runs: past this the sums of squares the solvers and the duality gap form
        // (||r||^2, X_j^T r, the Gram matrix) overflow to infinity or NaN somewhere along a path.
        double largestSquare = YNormSquared;
        foreach (double c in ColumnNormsSquared) largestSquare = double.IsNaN(c) ? c : Math.Max(largestSquare, c);
        if (!(largestSquare <= MaxSquaredNorm))
            throw new ArgumentException($"Lasso: the data's squares overflow double precision (||y||^2 or a column's ||X_j||^2, after preprocessing, is {largestSquare:G3}, above {MaxSquaredNorm:G0}); divide the data by a common factor.");
        // The other end: a nonzero y or column whose square is near or below the smallest double would read as zero (y
        // 'orthogonal to every column', a path from 0 to 0) or lose its digits in subnormal products.
        double smallestSquare = double.PositiveInfinity;
        if (Y.AsSpan().ContainsAnyExcept(0.0)) smallestSquare = YNormSquared;
        for (int j = 0; j < features; j++)
            if (Column(j).ContainsAnyExcept(0.0)) smallestSquare = Math.Min(smallestSquare, ColumnNormsSquared[j]);
        if (smallestSquare < MinSquaredNorm)
            throw new ArgumentException($"Lasso: the data's squares underflow double precision (||y||^2 or a nonzero column's ||X_j||^2, after preprocessing, is {smallestSquare:G3}, below {MinSquaredNorm:G0}); multiply the data by a common factor.");
        CorrelationWithY = new double[features];
        Gemv.Multiply(Op.None, features, n, 1, Columns, Stride, Y, 0, CorrelationWithY);
        // A plain loop (Math.Max keeps a NaN): p values, and no vector kernel to compile in the timed path.
        double largest = 0;
        foreach (double c in CorrelationWithY) largest = Math.Max(largest, Math.Abs(c));
        AlphaMax = largest / n;
    }

    /// <summary>Builds a problem from X stored row-major (n x p, one sample per row) and y (n), used as given.</summary>
    public static LassoProblem FromRowMajor(ReadOnlySpan<double> x, int samples, int features, ReadOnlySpan<double> y) =>
        FromRowMajor(x, samples, features, y, LassoPreprocessing.None);

    /// <summary>
    /// Builds a problem from X stored row-major (n x p, one sample per row) and y (n), prepared as
    /// <paramref name="preprocessing"/> says (intercept, standardization, sample weights).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree, or a weight is negative or not finite, or all are zero, or the
    /// prepared data's squares exceed <see cref="MaxSquaredNorm"/> or, nonzero, fall below <see cref="MinSquaredNorm"/>.</exception>
    public static LassoProblem FromRowMajor(ReadOnlySpan<double> x, int samples, int features, ReadOnlySpan<double> y, LassoPreprocessing preprocessing)
    {
        Validate(x.Length, samples, features, y.Length, preprocessing);
        var rows = new int[samples];
        for (int i = 0; i < samples; i++) rows[i] = i;
        return new LassoProblem(x, features, y, rows, preprocessing);
    }

    /// <summary>
    /// The problem on a subset of the samples (for cross-validation): rows <paramref name="rows"/> of X and y, with
    /// the means, scales and weight normalization computed on those rows only.
    /// </summary>
    internal static LassoProblem FromRows(ReadOnlySpan<double> x, int samples, int features, ReadOnlySpan<double> y, LassoPreprocessing preprocessing, ReadOnlySpan<int> rows)
    {
        Validate(x.Length, samples, features, y.Length, preprocessing);
        if (rows.Length < 1) throw new ArgumentException("Lasso: a training set needs at least one sample.");
        if (preprocessing.SampleWeights is { } w)
        {
            double total = 0;
            foreach (int i in rows) total += w[i];
            if (!(total > 0)) throw new ArgumentException("Lasso: the sample weights of a training set are all zero.");
        }
        return new LassoProblem(x, features, y, rows, preprocessing);
    }

    private static void Validate(int xLength, int samples, int features, int yLength, LassoPreprocessing preprocessing)
    {
        if (samples < 1 || features < 1) throw new ArgumentException($"Lasso: need at least one sample and one feature (n={samples}, p={features}).");
        if (xLength != (long)samples * features) throw new ArgumentException($"Lasso: X has {xLength} elements, expected {samples} x {features}.");
        if (yLength != samples) throw new ArgumentException($"Lasso: y has {yLength} elements, expected {samples}.");
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (preprocessing.SampleWeights is not { } weights) return;
        if (weights.Length != samples) throw new ArgumentException($"Lasso: {weights.Length} sample weights for {samples} samples.");
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] >= 0) || !double.IsFinite(weights[i])) throw new ArgumentException($"Lasso: sample weight #{i} is {weights[i]}; weights must be finite and nonnegative.");
            total += weights[i];
        }
        if (!(total > 0)) throw new ArgumentException("Lasso: the sample weights are all zero.");
        // Only the ratios of the weights matter, but their sum is formed (to rescale them to sum to n, and in every
        // cross-validation fold): past the largest double it would turn every weight into 0 or NaN.
        if (!double.IsFinite(total)) throw new ArgumentException("Lasso: the sample weights sum to more than the largest double; divide them by a common factor.");
    }

    /// <summary>
    /// The largest <c>||y||^2</c> and <c>||X_j||^2</c> (prepared data) a problem accepts: squares of the data's
    /// magnitude must stay finite with room for the path's arithmetic (a factor of 10^8 below the largest double).
    /// </summary>
    public const double MaxSquaredNorm = 1e300;

    /// <summary>
    /// The smallest <c>||y||^2</c> and <c>||X_j||^2</c> of a nonzero y or column a problem accepts, the mirror of
    /// <see cref="MaxSquaredNorm"/>: below it the squares near the subnormal range (from 2.2e-308), where digits are
    /// lost (data scaled by 1e-160 gave a coefficient 2.7 % off) or the squares are 0 (at 1e-200: y 'orthogonal' to X).
    /// </summary>
    public const double MinSquaredNorm = 1e-300;

    /// <summary>n, the number of samples (rows of X).</summary>
    public int Samples { get; }

    /// <summary>p, the number of features (columns of X).</summary>
    public int Features { get; }

    /// <summary>How the data were prepared.</summary>
    public LassoPreprocessing Preprocessing { get; }

    /// <summary>The sample weights rescaled to sum to n, or null when all are equal.</summary>
    public double[]? SampleWeights { get; }

    /// <summary>The value subtracted from each column before the fit: its weighted mean with an intercept, else 0.</summary>
    public double[] XOffset { get; }

    /// <summary>The value each centered column was divided by: its weighted standard deviation when standardizing, else 1.</summary>
    public double[] XScale { get; }

    /// <summary>The value subtracted from y: its weighted mean with an intercept, else 0.</summary>
    public double YOffset { get; }

    /// <summary>The distance between consecutive columns in <see cref="Columns"/> (n rounded up to 8).</summary>
    public int Stride { get; }

    /// <summary>The prepared X column-major: column j is <c>Columns[j*Stride .. j*Stride + n)</c>, the padding is zero.</summary>
    public ReadOnlySpan<double> Columns => _columns.Span;

    /// <summary>The prepared y.</summary>
    public double[] Y { get; }

    /// <summary><c>||X_j||^2</c> for every feature j (prepared X).</summary>
    public double[] ColumnNormsSquared { get; }

    /// <summary><c>||y||^2</c> (prepared y).</summary>
    public double YNormSquared { get; }

    /// <summary><c>X^T y</c> (prepared X and y).</summary>
    public double[] CorrelationWithY { get; }

    /// <summary>Column j of the prepared X.</summary>
    public ReadOnlySpan<double> Column(int j) => _columns.Span.Slice(j * Stride, Samples);

    /// <summary>
    /// The smallest alpha whose Lasso solution is zero, <c>max_j |X_j^T y| / n</c>, as scikit-learn computes it for
    /// its grid (also for the positive Lasso, where the true threshold <c>max_j X_j^T y / n</c> may be smaller).
    /// For the elastic net the threshold is this divided by the l1 ratio.
    /// </summary>
    public double AlphaMax { get; }

    /// <summary>Why a problem whose <see cref="AlphaMax"/> is zero has no grid, in one sentence.</summary>
    public const string ZeroModelSentence = "y is orthogonal to every column of X (after preprocessing), so alpha_max = 0 and the solution is zero at every alpha > 0: the whole path is the zero model, with no grid of alphas to compute it on.";

    /// <summary>
    /// scikit-learn's default grid: <paramref name="count"/> values spaced evenly in log scale from
    /// <c>AlphaMax / l1Ratio</c> down to <paramref name="eps"/> times that, largest first (without scikit-learn's floor of
    /// 1e-15 on alpha_max).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="AlphaMax"/> is zero (see <see cref="ZeroModelSentence"/>).</exception>
    public double[] AlphaGrid(int count = 100, double eps = 1e-3, double l1Ratio = 1)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "Lasso: the grid needs at least one alpha.");
        if (!(eps > 0 && eps <= 1)) throw new ArgumentOutOfRangeException(nameof(eps), $"Lasso: eps must be in (0, 1], got {eps}.");
        if (!(l1Ratio > 0 && l1Ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(l1Ratio), $"Lasso: a grid needs an l1 ratio in (0, 1], got {l1Ratio}.");
        // scikit-learn floors alpha_max at 1e-15, which invents a grid for small data (1e-9 times a data set whose
        // alpha_max is 2e-3 has alpha_max 2e-18, not 1e-15) and for y orthogonal to every column, where the solution
        // is zero at every alpha. The grid starts at the true alpha_max, and there is none when it is zero.
        if (!(AlphaMax > 0)) throw new InvalidOperationException(ZeroModelSentence);
        double top = AlphaMax / l1Ratio;
        var alphas = new double[count];
        for (int k = 0; k < count; k++) alphas[k] = count == 1 ? top : top * Math.Pow(eps, (double)k / (count - 1));
        return alphas;
    }

    /// <summary>The residual <c>r = y - X w</c> of the prepared problem.</summary>
    public void Residual(ReadOnlySpan<double> w, Span<double> r)
    {
        Y.CopyTo(r);
        Gemv.Multiply(Op.Transpose, Features, Samples, -1, Columns, Stride, w, 1, r);
    }

    /// <summary>The Lasso objective <c>(1/(2n)) ||y - X w||^2 + alpha ||w||_1</c> of the prepared problem.</summary>
    public double Objective(ReadOnlySpan<double> w, double alpha) => Objective(w, alpha, 1);

    /// <summary>The elastic-net objective <c>(1/(2n)) ||y - X w||^2 + alpha l1 ||w||_1 + (alpha (1 - l1) / 2) ||w||^2</c> of the prepared problem.</summary>
    public double Objective(ReadOnlySpan<double> w, double alpha, double l1Ratio)
    {
        var r = new double[Samples];
        Residual(w, r);
        double l1 = 0, l2 = 0;
        foreach (double v in w) { l1 += Math.Abs(v); l2 += v * v; }
        return Gemv.RowDot(r, r) / (2.0 * Samples) + alpha * l1Ratio * l1 + 0.5 * alpha * (1 - l1Ratio) * l2;
    }

    /// <summary>
    /// Maps a solution w of the prepared problem to the data as given: <c>coefficients[j] = w[j] / XScale[j]</c>;
    /// returns the intercept <c>YOffset - XOffset . coefficients</c> (0 without one).
    /// </summary>
    public double ToOriginalScale(ReadOnlySpan<double> w, Span<double> coefficients)
    {
        if (w.Length != Features || coefficients.Length != Features) throw new ArgumentException($"Lasso: expected {Features} coefficients.");
        double intercept = YOffset;
        for (int j = 0; j < Features; j++)
        {
            coefficients[j] = w[j] / XScale[j];
            intercept -= XOffset[j] * coefficients[j];
        }
        return intercept;
    }

    /// <summary>The inverse of <see cref="ToOriginalScale"/> for the coefficients: <c>w[j] = coefficients[j] * XScale[j]</c>.</summary>
    public double[] ToSolverScale(ReadOnlySpan<double> coefficients)
    {
        if (coefficients.Length != Features) throw new ArgumentException($"Lasso: expected {Features} coefficients.");
        var w = new double[Features];
        for (int j = 0; j < Features; j++) w[j] = coefficients[j] * XScale[j];
        return w;
    }

    /// <summary>The int8 copy of the prepared X with its error bounds, built on first use.</summary>
    internal QuantizedColumns Quantized => _quantized ??= new QuantizedColumns(this);

    /// <summary>The Gram matrix <c>X^T X</c> of the prepared X (p x p, row-major), built on first use with up to <paramref name="threads"/> threads.</summary>
    internal double[] Gram(int threads) => _gram ??= GramMatrix.Compute(this, threads);
}
