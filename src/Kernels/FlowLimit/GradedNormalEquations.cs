namespace Engine.Kernels.FlowLimit;

/// <summary>
/// Solves the normal equations <c>(M diag(h) M^T + mu I) d = g</c> of an r x k matrix M, positive weights h that
/// may span hundreds of orders of magnitude and an optional regularization mu &gt;= 0, without ever forming the
/// r x r matrix.
/// </summary>
/// <remarks>
/// <para>The system matrix is <c>B^T B</c> with <c>B = diag(sqrt h) M^T</c> (k x r), with the rows
/// <c>sqrt(mu) I</c> appended when mu &gt; 0. Forming it would round every direction that only small weights see
/// into the noise of the large ones: with weights from 1 down to 1e-60 the r x r matrix has eigenvalues of both
/// sizes and the small ones would be lost at 1e-16. Householder QR of B
/// instead, with its rows sorted by decreasing norm and its columns pivoted, is accurate row by row (Powell and
/// Reid; Cox and Higham): each row of B is reproduced to a small relative error of its own norm, so a graded B
/// yields a graded R whose small diagonal entries are as accurate as the weights that produced them.</para>
/// <para>The solution is returned normalized: <see cref="Solve"/> writes a direction z and a scale f with
/// <c>d = f z</c>. When the largest weight is itself tiny (a cold start from a prior of 1e-60) the Newton step
/// is huge, and splitting off its scale keeps every stored number finite; the scale may be infinite.</para>
/// <para>Directions whose pivot falls below <see cref="RankThreshold"/> times the largest pivot (by default 1e-100)
/// are seen only by weights 1e-200 times smaller than the largest, which cannot move <c>M w</c> in double
/// precision; they are
/// dropped (the basic solution), which also covers the exactly rank-deficient case and fewer rows than
/// unknowns.</para>
/// </remarks>
internal sealed class GradedNormalEquations
{
    private readonly int _r, _k;
    private readonly double[] _b;        // (k + r) x r, row-major: B, then R in its upper triangle after Factor
    private readonly int[] _rowOrder;
    private readonly double[] _rowNorm;
    private readonly int[] _columnOfPivot; // column j of the pivoted B is column _columnOfPivot[j] of the original
    private readonly double[] _scratch;
    private readonly double[] _columnNorm, _columnLargest, _columnInverse;
    private int _rank;
    private int _rows;                   // rows of B in the last factorization: k, or k + r when regularized
    private double _largestPivot;

    public GradedNormalEquations(int r, int k, double rankThreshold = 1e-100)
    {
        _r = r;
        _k = k;
        RankThreshold = rankThreshold;
        _b = new double[(k + r) * r];
        _rowOrder = new int[k + r];
        _rowNorm = new double[k + r];
        _columnOfPivot = new int[r];
        _scratch = new double[k + r];
        _columnNorm = new double[r];
        _columnLargest = new double[r];
        _columnInverse = new double[r];
    }

    /// <summary>Pivots below this fraction of the largest one count as zero.</summary>
    public double RankThreshold { get; }

    /// <summary>The numerical rank found by the last <see cref="Factor"/>.</summary>
    public int Rank => _rank;

    /// <summary>Column j of the pivoted factorization is unknown <c>PivotOrder(j)</c>; the first <see cref="Rank"/> are independent.</summary>
    public int PivotOrder(int j) => _columnOfPivot[j];

    /// <summary>
    /// Factors <c>diag(sqrt h) M^T</c> (stacked on <c>sqrt(mu) I</c> when <paramref name="regularization"/> mu is
    /// positive), given M (r x k, row-major) and <paramref name="rootWeights"/> = sqrt h (k, nonnegative).
    /// </summary>
    public void Factor(ReadOnlySpan<double> m, ReadOnlySpan<double> rootWeights, double regularization = 0)
    {
        int r = _r;
        // With a regularization mu > 0 the rows sqrt(mu) I are appended: B^T B becomes M diag(h) M^T + mu I.
        int k = regularization > 0 ? _k + r : _k;
        _rows = k;
        double rootMu = Math.Sqrt(regularization);
        for (int i = 0; i < k; i++)
        {
            double big = 0;
            if (i < _k) for (int j = 0; j < r; j++) big = Math.Max(big, Math.Abs(m[j * _k + i]));
            _rowNorm[i] = i < _k ? rootWeights[i] * big : rootMu;
            _rowOrder[i] = i;
        }
        // Largest rows first: the order under which column-pivoted Householder QR is row-wise stable.
        Array.Sort(_rowNorm, _rowOrder, 0, k);
        Array.Reverse(_rowOrder, 0, k);
        for (int t = 0; t < k; t++)
        {
            int i = _rowOrder[t];
            Span<double> row = _b.AsSpan(t * r, r);
            if (i < _k)
            {
                double root = rootWeights[i];
                for (int j = 0; j < r; j++) row[j] = root * m[j * _k + i];
            }
            else
            {
                row.Clear();
                row[i - _k] = rootMu;
            }
        }
        for (int j = 0; j < r; j++) _columnOfPivot[j] = j;

        _rank = r;
        _largestPivot = 0;
        for (int j = 0; j < r; j++)
        {
            if (j == k)
            {
                // Fewer rows than unknowns: the rank is at most the number of rows.
                _rank = j;
                break;
            }
            // Column norms are recomputed rather than downdated: downdating loses the small norms of a graded matrix.
            ColumnNorms(j);
            int best = j;
            double bestNorm = -1;
            for (int c = j; c < r; c++)
            {
                if (_columnNorm[c] > bestNorm) { bestNorm = _columnNorm[c]; best = c; }
            }
            if (best != j) SwapColumns(j, best);
            if (j == 0) _largestPivot = bestNorm;
            if (!(bestNorm > RankThreshold * _largestPivot) || !double.IsFinite(bestNorm))
            {
                _rank = j;
                break;
            }
            Reflect(j, bestNorm);
        }
    }

    /// <summary>
    /// Writes z and returns f with <c>d = f z</c> solving the normal equations for <paramref name="g"/> (length r):
    /// the basic solution, zero in the dropped directions. f is infinite when the step is beyond double range.
    /// </summary>
    public double Solve(ReadOnlySpan<double> g, Span<double> z)
    {
        int r = _r, rank = _rank;
        z.Clear();
        if (rank == 0) return 0;
        double gScale = 0;
        for (int j = 0; j < r; j++) gScale = Math.Max(gScale, Math.Abs(g[j]));
        if (gScale == 0) return 0;
        // Solve (R/p)^T (R/p) x = g/|g| with p the largest pivot, so that d = (|g| / p^2) x.
        double pivot = _largestPivot;
        Span<double> x = _scratch.AsSpan(0, rank);
        for (int j = 0; j < rank; j++)
        {
            double sum = g[_columnOfPivot[j]] / gScale;
            for (int t = 0; t < j; t++) sum -= _b[t * r + j] / pivot * x[t];
            x[j] = sum / (_b[j * r + j] / pivot);
        }
        for (int j = rank - 1; j >= 0; j--)
        {
            double sum = x[j];
            for (int t = j + 1; t < rank; t++) sum -= _b[j * r + t] / pivot * x[t];
            x[j] = sum / (_b[j * r + j] / pivot);
        }
        for (int j = 0; j < rank; j++) z[_columnOfPivot[j]] = x[j];
        return gScale / pivot / pivot;
    }

    // The 2-norms of columns `from`.. over rows `from`.., each scaled by its largest entry so that entries of
    // 1e-200 neither underflow nor vanish when squared. Two passes along the contiguous rows.
    private void ColumnNorms(int from)
    {
        int r = _r;
        Span<double> largest = _columnLargest.AsSpan(from, r - from), norm = _columnNorm.AsSpan(from, r - from);
        largest.Clear();
        norm.Clear();
        for (int t = from; t < _rows; t++)
        {
            ReadOnlySpan<double> row = _b.AsSpan(t * r + from, r - from);
            for (int c = 0; c < row.Length; c++) largest[c] = Math.Max(largest[c], Math.Abs(row[c]));
        }
        for (int c = 0; c < largest.Length; c++) _columnInverse[from + c] = largest[c] > 0 && double.IsFinite(largest[c]) ? 1 / largest[c] : 0;
        ReadOnlySpan<double> inverse = _columnInverse.AsSpan(from, r - from);
        for (int t = from; t < _rows; t++)
        {
            ReadOnlySpan<double> row = _b.AsSpan(t * r + from, r - from);
            for (int c = 0; c < row.Length; c++)
            {
                double v = row[c] * inverse[c];
                norm[c] += v * v;
            }
        }
        for (int c = 0; c < norm.Length; c++) norm[c] = inverse[c] > 0 ? largest[c] * Math.Sqrt(norm[c]) : largest[c];
    }

    private void SwapColumns(int a, int b)
    {
        int r = _r;
        for (int t = 0; t < _rows; t++) (_b[t * r + a], _b[t * r + b]) = (_b[t * r + b], _b[t * r + a]);
        (_columnOfPivot[a], _columnOfPivot[b]) = (_columnOfPivot[b], _columnOfPivot[a]);
    }

    // A Householder reflection I - tau v v^T (v[0] = 1) that maps column j, rows j.., to (beta, 0, ..., 0), applied
    // to the columns right of j. v is stored as ratios x_t / (x_0 - beta), all of size at most one, so nothing
    // underflows however small the column is.
    private void Reflect(int j, double norm)
    {
        int r = _r, k = _rows;
        double x0 = _b[j * r + j];
        double beta = x0 >= 0 ? -norm : norm;
        double tau = (beta - x0) / beta;
        double scale = 1 / (x0 - beta);
        Span<double> v = _scratch.AsSpan(0, k);
        v[j] = 1;
        for (int t = j + 1; t < k; t++) v[t] = _b[t * r + j] * scale;
        // Row by row, so that both passes run along contiguous memory: dots = tau B^T v, then B -= v dots^T.
        int width = r - j - 1;
        Span<double> dots = _columnNorm.AsSpan(j + 1, width);
        dots.Clear();
        for (int t = j; t < k; t++)
        {
            ReadOnlySpan<double> row = _b.AsSpan(t * r + j + 1, width);
            double vt = v[t];
            for (int c = 0; c < width; c++) dots[c] += vt * row[c];
        }
        for (int c = 0; c < width; c++) dots[c] *= tau;
        for (int t = j; t < k; t++)
        {
            Span<double> row = _b.AsSpan(t * r + j + 1, width);
            double vt = v[t];
            for (int c = 0; c < width; c++) row[c] -= vt * dots[c];
        }
        _b[j * r + j] = beta;
        for (int t = j + 1; t < k; t++) _b[t * r + j] = 0;
    }
}
