using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// A sharper dual point for <c>min trace(X) s.t. X_Omega = Y_Omega, X PSD</c> from an approximate primal solution Z:
/// the multiplier Lambda (supported on Omega) that best satisfies complementarity <c>(I - Lambda) Z = 0</c>.
/// </summary>
/// <remarks>
/// ADMM's own multiplier <c>P_Omega(I + rho U)</c> carries rho times the primal residual, which keeps the duality gap
/// far above the primal accuracy when rho grows. Here Lambda minimizes
/// <c>||Z - Lambda Z||_F^2 + mu ||lambda - lambda0||^2</c> over one value per unordered pair of Omega, a linear least
/// squares problem whose normal matrix is built from the Gram matrix <c>G = Z Z^T</c>: column p = {a, b} puts row b
/// of Z into row a and row a into row b, so <c>&lt;A_p, A_q&gt;</c> sums <c>G[s, s']</c> over the rows the two share.
/// The small ridge toward the ADMM multiplier lambda0 fixes the directions complementarity does not determine.
/// The caller still measures the result's feasibility and gap; this only proposes a candidate.
/// </remarks>
internal sealed class DualRefinement
{
    /// <summary>Above this many observed pairs the dense normal matrix (8 m^2 bytes, m^3/3 flops) is not worth it.</summary>
    public const int MaxPairs = 1500;

    private readonly int _n;
    private readonly int[] _rowA;
    private readonly int[] _rowB;
    private readonly double[] _normal;
    private readonly double[] _rhs;
    private readonly double[] _gram;

    /// <summary>The refinement for this pattern, or null when it has more than <see cref="MaxPairs"/> pairs.</summary>
    public static DualRefinement? For(ReadOnlySpan<bool> observed, int n)
    {
        int pairs = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                if (observed[i * n + j]) pairs++;
        return pairs <= MaxPairs ? new DualRefinement(observed, n) : null;
    }

    private DualRefinement(ReadOnlySpan<bool> observed, int n)
    {
        _n = n;
        var a = new List<int>();
        var b = new List<int>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                if (observed[i * n + j]) { a.Add(i); b.Add(j); }
        _rowA = [.. a];
        _rowB = [.. b];
        int m = _rowA.Length;
        _normal = new double[m * m];
        _rhs = new double[m];
        _gram = new double[n * n];
    }

    /// <summary>Writes the refined Lambda (n x n, symmetric, zero off Omega) to <paramref name="lambda"/>; false if the solve failed.</summary>
    public bool Refine(ReadOnlySpan<double> z, ReadOnlySpan<double> lambda0, Span<double> lambda)
    {
        int n = _n, m = _rowA.Length;
        if (m == 0)
        {
            lambda.Clear();
            return true;
        }
        Gemm.Gemm.Multiply(Gemm.Op.None, Gemm.Op.Transpose, n, n, n, 1.0, z, n, z, n, 0.0, _gram, n);
        double largest = 0;
        for (int p = 0; p < m; p++)
        {
            int a = _rowA[p], b = _rowB[p];
            _rhs[p] = a == b ? _gram[a * n + a] : 2 * _gram[a * n + b];
            for (int q = 0; q <= p; q++)
            {
                double value = Shared(a, b, _rowA[q], _rowB[q]);
                _normal[p * m + q] = value;
                _normal[q * m + p] = value;
            }
            largest = Math.Max(largest, _normal[p * m + p]);
        }
        double mu = Math.Max(1e-12 * largest, 1e-300);
        for (int p = 0; p < m; p++)
        {
            _normal[p * m + p] += mu;
            _rhs[p] += mu * lambda0[_rowA[p] * n + _rowB[p]];
        }
        if (!Cholesky.Factor(_normal, m)) return false;
        Cholesky.Solve(_normal, m, _rhs);
        lambda.Clear();
        for (int p = 0; p < m; p++)
        {
            lambda[_rowA[p] * n + _rowB[p]] = _rhs[p];
            lambda[_rowB[p] * n + _rowA[p]] = _rhs[p];
        }
        return true;
    }

    // <A_p, A_q> for p = {a, b}, q = {c, d}: A_p puts row b of Z into row a and row a into row b (once when a == b).
    private double Shared(int a, int b, int c, int d)
    {
        int n = _n;
        double sum = 0;
        if (a == c) sum += _gram[b * n + d];
        if (c != d && a == d) sum += _gram[b * n + c];
        if (a != b)
        {
            if (b == c) sum += _gram[a * n + d];
            if (c != d && b == d) sum += _gram[a * n + c];
        }
        return sum;
    }
}
