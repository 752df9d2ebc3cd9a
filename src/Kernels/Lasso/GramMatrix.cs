using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The Gram matrix <c>X^T X</c> of a problem's prepared X, p x p row-major, for the covariance-update solver.
/// </summary>
/// <remarks>
/// Two ways, by size only, so that the matrix is the same bits at every width: small matrices four dot products at
/// a time (below a few million multiply-adds the start-up of anything blocked, in a fresh process mostly compiling
/// it, costs more than the product), larger ones tiles of the lower triangle (<see cref="ByTiles"/>). The general
/// GEMM on panels of rows (<see cref="ByPanels"/>), whose sums follow its own blocking, is kept as a variant the
/// tests compare with. X is stored column-major, so <c>X^T</c> is row-major with the problem's stride and <c>X^T X</c> is the
/// GEMM <c>A A^T</c>; only the panels' parts on and left of the diagonal are multiplied (about half the work for
/// panels much narrower than p) and the rest is mirrored.
/// </remarks>
internal static partial class GramMatrix
{
    // Rows per GEMM call: wide enough for the packed kernel to run near its peak, narrow enough that the strip
    // computed beyond the diagonal (half a panel per panel) stays a small part of the work. Measured on a
    // 10000 x 1000 X (one core): 256 rows 0.28-0.30 s, 128 rows 0.29-0.31 s, 512 rows 0.32-0.33 s, the full
    // product 0.44-0.45 s; splitting recursively into halves did no better.
    private const int Panel = 256;

    // Below this many multiply-adds (p^2 n / 2) the dot products win.
    private const long DotLimit = 16L << 20;

    /// <summary>The Gram matrix of the prepared X, with up to <paramref name="threads"/> threads for the large ones.</summary>
    public static double[] Compute(LassoProblem problem, int threads)
    {
        int p = problem.Features, n = problem.Samples;
        if ((long)p * p > Array.MaxLength) throw new ArgumentException($"Lasso: a Gram matrix of {p} features does not fit in one array.");
        var gram = new double[(long)p * p];
        if ((long)p * p * n / 2 < DotLimit) return ByDots(problem, gram);
        return ByTiles(problem, gram, threads);
    }

    /// <summary>The Gram matrix by GEMM on panels of rows (any width).</summary>
    internal static double[] ByPanels(LassoProblem problem, double[] gram, int threads)
    {
        int p = problem.Features, n = problem.Samples, stride = problem.Stride;
        ReadOnlySpan<double> columns = problem.Columns;
        for (int top = 0; top < p; top += Panel)
        {
            int rows = Math.Min(Panel, p - top);
            int width = top + rows;
            GemmPacked.Run(Op.None, Op.Transpose, rows, width, n, 1.0,
                columns[(top * stride)..], stride, columns, stride, 0.0, gram.AsSpan(top * p), p, threads);
        }
        Mirror(gram, p);
        return gram;
    }

    /// <summary>The Gram matrix by dot products of column pairs, four at a time.</summary>
    internal static double[] ByDots(LassoProblem problem, double[] gram)
    {
        int p = problem.Features, n = problem.Samples;
        Span<double> four = stackalloc double[4];
        for (int i = 0; i < p; i++)
        {
            ref double row = ref Column(problem, i);
            int j = 0;
            for (; j + 4 <= i + 1; j += 4)
            {
                ColumnKernels.Dot4(ref Column(problem, j), ref Column(problem, j + 1), ref Column(problem, j + 2), ref Column(problem, j + 3), ref row, n, four);
                four.CopyTo(gram.AsSpan(i * p + j, 4));
            }
            for (; j <= i; j++) gram[i * p + j] = ColumnKernels.Dot(ref Column(problem, j), ref row, n);
        }
        Mirror(gram, p);
        return gram;
    }

    private static ref double Column(LassoProblem problem, int j) =>
        ref System.Runtime.CompilerServices.Unsafe.AsRef(in problem.Columns[j * problem.Stride]);

    // Copies the lower triangle to the upper.
    private static void Mirror(double[] gram, int p)
    {
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
                gram[(long)i * p + j] = gram[(long)j * p + i];
    }
}
