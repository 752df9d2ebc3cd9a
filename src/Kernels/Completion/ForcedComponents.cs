using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The components <c>w = P^T v</c>, inside the current face P (n x r), of the forced null vectors v that one round of
/// facial reduction collects, as the columns of an r x m matrix A, in bounded memory.
/// </summary>
/// <remarks>
/// <para>Why: the round decides the new forced directions by a pivoted QR of A, and a dense observation pattern can
/// have millions of singular blocks, each with several null vectors, so A itself can outgrow any memory.</para>
/// <para>How: columns are kept as they come until they hold a given number of doubles (32 MB by default). Then
/// <see cref="Compress"/> replaces them by a factor L (r x at most r) with <c>L L^T = A A^T</c> to rounding, taken
/// from a pivoted QR of A^T (<c>A^T Pi = Q R</c>, so <c>A A^T = (A Q)(A Q)^T</c> and <c>L = A Q</c>, whose columns
/// past the QR's steps vanish): L has the same column space and singular values as A, computed from A's entries
/// without squaring them, so the decisions taken from its pivots stay at rounding level. A round that never fills
/// the buffer hands on exactly the columns it collected, in order.</para>
/// </remarks>
internal sealed class ForcedComponents
{
    private readonly int _r;
    private readonly int _compressAbove;
    private double[] _columns;
    private int _pending;
    private double[]? _factor;
    private int _factorColumns;

    /// <param name="r">The face's dimension: the length of a column.</param>
    /// <param name="compressAbove">The most doubles held as raw columns before they are folded into the factor.</param>
    public ForcedComponents(int r, int compressAbove)
    {
        _r = r;
        _compressAbove = compressAbove;
        _columns = new double[Math.Max(r, 1) * 16];
    }

    /// <summary>How many vectors were added.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the raw columns hold more than the doubles allowed before folding.</summary>
    public bool Full => (long)_pending * _r > _compressAbove;

    /// <summary>Whether the columns were ever folded into a factor.</summary>
    public bool Compressed => _factor is not null;

    /// <summary>Adds the column <c>P^T v</c> for the n x r row-major <paramref name="basis"/>.</summary>
    public void Add(double[] v, double[] basis, int n)
    {
        int r = _r;
        if ((long)(_pending + 1) * r > _columns.Length)
            Array.Resize(ref _columns, (int)Math.Min(Array.MaxLength, Math.Max(2L * _columns.Length, (long)(_pending + 1) * r)));
        Span<double> column = _columns.AsSpan(_pending * r, r);
        column.Clear();
        for (int i = 0; i < n; i++)
        {
            if (v[i] == 0) continue;
            for (int k = 0; k < r; k++) column[k] += basis[i * r + k] * v[i];
        }
        _pending++;
        Count++;
    }

    /// <summary>
    /// Folds the raw columns and the factor into a new factor L with <c>L L^T = A A^T</c>; spends about
    /// <c>3 m r^2</c> multiply-adds from <paramref name="budget"/> (m the columns folded).
    /// </summary>
    public void Compress(WorkBudget budget)
    {
        int r = _r, m = _factorColumns + _pending;
        if (r == 0 || m == 0) return;
        budget.Spend(3.0 * m * r * r);
        // A^T (m x r) by columns: column k is row k of A = [factor | raw].
        var transposed = new double[(long)m * r <= Array.MaxLength ? m * r : throw new InvalidOperationException("Too many components to fold.")];
        for (int k = 0; k < r; k++)
        {
            Span<double> row = transposed.AsSpan(k * m, m);
            for (int t = 0; t < _factorColumns; t++) row[t] = _factor![t * r + k];
            for (int t = 0; t < _pending; t++) row[_factorColumns + t] = _columns[t * r + k];
        }
        PivotedQr qr = PivotedQr.Factor(transposed, m, r);
        int s = qr.Steps;
        var factor = new double[r * s];
        var work = new double[m];
        for (int k = 0; k < r; k++)
        {
            transposed.AsSpan(k * m, m).CopyTo(work);
            qr.ApplyQTranspose(work); // (A Q)[k, j] = (Q^T a_k)[j], a_k row k of A
            for (int j = 0; j < s; j++) factor[j * r + k] = work[j];
        }
        _factor = factor;
        _factorColumns = s;
        _pending = 0;
        if (_columns.Length > (long)_compressAbove + r) _columns = new double[_compressAbove + r];
    }

    /// <summary>
    /// How many pivots of a pivoted QR of A exceed <paramref name="threshold"/> (absolute): the number of new
    /// directions the round would take if it ended now. Folds the raw columns first.
    /// </summary>
    public int RankAbove(double threshold, WorkBudget budget)
    {
        Compress(budget);
        if (_factor is null || _factorColumns == 0) return 0;
        PivotedQr qr = PivotedQr.Factor(_factor, _r, _factorColumns);
        int rank = 0;
        while (rank < qr.Steps && qr.PivotMagnitude(rank) > threshold) rank++;
        return rank;
    }

    /// <summary>
    /// The pivoted QR of A (r rows): of the raw columns alone, in the order they came, when nothing was folded, else of
    /// the factor followed by them.
    /// </summary>
    public PivotedQr Factor()
    {
        int r = _r;
        if (_factor is null) return PivotedQr.Factor(_columns.AsSpan(0, _pending * r), r, _pending);
        var matrix = new double[r * (_factorColumns + _pending)];
        _factor.CopyTo(matrix, 0);
        _columns.AsSpan(0, _pending * r).CopyTo(matrix.AsSpan(_factorColumns * r));
        return PivotedQr.Factor(matrix, r, _factorColumns + _pending);
    }

    /// <summary><c>A A^T</c> (r x r) as held: the factor's <c>L L^T</c> plus the raw columns' (for the tests).</summary>
    internal double[] Gram()
    {
        int r = _r;
        var gram = new double[r * r];
        void AddColumns(double[] columns, int count)
        {
            for (int t = 0; t < count; t++)
                for (int i = 0; i < r; i++)
                    for (int j = 0; j < r; j++) gram[i * r + j] += columns[t * r + i] * columns[t * r + j];
        }
        if (_factor is not null) AddColumns(_factor, _factorColumns);
        AddColumns(_columns, _pending);
        return gram;
    }
}
