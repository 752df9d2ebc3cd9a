namespace Engine.Kernels.Linalg;

/// <summary>
/// Cholesky factorization <c>A = L L^T</c> of a symmetric positive definite row-major matrix, in place, and the
/// solve that uses it.
/// </summary>
public static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle of the n x n matrix <paramref name="a"/> with L (the upper triangle is left as
    /// it was). Returns false, leaving <paramref name="a"/> partly overwritten, when a pivot is not positive.
    /// </summary>
    public static bool Factor(Span<double> a, int n)
    {
        if (a.Length != n * n) throw new ArgumentException($"Expected {n * n} values, got {a.Length}.", nameof(a));
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<double> rowJ = a.Slice(j * n, j);
            double pivot = a[j * n + j];
            for (int k = 0; k < j; k++) pivot -= rowJ[k] * rowJ[k];
            if (!(pivot > 0)) return false;
            double diagonal = Math.Sqrt(pivot);
            a[j * n + j] = diagonal;
            for (int i = j + 1; i < n; i++)
            {
                ReadOnlySpan<double> rowI = a.Slice(i * n, j);
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) sum -= rowI[k] * rowJ[k];
                a[i * n + j] = sum / diagonal;
            }
        }
        return true;
    }

    /// <summary>Solves <c>L L^T x = b</c> in place in <paramref name="b"/>, with L from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> factor, int n, Span<double> b)
    {
        if (factor.Length != n * n || b.Length != n) throw new ArgumentException("Factor must be n x n and b of length n.");
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= factor[i * n + k] * b[k];
            b[i] = sum / factor[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int k = i + 1; k < n; k++) sum -= factor[k * n + i] * b[k];
            b[i] = sum / factor[i * n + i];
        }
    }
}
