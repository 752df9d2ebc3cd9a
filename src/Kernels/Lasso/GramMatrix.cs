using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The Gram matrix <c>X^T X</c> of a problem's prepared X, p x p row-major, for the covariance-update solver.
/// </summary>
/// <remarks>
/// X is stored column-major, so <c>X^T</c> is row-major with the problem's stride and <c>X^T X</c> is one GEMM
/// <c>A A^T</c>. The matrix is symmetric, so only the block rows' parts on and left of the diagonal are multiplied
/// (about half the work for panels much narrower than p) and the rest is mirrored.
/// </remarks>
internal static class GramMatrix
{
    // Rows per GEMM call: wide enough for the packed kernel to run near its peak, narrow enough that the strip
    // computed beyond the diagonal (half a panel per panel) stays a small part of the work.
    private const int Panel = 128;

    public static double[] Compute(LassoProblem problem)
    {
        int p = problem.Features, n = problem.Samples, stride = problem.Stride;
        var gram = new double[(long)p * p];
        ReadOnlySpan<double> columns = problem.Columns;
        for (int top = 0; top < p; top += Panel)
        {
            int rows = Math.Min(Panel, p - top);
            int width = top + rows;
            Gemm.Gemm.Multiply(Op.None, Op.Transpose, rows, width, n, 1.0,
                columns[(top * stride)..], stride, columns, stride, 0.0, gram.AsSpan(top * p), p);
        }
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
                gram[(long)i * p + j] = gram[(long)j * p + i];
        return gram;
    }
}
