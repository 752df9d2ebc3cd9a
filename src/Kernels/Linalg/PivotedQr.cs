using Engine.Kernels.Blas;

namespace Engine.Kernels.Linalg;

/// <summary>
/// Householder QR factorization with column pivoting of a dense matrix stored by columns: effectively computes
/// <c>A Pi = Q R</c> with Q orthogonal, R upper triangular with non-increasing <c>|R_kk|</c>, and Pi the column
/// permutation that puts the largest remaining column first at every step.
/// </summary>
/// <remarks>
/// <para>The pivoting makes the factorization rank revealing in practice: <c>|R_kk|</c> is the distance of pivot
/// column k from the span of the earlier pivot columns, so the number of pivots above a relative threshold is a
/// numerical rank, and the first <c>rank</c> pivot columns are a well-conditioned independent subset.</para>
/// <para>Column norms are downdated after each step and recomputed when the downdate has cancelled away about half
/// of their digits (the rule of LAPACK's dgeqp3); each pivot's norm is recomputed exactly before it is used. The
/// factorization stops once every remaining column is exactly zero or below 1e-15 times the first pivot.</para>
/// <para>Storage is by columns (element (i, j) at <c>j * rows + i</c>) because every step works on whole columns.</para>
/// </remarks>
public sealed class PivotedQr
{
    private const double NegligibleColumn = 1e-15;

    /// <summary>A downdated column norm is recomputed once it has lost about half its digits (LAPACK's rule).</summary>
    private static readonly double RecomputeNorm = Math.Sqrt(Math.Pow(2, -52));

    private readonly double[] _qr;   // R on and above the diagonal, Householder vectors below it (unit first entry implied)
    private readonly double[] _tau;  // Householder scalars: H_k = I - tau_k v_k v_k^T
    private readonly int[] _permutation;
    private readonly int _steps;

    private PivotedQr(double[] qr, double[] tau, int[] permutation, int rows, int columns, int steps)
    {
        _qr = qr;
        _tau = tau;
        _permutation = permutation;
        Rows = rows;
        Columns = columns;
        _steps = steps;
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>The columns of A in pivot order: entry k is the index in A of the column that became pivot k.</summary>
    public ReadOnlySpan<int> Permutation => _permutation;

    /// <summary>Number of Householder steps taken; <c>|R_kk|</c> is zero (negligible) for every k past it.</summary>
    public int Steps => _steps;

    /// <summary><c>|R_kk|</c> for pivot k (zero past <see cref="Steps"/>).</summary>
    public double PivotMagnitude(int k) => k < _steps ? Math.Abs(_qr[k * Rows + k]) : 0;

    /// <summary>
    /// The numerical rank: the number of pivots with <c>|R_kk| &gt; relativeTolerance * |R_00|</c> (zero for a zero matrix).
    /// </summary>
    public int RankFor(double relativeTolerance)
    {
        if (_steps == 0) return 0;
        double first = PivotMagnitude(0);
        int rank = 0;
        while (rank < _steps && PivotMagnitude(rank) > relativeTolerance * first) rank++;
        return rank;
    }

    /// <summary>Factors the <paramref name="rows"/> x <paramref name="columns"/> matrix stored by columns in <paramref name="a"/> (copied).</summary>
    public static PivotedQr Factor(ReadOnlySpan<double> a, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (a.Length != rows * columns) throw new ArgumentException($"Expected {rows * columns} values, got {a.Length}.", nameof(a));
        double[] qr = a.ToArray();
        var permutation = new int[columns];
        var norms = new double[columns];     // norm of column j below the rows already reduced
        var reference = new double[columns]; // that norm when last computed exactly
        for (int j = 0; j < columns; j++)
        {
            permutation[j] = j;
            norms[j] = reference[j] = Math.Sqrt(Blas1.SumOfSquares(qr.AsSpan(j * rows, rows)));
        }
        int limit = Math.Min(rows, columns);
        var tau = new double[limit];
        double first = 0;
        int step = 0;
        for (; step < limit; step++)
        {
            int best = step;
            for (int j = step + 1; j < columns; j++)
                if (norms[j] > norms[best]) best = j;
            if (best != step)
            {
                Span<double> x = qr.AsSpan(step * rows, rows), y = qr.AsSpan(best * rows, rows);
                for (int i = 0; i < rows; i++) (x[i], y[i]) = (y[i], x[i]);
                (permutation[step], permutation[best]) = (permutation[best], permutation[step]);
                (norms[step], norms[best]) = (norms[best], norms[step]);
                (reference[step], reference[best]) = (reference[best], reference[step]);
            }
            // The pivot's own norm is recomputed exactly, so the threshold and R_kk never rest on a downdate.
            Span<double> column = qr.AsSpan(step * rows, rows);
            double norm = Math.Sqrt(Blas1.SumOfSquares(column[step..]));
            if (step == 0) first = norm;
            if (norm == 0 || norm <= NegligibleColumn * first) break;

            // Reflect column step onto -sign(x_0) ||x|| e_step; v = x - beta e_1 scaled so that v_0 = 1.
            double alpha = column[step];
            double beta = alpha >= 0 ? -norm : norm;
            Blas1.Scal(1 / (alpha - beta), column[(step + 1)..]);
            tau[step] = (beta - alpha) / beta;
            column[step] = beta;

            ReadOnlySpan<double> below = column[(step + 1)..];
            for (int j = step + 1; j < columns; j++)
            {
                Span<double> target = qr.AsSpan(j * rows, rows);
                double dot = tau[step] * (target[step] + Blas1.Dot(below, target[(step + 1)..]));
                target[step] -= dot;
                Blas1.Axpy(-dot, below, target[(step + 1)..]);

                // Downdate the norm below row step; recompute it when cancellation has eaten its accuracy.
                if (norms[j] == 0) continue;
                double ratio = Math.Abs(target[step]) / norms[j];
                double remaining = Math.Max(0, (1 - ratio) * (1 + ratio));
                double scaled = norms[j] / reference[j];
                if (remaining * scaled * scaled <= RecomputeNorm)
                    norms[j] = reference[j] = Math.Sqrt(Blas1.SumOfSquares(target[(step + 1)..]));
                else norms[j] *= Math.Sqrt(remaining);
            }
        }
        return new PivotedQr(qr, tau, permutation, rows, columns, step);
    }

    /// <summary>Overwrites the vector <paramref name="v"/> (length <see cref="Rows"/>) with <c>Q^T v</c>.</summary>
    public void ApplyQTranspose(Span<double> v)
    {
        if (v.Length != Rows) throw new ArgumentException($"Expected {Rows} values, got {v.Length}.", nameof(v));
        for (int k = 0; k < _steps; k++)
        {
            ReadOnlySpan<double> below = _qr.AsSpan(k * Rows + k + 1, Rows - k - 1);
            double dot = _tau[k] * (v[k] + Blas1.Dot(below, v[(k + 1)..]));
            v[k] -= dot;
            Blas1.Axpy(-dot, below, v[(k + 1)..]);
        }
    }

    /// <summary>Overwrites the vector <paramref name="v"/> (length <see cref="Rows"/>) with <c>Q v</c>.</summary>
    public void ApplyQ(Span<double> v)
    {
        if (v.Length != Rows) throw new ArgumentException($"Expected {Rows} values, got {v.Length}.", nameof(v));
        for (int k = _steps - 1; k >= 0; k--)
        {
            ReadOnlySpan<double> below = _qr.AsSpan(k * Rows + k + 1, Rows - k - 1);
            double dot = _tau[k] * (v[k] + Blas1.Dot(below, v[(k + 1)..]));
            v[k] -= dot;
            Blas1.Axpy(-dot, below, v[(k + 1)..]);
        }
    }

    /// <summary>Solves <c>R[0..rank, 0..rank] x = rhs[0..rank]</c> in place (back substitution).</summary>
    public void SolveUpper(int rank, Span<double> rhs)
    {
        if (rank > _steps) throw new ArgumentOutOfRangeException(nameof(rank), "The rank can not exceed the steps taken.");
        for (int i = rank - 1; i >= 0; i--)
        {
            double sum = rhs[i];
            for (int k = i + 1; k < rank; k++) sum -= _qr[k * Rows + i] * rhs[k];
            rhs[i] = sum / _qr[i * Rows + i];
        }
    }

    /// <summary>Solves <c>R[0..rank, 0..rank]^T x = rhs[0..rank]</c> in place (forward substitution).</summary>
    public void SolveUpperTranspose(int rank, Span<double> rhs)
    {
        if (rank > _steps) throw new ArgumentOutOfRangeException(nameof(rank), "The rank can not exceed the steps taken.");
        for (int i = 0; i < rank; i++)
        {
            double sum = rhs[i];
            for (int k = 0; k < i; k++) sum -= _qr[i * Rows + k] * rhs[k];
            rhs[i] = sum / _qr[i * Rows + i];
        }
    }
}
