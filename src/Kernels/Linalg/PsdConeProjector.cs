using Engine.Kernels.Gemm;

namespace Engine.Kernels.Linalg;

/// <summary>
/// Euclidean (Frobenius) projection onto the cone of positive semidefinite matrices: effectively computes
/// <c>P(V) = Q diag(max(w, 0)) Q^T</c> for a symmetric <c>V = Q diag(w) Q^T</c>, the PSD matrix nearest to V.
/// </summary>
/// <remarks>
/// The result is formed as <c>B B^T</c> with <c>B = Q_+ diag(sqrt(w_+))</c> (one GEMM of inner size equal to the
/// number of positive eigenvalues), so it is PSD by construction rather than up to cancellation. An instance owns
/// its scratch for one size and allocates nothing per call; it is not thread-safe.
/// </remarks>
public sealed class PsdConeProjector
{
    private readonly SymmetricEigenSolver _solver;
    private readonly double[] _w;
    private readonly double[] _q;
    private readonly double[] _b;

    public PsdConeProjector(int n)
    {
        N = n;
        _solver = new SymmetricEigenSolver(n);
        _w = new double[n];
        _q = new double[n * n];
        _b = new double[n * n];
    }

    public int N { get; }

    /// <summary>The eigenvalues of the last matrix projected or measured, ascending.</summary>
    public ReadOnlySpan<double> LastEigenvalues => _w;

    /// <summary>
    /// Writes the projection of the symmetric matrix <paramref name="v"/> (lower triangle read) to
    /// <paramref name="result"/> (exactly symmetric) and returns the number of positive eigenvalues, its rank.
    /// </summary>
    public int Project(ReadOnlySpan<double> v, Span<double> result)
    {
        int n = N;
        if (result.Length != n * n) throw new ArgumentException($"Expected {n * n} values, got {result.Length}.", nameof(result));
        _solver.Decompose(v, _w, _q);
        int positive = 0;
        while (positive < n && _w[n - 1 - positive] > 0) positive++;
        if (positive == 0)
        {
            result.Clear();
            return 0;
        }
        int first = n - positive;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < positive; j++)
                _b[i * positive + j] = _q[i * n + first + j] * Math.Sqrt(_w[first + j]);
        Gemm.Gemm.Multiply(Op.None, Op.Transpose, n, n, positive, 1.0, _b, positive, _b, positive, 0.0, result, n);
        // A blocked GEMM may sum (i, j) and (j, i) in different orders; averaging makes the result exactly symmetric.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double mean = 0.5 * (result[i * n + j] + result[j * n + i]);
                result[i * n + j] = mean;
                result[j * n + i] = mean;
            }
        return positive;
    }

    /// <summary>The smallest eigenvalue of the symmetric matrix <paramref name="v"/> (lower triangle read).</summary>
    public double MinimumEigenvalue(ReadOnlySpan<double> v)
    {
        _solver.Decompose(v, _w, []);
        return N == 0 ? 0 : _w[0];
    }
}
