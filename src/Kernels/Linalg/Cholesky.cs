using Engine.Kernels.Gemm;

namespace Engine.Kernels.Linalg;

/// <summary>
/// Cholesky factorization <c>A = L L^T</c> of a symmetric positive definite row-major matrix, in place, and the
/// solve that uses it.
/// </summary>
public static class Cholesky
{
    /// <summary>
    /// Columns of L computed together: the part of each sum over the columns left of a block is one GEMM, and the rest
    /// is the unblocked algorithm inside the block. A matrix of at most this order is factored unblocked throughout.
    /// </summary>
    internal const int BlockColumns = 128;

    /// <summary>
    /// Overwrites the lower triangle of the n x n matrix <paramref name="a"/> with L (the upper triangle is left as
    /// it was). Returns false, leaving <paramref name="a"/> partly overwritten, when a pivot is not positive.
    /// </summary>
    /// <remarks>
    /// Left-looking by blocks of <see cref="BlockColumns"/> columns J = [j0, j1). Entry (i, j) of L, i &gt;= j in J, is
    /// <c>(a_ij - s_ij - sum_{j0 &lt;= k &lt; j} l_ik l_jk) / l_jj</c> (the square root for i = j), where
    /// <c>s_ij = sum_{k &lt; j0} l_ik l_jk</c> comes from one GEMM of the rows below the block and one of the block's own
    /// rows (a scratch square, of which the lower triangle is used), and the last sum runs in order of k. At n = 4,000
    /// (min-norm's largest A A^T) the GEMMs carry all but n^2 BlockColumns / 4 of the n^3 / 6 multiply-adds, on every
    /// core: about 1 s where the unblocked algorithm took 13 s. Every step is in a fixed order, so L is the same bits at
    /// every vector width and thread count (the GEMM's guarantee).
    /// </remarks>
    public static bool Factor(Span<double> a, int n)
    {
        if (a.Length != n * n) throw new ArgumentException($"Expected {n * n} values, got {a.Length}.", nameof(a));
        double[]? square = n > BlockColumns ? new double[BlockColumns * BlockColumns] : null;
        for (int j0 = 0; j0 < n; j0 += BlockColumns)
        {
            int width = Math.Min(BlockColumns, n - j0), j1 = j0 + width;
            if (j0 > 0)
            {
                // The block's rows: S = L[J, :j0] L[J, :j0]^T, subtracted from the lower triangle of A[J, J] only.
                Gemm.Gemm.Multiply(Op.None, Op.Transpose, width, width, j0, 1.0, a[(j0 * n)..], n, a[(j0 * n)..], n, 0.0, square!, width);
                for (int i = 0; i < width; i++)
                    for (int j = 0; j <= i; j++) a[(j0 + i) * n + j0 + j] -= square![i * width + j];
                // The rows below: A[j1:, J] -= L[j1:, :j0] L[J, :j0]^T, in place (columns J only, left of the diagonal).
                if (j1 < n)
                    Gemm.Gemm.Multiply(Op.None, Op.Transpose, n - j1, width, j0, -1.0, a[(j1 * n)..], n, a[(j0 * n)..], n, 1.0, a[(j1 * n + j0)..], n);
            }
            if (!FactorColumns(a, n, j0, j1)) return false;
        }
        return true;
    }

    /// <summary>
    /// Columns [j0, j1) of L from A with the sums over columns left of j0 already subtracted: the unblocked left-looking
    /// algorithm with its sums over k from j0. At j0 = 0 and j1 = n this is the whole unblocked factorization.
    /// </summary>
    private static bool FactorColumns(Span<double> a, int n, int j0, int j1)
    {
        for (int j = j0; j < j1; j++)
        {
            ReadOnlySpan<double> rowJ = a.Slice(j * n + j0, j - j0);
            double pivot = a[j * n + j];
            for (int k = 0; k < rowJ.Length; k++) pivot -= rowJ[k] * rowJ[k];
            if (!(pivot > 0)) return false;
            double diagonal = Math.Sqrt(pivot);
            a[j * n + j] = diagonal;
            for (int i = j + 1; i < n; i++)
            {
                ReadOnlySpan<double> rowI = a.Slice(i * n + j0, j - j0);
                double sum = a[i * n + j];
                for (int k = 0; k < rowI.Length; k++) sum -= rowI[k] * rowJ[k];
                a[i * n + j] = sum / diagonal;
            }
        }
        return true;
    }

    /// <summary>Solves <c>L L^T x = b</c> in place in <paramref name="b"/>, with L from <see cref="Factor"/>.</summary>
    /// <remarks>The second solve reads L by columns, a cache line per element once L outgrows the caches; a factor solved
    /// with many times can be mirrored once (<see cref="MirrorIntoUpper"/>) and solved by rows (<see cref="SolveMirrored"/>).</remarks>
    public static void Solve(ReadOnlySpan<double> factor, int n, Span<double> b)
    {
        if (factor.Length != n * n || b.Length != n) throw new ArgumentException("Factor must be n x n and b of length n.");
        SolveLower(factor, n, b);
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int k = i + 1; k < n; k++) sum -= factor[k * n + i] * b[k];
            b[i] = sum / factor[i * n + i];
        }
    }

    /// <summary>
    /// Copies L^T into the strict upper triangle of a factor from <see cref="Factor"/> (overwriting what the upper triangle
    /// held), so that <see cref="SolveMirrored"/> reads both triangles by rows. Tiles of 64 x 64 keep the column reads in cache.
    /// </summary>
    public static void MirrorIntoUpper(Span<double> factor, int n)
    {
        if (factor.Length != n * n) throw new ArgumentException($"Expected {n * n} values, got {factor.Length}.", nameof(factor));
        const int tile = 64;
        for (int i0 = 0; i0 < n; i0 += tile)
            for (int j0 = i0; j0 < n; j0 += tile)
                for (int i = i0; i < Math.Min(i0 + tile, n); i++)
                    for (int j = Math.Max(j0, i + 1); j < Math.Min(j0 + tile, n); j++)
                        factor[i * n + j] = factor[j * n + i];
    }

    /// <summary>
    /// <see cref="Solve"/> for a factor mirrored by <see cref="MirrorIntoUpper"/>: the same operations in the same order,
    /// so the same bits, with L^T read by rows from the upper triangle (min-norm's Lanczos on (A A^T)^-1, n = 4,000:
    /// the solve that read L by columns took most of each step).
    /// </summary>
    public static void SolveMirrored(ReadOnlySpan<double> factor, int n, Span<double> b)
    {
        if (factor.Length != n * n || b.Length != n) throw new ArgumentException("Factor must be n x n and b of length n.");
        SolveLower(factor, n, b);
        for (int i = n - 1; i >= 0; i--)
        {
            ReadOnlySpan<double> row = factor.Slice(i * n, n);
            double sum = b[i];
            for (int k = i + 1; k < n; k++) sum -= row[k] * b[k];
            b[i] = sum / row[i];
        }
    }

    /// <summary>L y = b in place, by rows of the lower triangle.</summary>
    private static void SolveLower(ReadOnlySpan<double> factor, int n, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= factor[i * n + k] * b[k];
            b[i] = sum / factor[i * n + i];
        }
    }
}
