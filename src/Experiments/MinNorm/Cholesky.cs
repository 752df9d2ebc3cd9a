namespace Engine.Experiments.MinNorm;

/// <summary>
/// The Cholesky factorization <c>M = L L^T</c> of a symmetric positive definite matrix (row-major, size k),
/// in double precision, and solves with it. Used for <c>(A A^T)^{-1}</c>, which is small (n x n).
/// </summary>
public sealed class Cholesky
{
    private readonly double[] _l;

    public Cholesky(ReadOnlySpan<double> m, int size)
    {
        if (m.Length != size * size) throw new ArgumentException($"Cholesky: expected a {size} x {size} matrix.");
        Size = size;
        _l = new double[size * size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = m[i * size + j];
                for (int t = 0; t < j; t++) s -= _l[i * size + t] * _l[j * size + t];
                if (i == j)
                {
                    if (!(s > 0)) throw new ArgumentException($"Cholesky: the matrix is not positive definite (pivot {i} is {s}).");
                    _l[i * size + i] = Math.Sqrt(s);
                }
                else _l[i * size + j] = s / _l[j * size + j];
            }
        }
    }

    public int Size { get; }

    /// <summary>Solves <c>M x = b</c> into <paramref name="x"/> (which may alias b).</summary>
    public void Solve(ReadOnlySpan<double> b, Span<double> x)
    {
        int k = Size;
        b.CopyTo(x);
        for (int i = 0; i < k; i++)
        {
            double s = x[i];
            for (int t = 0; t < i; t++) s -= _l[i * k + t] * x[t];
            x[i] = s / _l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int t = i + 1; t < k; t++) s -= _l[t * k + i] * x[t];
            x[i] = s / _l[i * k + i];
        }
    }
}
