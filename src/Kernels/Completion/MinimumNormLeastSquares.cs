using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The minimum-norm least-squares solution <c>x = A^+ b</c> of a small dense system through the eigendecomposition
/// of the normal matrix <c>A^T A</c>, dropping eigenvalues below a relative threshold.
/// </summary>
/// <remarks>
/// Squaring the condition number is acceptable where this is used: the systems are well conditioned once their
/// exact null space is dropped, and they compute small corrections to points that are already accurate, so a
/// relative error of the correction far above machine precision still leaves the corrected point accurate.
/// </remarks>
internal static class MinimumNormLeastSquares
{
    /// <summary>Eigenvalues of <c>A^T A</c> at most this times the largest are treated as zero.</summary>
    public const double RelativeCutoff = 1e-20;

    /// <summary>Solves for the rows x cols row-major <paramref name="a"/>; returns x (length cols).</summary>
    public static double[] Solve(double[] a, int rows, int cols, ReadOnlySpan<double> b)
    {
        var normal = new double[cols * cols];
        if (rows > 0 && cols > 0)
            Gemm.Gemm.Multiply(Gemm.Op.Transpose, Gemm.Op.None, cols, cols, rows, 1.0, a, cols, a, cols, 0.0, normal, cols);
        var atb = new double[cols];
        for (int i = 0; i < rows; i++)
        {
            double bi = b[i];
            if (bi == 0) continue;
            for (int j = 0; j < cols; j++) atb[j] += a[i * cols + j] * bi;
        }
        var x = new double[cols];
        if (cols == 0) return x;
        SquareMatrix.Symmetrize(normal, cols);
        (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(normal, cols);
        double cutoff = RelativeCutoff * Math.Max(eigenvalues[cols - 1], 0);
        for (int t = 0; t < cols; t++)
        {
            if (!(eigenvalues[t] > cutoff)) continue;
            double coefficient = 0;
            for (int j = 0; j < cols; j++) coefficient += vectors[j * cols + t] * atb[j];
            coefficient /= eigenvalues[t];
            for (int j = 0; j < cols; j++) x[j] += coefficient * vectors[j * cols + t];
        }
        return x;
    }
}
