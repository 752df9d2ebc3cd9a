namespace Engine.Kernels.Lasso;

/// <summary>
/// Anderson extrapolation of coordinate-descent iterates on a working set: from the last <see cref="Depth"/> + 1
/// epochs' points, the affine combination whose successive differences are smallest in norm.
/// </summary>
/// <remarks>
/// With U the matrix of successive differences of the recorded points, the weights c solve
/// <c>min ||U c||</c> subject to <c>sum c = 1</c> (the normal equations <c>U^T U c = 1</c>, then c scaled to sum one,
/// with a relative ridge of 1e-10 for a nearly singular U^T U), and the extrapolation is <c>sum_i c_i x_{i+1}</c>.
/// The caller keeps it only when it lowers the objective. On the ill-conditioned end of a path, where the support
/// approaches n, this cuts the epochs several fold.
/// </remarks>
internal sealed class AndersonExtrapolation
{
    /// <summary>The number of differences combined; an extrapolation is tried every Depth + 1 epochs.</summary>
    public const int Depth = 5;

    private double[] _history = [];
    private int _size;
    // Scratch of the small system; arrays rather than stackalloc, so the method compiles through the tiers like
    // any other instead of at full optimization on its first call.
    private readonly int[] _order = new int[Depth + 1];
    private readonly double[] _gram = new double[Depth * Depth], _weights = new double[Depth];

    /// <summary>Starts a cycle for a working set of <paramref name="size"/> coordinates.</summary>
    public void Reset(int size)
    {
        _size = size;
        if (_history.Length < (Depth + 1) * size) _history = new double[(Depth + 1) * size];
    }

    /// <summary>Records the point after epoch <paramref name="epoch"/> (1-based); true when a cycle is complete and an extrapolation can be tried.</summary>
    public bool Record(int epoch, ReadOnlySpan<double> point)
    {
        int slot = epoch % (Depth + 1);
        point.CopyTo(_history.AsSpan(slot * _size, _size));
        return slot == 0;
    }

    /// <summary>Replaces the newest recorded point (after an accepted extrapolation).</summary>
    public void ReplaceNewest(ReadOnlySpan<double> point) => point.CopyTo(_history.AsSpan(0, _size));

    /// <summary>The extrapolation from the complete cycle into <paramref name="result"/>; false when the differences are degenerate.</summary>
    public bool Extrapolate(Span<double> result)
    {
        const int d = Depth;
        int k = _size;
        // Slots oldest to newest: slot 1 was written first in this cycle, slot 0 last.
        Span<int> order = _order;
        for (int i = 0; i < d; i++) order[i] = i + 1;
        order[d] = 0;
        Span<double> gram = _gram;
        for (int a = 0; a < d; a++)
            for (int b = 0; b <= a; b++)
            {
                double s = 0;
                int a0 = order[a] * k, a1 = order[a + 1] * k, b0 = order[b] * k, b1 = order[b + 1] * k;
                for (int t = 0; t < k; t++) s += (_history[a1 + t] - _history[a0 + t]) * (_history[b1 + t] - _history[b0 + t]);
                gram[a * d + b] = gram[b * d + a] = s;
            }
        double trace = 0;
        for (int a = 0; a < d; a++) trace += gram[a * d + a];
        if (!(trace > 0)) return false;
        for (int a = 0; a < d; a++) gram[a * d + a] += 1e-10 * trace;
        Span<double> c = _weights;
        c.Fill(1);
        if (!SolveSmall(gram, c, d)) return false;
        double sum = 0;
        foreach (double v in c) sum += v;
        if (!(Math.Abs(sum) > 1e-300)) return false;
        Span<double> e = result[..k];
        e.Clear();
        for (int a = 0; a < d; a++)
        {
            double weight = c[a] / sum;
            int row = order[a + 1] * k;
            for (int t = 0; t < k; t++) e[t] += weight * _history[row + t];
        }
        return true;
    }

    // Gaussian elimination with partial pivoting on a d x d system, in place; false when singular.
    private static bool SolveSmall(Span<double> m, Span<double> rhs, int d)
    {
        for (int col = 0; col < d; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < d; r++) if (Math.Abs(m[r * d + col]) > Math.Abs(m[pivot * d + col])) pivot = r;
            if (!(Math.Abs(m[pivot * d + col]) > 0)) return false;
            if (pivot != col)
            {
                for (int t = 0; t < d; t++) (m[col * d + t], m[pivot * d + t]) = (m[pivot * d + t], m[col * d + t]);
                (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
            }
            for (int r = col + 1; r < d; r++)
            {
                double f = m[r * d + col] / m[col * d + col];
                for (int t = col; t < d; t++) m[r * d + t] -= f * m[col * d + t];
                rhs[r] -= f * rhs[col];
            }
        }
        for (int r = d - 1; r >= 0; r--)
        {
            double s = rhs[r];
            for (int t = r + 1; t < d; t++) s -= m[r * d + t] * rhs[t];
            rhs[r] = s / m[r * d + r];
        }
        return true;
    }
}
