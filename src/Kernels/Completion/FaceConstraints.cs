namespace Engine.Kernels.Completion;

/// <summary>
/// Entry constraints <c>X_ij = v_ij</c> on a face <c>X = B W B^T</c> of the PSD cone (B an n x r orthonormal basis,
/// W r x r), written as the linear constraints <c>&lt;A_k, W&gt; = b_k</c> of an SDP in W.
/// </summary>
/// <remarks>
/// <para>With <c>u_i</c> row i of B, <c>X_ij = u_i^T W u_j</c>. Constraint k on the pair {i, j} uses
/// <c>A_k = c_k (u_i u_j^T + u_j u_i^T)</c> and <c>b_k = 2 c_k v_ij</c> with <c>c_k = 1/sqrt(2)</c> off the
/// diagonal and <c>1/2</c> on it, so that for B = I every A_k has unit Frobenius norm and the constraints are
/// orthonormal; that keeps the Schur complement of the interior-point method well scaled.</para>
/// <para>Everything the SDP needs reduces to n x n quantities: <c>&lt;A_k, W&gt; = 2 c_k (B W B^T)_ij</c>,
/// <c>sum_k y_k A_k = B^T Lambda B</c> with Lambda the n x n matrix that holds <c>c_k y_k</c> at (i, j) and (j, i),
/// and <c>&lt;A_k, Z A_l H&gt;</c> for the Schur complement is a sum of four products of entries of
/// <c>B Z B^T</c> and <c>B H B^T</c>.</para>
/// </remarks>
internal sealed class FaceConstraints
{
    private FaceConstraints(double[] basis, int n, int r, int[] rowI, int[] rowJ, double[] value)
    {
        Basis = basis;
        N = n;
        R = r;
        RowI = rowI;
        RowJ = rowJ;
        Value = value;
        Scale = new double[rowI.Length];
        Rhs = new double[rowI.Length];
        for (int k = 0; k < rowI.Length; k++)
        {
            Scale[k] = rowI[k] == rowJ[k] ? 0.5 : 1 / Math.Sqrt(2);
            Rhs[k] = 2 * Scale[k] * value[k];
        }
    }

    /// <summary>The face basis B, n x r row-major with orthonormal columns.</summary>
    public double[] Basis { get; }
    public int N { get; }
    public int R { get; }
    public int Count => RowI.Length;

    /// <summary>Row index of pair k (the larger one).</summary>
    public int[] RowI { get; }
    /// <summary>Column index of pair k.</summary>
    public int[] RowJ { get; }
    /// <summary>The value the entry is constrained to.</summary>
    public double[] Value { get; }
    /// <summary>c_k: 1/sqrt(2) off the diagonal, 1/2 on it.</summary>
    public double[] Scale { get; }
    /// <summary>b_k = 2 c_k v_ij.</summary>
    public double[] Rhs { get; }

    /// <summary>The length of the symmetric vectorization of an r x r matrix.</summary>
    public int SvecLength => R * (R + 1) / 2;

    public static FaceConstraints Create(double[] basis, int n, int r, IReadOnlyList<(int I, int J, double Value)> pairs)
    {
        var rowI = new int[pairs.Count];
        var rowJ = new int[pairs.Count];
        var value = new double[pairs.Count];
        for (int k = 0; k < pairs.Count; k++)
        {
            (int i, int j, double v) = pairs[k];
            (rowI[k], rowJ[k]) = i >= j ? (i, j) : (j, i);
            value[k] = v;
        }
        return new FaceConstraints(basis, n, r, rowI, rowJ, value);
    }

    /// <summary>The constraints numbered <paramref name="keep"/>, in that order.</summary>
    public FaceConstraints Select(IReadOnlyList<int> keep)
    {
        var rowI = new int[keep.Count];
        var rowJ = new int[keep.Count];
        var value = new double[keep.Count];
        for (int k = 0; k < keep.Count; k++)
        {
            rowI[k] = RowI[keep[k]];
            rowJ[k] = RowJ[keep[k]];
            value[k] = Value[keep[k]];
        }
        return new FaceConstraints(Basis, N, R, rowI, rowJ, value);
    }

    /// <summary>
    /// Writes the symmetric vectorization of <c>c (u_a u_b^T + u_b u_a^T)</c> (off-diagonal entries times sqrt(2),
    /// so Euclidean inner products are Frobenius ones) to <paramref name="svec"/>.
    /// </summary>
    public void Svec(int a, int b, double c, Span<double> svec)
    {
        int r = R;
        ReadOnlySpan<double> ua = Basis.AsSpan(a * r, r), ub = Basis.AsSpan(b * r, r);
        int at = 0;
        for (int p = 0; p < r; p++)
            for (int q = 0; q <= p; q++)
            {
                double entry = c * (ua[p] * ub[q] + ub[p] * ua[q]);
                svec[at++] = p == q ? entry : Math.Sqrt(2) * entry;
            }
    }

    /// <summary>
    /// <c>||A_k||_F</c> from the two rows of the basis, <c>||u v^T + v u^T||_F^2 = 2 |u|^2 |v|^2 + 2 (u . v)^2</c>,
    /// without writing out the svec (length r (r + 1) / 2) that <see cref="SvecColumns"/> holds for every k.
    /// </summary>
    public double Norm(int k)
    {
        int r = R;
        ReadOnlySpan<double> u = Basis.AsSpan(RowI[k] * r, r), v = Basis.AsSpan(RowJ[k] * r, r);
        double uu = SquareMatrix.Dot(u, u), vv = SquareMatrix.Dot(v, v), uv = SquareMatrix.Dot(u, v);
        return Scale[k] * Math.Sqrt(2 * (uu * vv + uv * uv));
    }

    /// <summary>The constraint matrices as columns (svec length x Count, stored by columns).</summary>
    public double[] SvecColumns()
    {
        int d = SvecLength;
        var columns = new double[d * Count];
        for (int k = 0; k < Count; k++) Svec(RowI[k], RowJ[k], Scale[k], columns.AsSpan(k * d, d));
        return columns;
    }

    /// <summary><c>result_k = &lt;A_k, W&gt;</c> for a symmetric r x r W.</summary>
    public void Apply(ReadOnlySpan<double> w, Span<double> result)
    {
        int n = N, r = R;
        var x = new double[n * n];
        SquareMatrix.Congruence(Basis, n, r, w, x);
        ApplyLifted(x, result);
    }

    /// <summary><c>result_k = 2 c_k X_ij</c> for an n x n X already lifted to the full space.</summary>
    public void ApplyLifted(ReadOnlySpan<double> x, Span<double> result)
    {
        int n = N;
        for (int k = 0; k < Count; k++) result[k] = 2 * Scale[k] * x[RowI[k] * n + RowJ[k]];
    }

    /// <summary>Writes the n x n matrix Lambda with <c>sum_k y_k A_k = B^T Lambda B</c>: <c>c_k y_k</c> at (i, j) and (j, i).</summary>
    public void Multiplier(ReadOnlySpan<double> y, Span<double> lambda)
    {
        int n = N;
        lambda.Clear();
        for (int k = 0; k < Count; k++)
        {
            int i = RowI[k], j = RowJ[k];
            double v = Scale[k] * y[k];
            if (i == j) lambda[i * n + i] += 2 * v;
            else
            {
                lambda[i * n + j] += v;
                lambda[j * n + i] += v;
            }
        }
    }

    /// <summary><c>result = sum_k y_k A_k</c> (r x r, exactly symmetric).</summary>
    public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> result)
    {
        int n = N, r = R;
        var lambda = new double[n * n];
        Multiplier(y, lambda);
        SquareMatrix.Compress(Basis, n, r, lambda, result);
    }

    /// <summary>
    /// The Schur complement <c>M_kl = &lt;A_k, Z A_l H&gt;</c> (Count x Count, row-major) from the lifted
    /// <c>X = B Z B^T</c> and <c>G = B H B^T</c>: for k = {i, j} and l = {a, b},
    /// <c>M_kl = c_k c_l (X_ja G_bi + X_jb G_ai + X_ia G_bj + X_ib G_aj)</c>.
    /// </summary>
    public void Schur(ReadOnlySpan<double> x, ReadOnlySpan<double> g, Span<double> m)
    {
        int n = N, count = Count;
        for (int k = 0; k < count; k++)
        {
            int i = RowI[k], j = RowJ[k];
            double ck = Scale[k];
            ReadOnlySpan<double> xi = x.Slice(i * n, n), xj = x.Slice(j * n, n), gi = g.Slice(i * n, n), gj = g.Slice(j * n, n);
            for (int l = 0; l <= k; l++)
            {
                int a = RowI[l], b = RowJ[l];
                double value = ck * Scale[l] * (xj[a] * gi[b] + xj[b] * gi[a] + xi[a] * gj[b] + xi[b] * gj[a]);
                m[k * count + l] = value;
                m[l * count + k] = value;
            }
        }
    }
}
