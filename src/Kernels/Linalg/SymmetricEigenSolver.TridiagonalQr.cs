namespace Engine.Kernels.Linalg;

public sealed partial class SymmetricEigenSolver
{
    /// <summary>Sweeps allowed per eigenvalue before the iteration is declared stuck (two or three is typical).</summary>
    private const int MaxSweepsPerEigenvalue = 30;

    /// <summary>Half the distance from 1 to the next double: the relative rounding error of one operation.</summary>
    private const double UnitRoundoff = 1.0 / (1L << 53);

    /// <summary>
    /// Diagonalizes the tridiagonal matrix in <c>_diagonal</c> / <c>_offDiagonal</c> by implicitly shifted QR
    /// sweeps, rotating the rows of <c>_qt</c> along so that they end up as the eigenvectors of the original matrix.
    /// </summary>
    /// <remarks>
    /// Each sweep works on the lowest unreduced block [lo, hi]. The shift is Wilkinson's: the eigenvalue of the
    /// trailing 2 x 2 block closer to its last diagonal entry, which makes the last coupling vanish cubically
    /// in practice. The sweep chases the bulge created by the first rotation down the block (the implicit Q
    /// theorem makes this equal to an explicit shifted QR step). A coupling is set to zero once it is below
    /// machine epsilon relative to its two diagonal neighbours, or below epsilon times the matrix's scale,
    /// either of which changes the eigenvalues by at most a few ulps of ||S||.
    /// </remarks>
    private void DiagonalizeTridiagonal()
    {
        int n = N;
        Span<double> d = _diagonal, e = _offDiagonal;
        // Dropping a coupling changes the eigenvalues by at most its size, so epsilon times the matrix's scale is
        // a backward-stable absolute floor; it stops sweeps from chasing couplings next to (near-)zero eigenvalues.
        double scale = 0;
        for (int k = 0; k < n; k++) scale = Math.Max(scale, Math.Abs(d[k]) + Math.Abs(e[k]));
        double tiny = UnitRoundoff * scale;

        int budget = MaxSweepsPerEigenvalue * Math.Max(n, 1);
        int hi = n - 1;
        while (hi > 0)
        {
            if (Negligible(e[hi - 1], d[hi - 1], d[hi], tiny))
            {
                e[hi - 1] = 0;
                hi--;
                continue;
            }
            int lo = hi - 1;
            while (lo > 0 && !Negligible(e[lo - 1], d[lo - 1], d[lo], tiny)) lo--;
            if (lo > 0) e[lo - 1] = 0;

            if (--budget < 0) throw new ArithmeticException("The symmetric QR iteration did not converge.");
            Sweep(lo, hi);
        }
    }

    private static bool Negligible(double coupling, double left, double right, double tiny) =>
        Math.Abs(coupling) <= double.Epsilon + Math.Max(UnitRoundoff * (Math.Abs(left) + Math.Abs(right)), tiny);

    /// <summary>One implicit QR sweep with a Wilkinson shift on the unreduced block [lo, hi].</summary>
    private void Sweep(int lo, int hi)
    {
        int n = N;
        Span<double> d = _diagonal, e = _offDiagonal;

        double half = 0.5 * (d[hi - 1] - d[hi]);
        double b = e[hi - 1];
        double root = Hypot(half, b);
        double shift = d[hi] - b * (b / (half + (half >= 0 ? root : -root)));

        double x = d[lo] - shift; // first column of T - shift I determines the first rotation
        double z = e[lo];
        for (int k = lo; k < hi; k++)
        {
            // Rotation on coordinates (k, k+1) with row_k' = c row_k - s row_{k+1}, row_{k+1}' = s row_k + c row_{k+1},
            // chosen so that it zeroes z: for k > lo, z is the bulge at (k-1, k+1) and x the coupling e[k-1].
            double r = Hypot(x, z);
            double c = 1, s = 0;
            if (r > 0)
            {
                c = x / r;
                s = -z / r;
            }
            if (k > lo) e[k - 1] = r;

            double dk = d[k], dk1 = d[k + 1], ek = e[k];
            double cc = c * c, ss = s * s, cs = c * s;
            d[k] = cc * dk - 2 * cs * ek + ss * dk1;
            d[k + 1] = ss * dk + 2 * cs * ek + cc * dk1;
            e[k] = cs * (dk - dk1) + (cc - ss) * ek;
            if (k + 1 < hi)
            {
                double next = e[k + 1];
                z = -s * next;       // the new bulge at (k, k+2)
                e[k + 1] = c * next;
                x = e[k];
            }

            if (!_vectors) continue;
            Span<double> rowK = _qt.AsSpan(k * n, n), rowK1 = _qt.AsSpan((k + 1) * n, n);
            for (int j = 0; j < n; j++)
            {
                double a = rowK[j], bb = rowK1[j];
                rowK[j] = c * a - s * bb;
                rowK1[j] = s * a + c * bb;
            }
        }
    }
}
