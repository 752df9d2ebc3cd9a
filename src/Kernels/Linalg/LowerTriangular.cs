namespace Engine.Kernels.Linalg;

/// <summary>
/// Solves with a lower triangular factor L (row-major, only the lower triangle read, as <see cref="Cholesky.Factor"/>
/// leaves it) for several right-hand sides at once, and inverts a symmetric positive definite matrix through it.
/// </summary>
public static class LowerTriangular
{
    /// <summary>
    /// Overwrites the n x <paramref name="columns"/> row-major matrix <paramref name="b"/> with <c>L^-1 b</c>.
    /// </summary>
    public static void Solve(ReadOnlySpan<double> factor, int n, Span<double> b, int columns)
    {
        if (factor.Length != n * n || b.Length != n * columns) throw new ArgumentException("L must be n x n and B n x columns.");
        for (int i = 0; i < n; i++)
        {
            Span<double> rowI = b.Slice(i * columns, columns);
            for (int k = 0; k < i; k++)
            {
                double l = factor[i * n + k];
                if (l == 0) continue;
                ReadOnlySpan<double> rowK = b.Slice(k * columns, columns);
                for (int j = 0; j < columns; j++) rowI[j] -= l * rowK[j];
            }
            double inverse = 1 / factor[i * n + i];
            for (int j = 0; j < columns; j++) rowI[j] *= inverse;
        }
    }

    /// <summary>
    /// Overwrites the n x <paramref name="columns"/> row-major matrix <paramref name="b"/> with <c>L^-T b</c>.
    /// </summary>
    public static void SolveTranspose(ReadOnlySpan<double> factor, int n, Span<double> b, int columns)
    {
        if (factor.Length != n * n || b.Length != n * columns) throw new ArgumentException("L must be n x n and B n x columns.");
        for (int i = n - 1; i >= 0; i--)
        {
            Span<double> rowI = b.Slice(i * columns, columns);
            for (int k = i + 1; k < n; k++)
            {
                double l = factor[k * n + i];
                if (l == 0) continue;
                ReadOnlySpan<double> rowK = b.Slice(k * columns, columns);
                for (int j = 0; j < columns; j++) rowI[j] -= l * rowK[j];
            }
            double inverse = 1 / factor[i * n + i];
            for (int j = 0; j < columns; j++) rowI[j] *= inverse;
        }
    }

    /// <summary>
    /// Writes <c>A^-1 = L^-T L^-1</c> (exactly symmetric) to <paramref name="inverse"/> from the Cholesky factor L of A.
    /// </summary>
    public static void InverseFromCholesky(ReadOnlySpan<double> factor, int n, Span<double> inverse)
    {
        if (inverse.Length != n * n) throw new ArgumentException($"Expected {n * n} values, got {inverse.Length}.", nameof(inverse));
        inverse.Clear();
        for (int i = 0; i < n; i++) inverse[i * n + i] = 1;
        Solve(factor, n, inverse, n);
        SolveTranspose(factor, n, inverse, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double mean = 0.5 * (inverse[i * n + j] + inverse[j * n + i]);
                inverse[i * n + j] = mean;
                inverse[j * n + i] = mean;
            }
    }
}
