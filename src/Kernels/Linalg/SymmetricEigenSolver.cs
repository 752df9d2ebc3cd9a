namespace Engine.Kernels.Linalg;

/// <summary>
/// Eigendecomposition of a dense symmetric matrix in double precision: effectively computes
/// <c>S = Q diag(w) Q^T</c> with the eigenvalues <c>w</c> in ascending order and orthonormal eigenvectors in the
/// columns of <c>Q</c>.
/// </summary>
/// <remarks>
/// <para>Two stages: Householder reflections reduce S to a tridiagonal T (<see cref="Tridiagonalize"/>), then
/// implicitly shifted QR steps with Wilkinson shifts diagonalize T (<see cref="DiagonalizeTridiagonal"/>). Both
/// stages are backward stable, so the reconstruction error is a small multiple of machine epsilon times
/// <c>||S||</c> whatever the spectrum (repeated, zero or clustered eigenvalues included).</para>
/// <para>An instance owns all its scratch for one size, so repeated calls (a projection onto the PSD cone in
/// every iteration of a solver) allocate nothing. An instance is not thread-safe; use one per thread.</para>
/// <para>Internally the accumulated orthogonal factor is kept transposed (eigenvectors as rows), so that both
/// the Householder updates and the Givens rotations of the QR sweeps touch contiguous rows.</para>
/// </remarks>
public sealed partial class SymmetricEigenSolver
{
    private readonly double[] _a;        // working copy of S, overwritten by the reduction
    private readonly double[] _qt;       // transposed orthogonal factor: row j is eigenvector j
    private readonly double[] _diagonal; // diagonal of the tridiagonal matrix, then the eigenvalues
    private readonly double[] _offDiagonal;
    private readonly double[] _v;        // Householder vector
    private readonly double[] _p;        // scratch of length n
    private bool _vectors;               // whether this call accumulates the orthogonal factor

    public SymmetricEigenSolver(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        N = n;
        _a = new double[n * n];
        _qt = new double[n * n];
        _diagonal = new double[n];
        _offDiagonal = new double[n];
        _v = new double[n];
        _p = new double[n];
    }

    /// <summary>The order of the matrices this instance decomposes.</summary>
    public int N { get; }

    /// <summary>
    /// Decomposes the symmetric row-major n x n matrix <paramref name="s"/> (only its lower triangle is read):
    /// writes the eigenvalues in ascending order to <paramref name="eigenvalues"/> and, when
    /// <paramref name="eigenvectors"/> is not empty, the matching orthonormal eigenvectors as its columns
    /// (row-major n x n, element (i, j) is component i of eigenvector j).
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ArithmeticException">The input holds NaN or infinity, or the QR iteration did not converge.</exception>
    public void Decompose(ReadOnlySpan<double> s, Span<double> eigenvalues, Span<double> eigenvectors)
    {
        int n = N;
        if (s.Length != n * n) throw new ArgumentException($"Expected an {n} x {n} matrix ({n * n} values), got {s.Length}.", nameof(s));
        if (eigenvalues.Length != n) throw new ArgumentException($"Expected {n} eigenvalues, got a span of {eigenvalues.Length}.", nameof(eigenvalues));
        if (!eigenvectors.IsEmpty && eigenvectors.Length != n * n)
            throw new ArgumentException($"Expected an {n} x {n} eigenvector matrix or an empty span, got {eigenvectors.Length} values.", nameof(eigenvectors));
        if (n == 0) return;

        // Mirror the lower triangle so the reduction can work on a full symmetric matrix.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double v = s[i * n + j];
                if (!double.IsFinite(v)) throw new ArithmeticException("The matrix holds NaN or infinity.");
                _a[i * n + j] = v;
                _a[j * n + i] = v;
            }
        }

        // Eigenvalues alone skip every update of the orthogonal factor, about two thirds of the work.
        _vectors = !eigenvectors.IsEmpty;
        Tridiagonalize();
        DiagonalizeTridiagonal();
        SortAscending();

        _diagonal.AsSpan().CopyTo(eigenvalues);
        if (eigenvectors.IsEmpty) return;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                eigenvectors[i * n + j] = _qt[j * n + i];
    }

    /// <summary>A convenience that allocates its own solver and outputs; see <see cref="Decompose"/>.</summary>
    public static (double[] Eigenvalues, double[] Eigenvectors) Of(ReadOnlySpan<double> s, int n)
    {
        var w = new double[n];
        var q = new double[n * n];
        new SymmetricEigenSolver(n).Decompose(s, w, q);
        return (w, q);
    }

    // Selection sort of the eigenvalues, swapping the eigenvector rows along: O(n^2) moves, negligible next to
    // the O(n^3) stages, and stable for equal eigenvalues.
    private void SortAscending()
    {
        int n = N;
        for (int i = 0; i < n - 1; i++)
        {
            int smallest = i;
            for (int j = i + 1; j < n; j++)
                if (_diagonal[j] < _diagonal[smallest]) smallest = j;
            if (smallest == i) continue;
            (_diagonal[i], _diagonal[smallest]) = (_diagonal[smallest], _diagonal[i]);
            if (!_vectors) continue;
            Span<double> rowI = _qt.AsSpan(i * n, n), rowS = _qt.AsSpan(smallest * n, n);
            for (int k = 0; k < n; k++) (rowI[k], rowS[k]) = (rowS[k], rowI[k]);
        }
    }

    /// <summary><c>sqrt(a^2 + b^2)</c> without overflow or underflow in the squares.</summary>
    internal static double Hypot(double a, double b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        double big = Math.Max(a, b), small = Math.Min(a, b);
        if (big == 0) return 0;
        double r = small / big;
        return big * Math.Sqrt(1 + r * r);
    }
}
