namespace Engine.Kernels.Completion;

/// <summary>
/// A validated instance of <c>min trace(X) s.t. X_ij = Y_ij for (i, j) in Omega, X PSD</c>: the n x n row-major Y
/// (read only on Omega) and the symmetric mask of Omega, copied.
/// </summary>
public sealed class CompletionProblem
{
    private readonly double[] _y;
    private readonly bool[] _observed;

    /// <exception cref="ArgumentException">Wrong sizes, an asymmetric Omega, or a NaN or infinite observed entry.</exception>
    public CompletionProblem(ReadOnlySpan<double> y, ReadOnlySpan<bool> observed, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (y.Length != n * n || observed.Length != n * n) throw new ArgumentException($"Y and Omega must both be {n} x {n}.");
        var pairs = new List<(int, int)>();
        double norm2 = 0, largest = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int at = i * n + j;
                if (observed[at] != observed[j * n + i]) throw new ArgumentException("Omega must be symmetric.", nameof(observed));
                if (!observed[at]) continue;
                if (!double.IsFinite(y[at])) throw new ArgumentException("An observed entry of Y is NaN or infinite.", nameof(y));
                if (j <= i && y[at] != y[j * n + i]) throw new ArgumentException("Y must be symmetric on Omega.", nameof(y));
                norm2 += y[at] * y[at];
                largest = Math.Max(largest, Math.Abs(y[at]));
                if (j <= i) pairs.Add((i, j));
            }
        N = n;
        _y = y.ToArray();
        _observed = observed.ToArray();
        Pairs = pairs;
        ObservedNorm = Math.Sqrt(norm2);
        LargestObserved = largest;
    }

    public int N { get; }

    /// <summary>Y, n x n row-major (entries off Omega are kept but never used).</summary>
    public ReadOnlySpan<double> Y => _y;

    /// <summary>The mask of Omega, n x n row-major, symmetric.</summary>
    public ReadOnlySpan<bool> Observed => _observed;

    /// <summary>The observed unordered pairs (i, j) with i &gt;= j, row by row.</summary>
    public IReadOnlyList<(int I, int J)> Pairs { get; }

    /// <summary><c>||P_Omega(Y)||_F</c> over all (ordered) observed entries.</summary>
    public double ObservedNorm { get; }

    /// <summary>The largest observed |Y_ij|: the data scale that absolute thresholds are relative to.</summary>
    public double LargestObserved { get; }

    internal double ValueAt(int i, int j) => _y[i * N + j];

    internal bool IsObserved(int i, int j) => _observed[i * N + j];
}
