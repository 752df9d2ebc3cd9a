namespace Engine.Kernels.Linalg;

public sealed partial class SymmetricEigenSolver
{
    /// <summary>
    /// Householder reduction of the working matrix A to tridiagonal form T = H A H (H = H_{n-3} ... H_0), leaving
    /// the diagonal and sub-diagonal of T in <c>_diagonal</c> and <c>_offDiagonal</c> (<c>_offDiagonal[k]</c> couples
    /// k and k + 1) and H itself in <c>_qt</c>, so that A = H^T T H.
    /// </summary>
    /// <remarks>
    /// Step k reflects column k below the diagonal onto a multiple of e_{k+1}: with x = A[k+1.., k],
    /// v = x + sign(x_0) ||x|| e_1 and beta = 2 / (v^T v), the two-sided update of the trailing block is the
    /// symmetric rank-2 update <c>A22 -= v w^T + w v^T</c> with <c>p = beta A22 v</c> and
    /// <c>w = p - (beta/2)(p^T v) v</c>. Choosing the sign of x_0 avoids cancellation in v_0.
    /// </remarks>
    private void Tridiagonalize()
    {
        int n = N;
        Span<double> a = _a, qt = _qt, v = _v, p = _p;
        qt.Clear();
        for (int i = 0; i < n; i++) qt[i * n + i] = 1;

        for (int k = 0; k + 2 < n; k++)
        {
            int m = n - k - 1; // length of the reflected part: rows k+1 .. n-1
            int first = k + 1;
            double scale = 0;
            for (int i = 0; i < m; i++) scale = Math.Max(scale, Math.Abs(a[(first + i) * n + k]));
            if (scale == 0)
            {
                _offDiagonal[k] = 0;
                continue; // the column is already reduced; H_k = I
            }

            // Work on x / scale so the squared norm neither overflows nor underflows.
            double norm2 = 0;
            for (int i = 0; i < m; i++)
            {
                double x = a[(first + i) * n + k] / scale;
                v[i] = x;
                norm2 += x * x;
            }
            double alpha = Math.Sqrt(norm2);
            if (v[0] < 0) alpha = -alpha;
            v[0] += alpha;
            double beta = 1 / (alpha * v[0]); // = 2 / (v^T v), since v^T v = 2 alpha (alpha + x_0)
            _offDiagonal[k] = -alpha * scale;

            // p = beta * A22 v, then w = p - (beta/2)(p^T v) v stored in p.
            double pv = 0;
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<double> row = a.Slice((first + i) * n + first, m);
                double sum = 0;
                for (int j = 0; j < m; j++) sum += row[j] * v[j];
                p[i] = beta * sum;
                pv += p[i] * v[i];
            }
            double half = 0.5 * beta * pv;
            for (int i = 0; i < m; i++) p[i] -= half * v[i];

            for (int i = 0; i < m; i++)
            {
                Span<double> row = a.Slice((first + i) * n + first, m);
                double vi = v[i], wi = p[i];
                for (int j = 0; j < m; j++) row[j] -= vi * p[j] + wi * v[j];
            }

            // Accumulate H_k into the transposed factor: qt <- H_k qt touches rows k+1 .. n-1.
            if (!_vectors) continue;
            Span<double> u = _diagonal; // free until the diagonal is read below
            u.Clear();
            for (int i = 0; i < m; i++)
            {
                double vi = v[i];
                if (vi == 0) continue;
                ReadOnlySpan<double> row = qt.Slice((first + i) * n, n);
                for (int j = 0; j < n; j++) u[j] += vi * row[j];
            }
            for (int i = 0; i < m; i++)
            {
                double f = beta * v[i];
                if (f == 0) continue;
                Span<double> row = qt.Slice((first + i) * n, n);
                for (int j = 0; j < n; j++) row[j] -= f * u[j];
            }
        }

        for (int k = 0; k < n; k++) _diagonal[k] = a[k * n + k];
        if (n >= 2) _offDiagonal[n - 2] = a[(n - 1) * n + (n - 2)];
        _offDiagonal[n - 1] = 0;
    }
}
