using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// Identifies the range of the optimal Z from an interior-point solution and polishes the solution on it.
/// </summary>
/// <remarks>
/// <para>Partition: near the central path <c>Z S = mu I</c>, so Z and S nearly share eigenvectors and a pair of
/// eigenvalues (z, s) has z s = mu. An eigenvector of Z belongs to the range of the optimal Z when its
/// Z-eigenvalue exceeds its S Rayleigh quotient (z &gt; sqrt(mu) &gt; s), the classic indicator rule.</para>
/// <para>Polish: with q the size of that range, an optimal pair is <c>Z = V V^T</c> (V r x q) and y with
/// <c>(C - sum_k y_k A_k) V = 0</c> and <c>&lt;A_k, V V^T&gt; = b_k</c>: r q + m smooth equations in r q + m
/// unknowns, solved by Gauss-Newton from <c>V = Q diag(sqrt(z))</c> and the interior-point y. Each step solves the
/// linearized system by a pivoted QR of the Jacobian (basic solution on its numerical rank). The Jacobian is
/// singular along the rotations <c>V -&gt; V O</c> and along a non-unique optimal set; away from the solution the
/// rotations are only nearly null (singular values of the size of the residual), so pivots below ten times the
/// residual norm are dropped as well. From a point the interior-point method reached, two to four steps bring
/// the residual to rounding level, where the interior-point iterate itself is capped near 1e-10 by the
/// conditioning of its Schur complement. Z = V V^T is PSD by construction and the slack is PSD when strict
/// complementarity holds; the caller measures the polished pair and keeps it only when it certifies better.</para>
/// </remarks>
internal static class OptimalFacePolish
{
    private const int MaxNewtonSteps = 8;

    /// <summary>
    /// Above this many unknowns (r q + m) the polish is skipped and the refinement, whose system has m + q (q + 1) / 2
    /// unknowns whatever r, takes over: the dense Jacobian holds 8 (r q + m)^2 bytes and every Gauss-Newton step
    /// costs about (r q + m)^3 flops in its QR, which at r = 100, q = 22, m = 50 already took eight seconds and
    /// grows like the sixth power of D when q and m grow with D.
    /// </summary>
    private const int MaxSystemSize = 1500;

    /// <summary>Relative pivot threshold for the numerical rank of the Jacobian.</summary>
    private const double PolishRankTolerance = 1e-11;

    /// <summary>A step that leaves more than this fraction of the residual is the last: rounding level is reached.</summary>
    private const double SlowProgress = 0.1;

    /// <summary>Pivots below this multiple of the current residual norm count as zero.</summary>
    private const double ResidualPivots = 10;

    /// <summary>
    /// The eigendecomposition of Z and the eigenvector indices that span the optimal range by the indicator rule.
    /// </summary>
    private static (double[] Eigenvalues, double[] Vectors, int[] Columns) RangeColumns(double[] z, double[] s, int r)
    {
        (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(z, r);
        var columns = new List<int>();
        var v = new double[r];
        for (int t = 0; t < r; t++)
        {
            for (int i = 0; i < r; i++) v[i] = vectors[i * r + t];
            double rayleigh = 0;
            for (int i = 0; i < r; i++)
            {
                double row = 0;
                for (int j = 0; j < r; j++) row += s[i * r + j] * v[j];
                rayleigh += v[i] * row;
            }
            if (eigenvalues[t] > rayleigh) columns.Add(t);
        }
        return (eigenvalues, vectors, [.. columns]);
    }

    /// <summary>
    /// The polished (Z, y) for the cost C on the constraints <paramref name="a"/>, from the interior-point pair, by
    /// Gauss-Newton on the optimality conditions of the factored form (see the remarks); null when the range is
    /// empty or the polish did not reduce the residual.
    /// </summary>
    public static (double[] Z, double[] Y)? Polish(FaceConstraints a, ReadOnlySpan<double> c, double[] z, double[] s, double[] y)
    {
        int n = a.N, r = a.R, m = a.Count;
        if (r == 0) return null;
        (double[] eigenvalues, double[] vectors, int[] columns) = RangeColumns(z, s, r);
        int q = columns.Length;
        if (q == 0 || (long)r * q + m > MaxSystemSize) return null;

        // V0: the top q eigenpairs of Z, V0 = Q diag(sqrt(zeta)).
        var v = new double[r * q];
        for (int i = 0; i < r; i++)
            for (int t = 0; t < q; t++)
            {
                int column = columns[t];
                v[i * q + t] = vectors[i * r + column] * Math.Sqrt(Math.Max(eigenvalues[column], 0));
            }
        var multipliers = (double[])y.Clone();

        // Every A_k as an explicit r x r matrix.
        var ak = new double[m][];
        var unit = new double[m];
        for (int k = 0; k < m; k++)
        {
            Array.Clear(unit);
            unit[k] = 1;
            ak[k] = new double[r * r];
            a.ApplyTranspose(unit, ak[k]);
        }

        int unknowns = r * q + m, equations = r * q + m;
        var residual = new double[equations];
        double start = Residual(a, c, ak, v, multipliers, r, q, residual);
        double current = start;
        var jacobian = new double[equations * unknowns];
        var trial = new double[equations];
        var kMatrix = new double[r * r];
        var akv = new double[r * q];
        for (int iteration = 0; iteration < MaxNewtonSteps; iteration++)
        {
            // K = C - A^T y; rows 0..rq are vec((C - A^T y) V) (index i * q + t), rows rq.. are A(V V^T) - b.
            Array.Clear(jacobian);
            Slack(c, ak, multipliers, kMatrix, r);
            for (int i = 0; i < r; i++)
                for (int t = 0; t < q; t++)
                {
                    int column = i * q + t;
                    for (int p = 0; p < r; p++) jacobian[(p * q + t) * unknowns + column] = kMatrix[p * r + i];
                }
            for (int k = 0; k < m; k++)
            {
                SquareMatrix.MultiplyRectangular(ak[k], v, akv, r, r, q);
                for (int index = 0; index < r * q; index++)
                {
                    jacobian[(r * q + k) * unknowns + index] = 2 * akv[index];
                    jacobian[index * unknowns + r * q + k] = -akv[index];
                }
            }
            // Gauss-Newton step by a pivoted QR of J (not the normal equations, which would square its condition
            // number): the basic solution on the numerical rank. The rotations V -> V O and a non-unique optimum
            // make J singular; those directions get no step.
            var byColumns = new double[equations * unknowns];
            for (int e = 0; e < equations; e++)
                for (int u = 0; u < unknowns; u++) byColumns[u * equations + e] = jacobian[e * unknowns + u];
            PivotedQr qr = PivotedQr.Factor(byColumns, equations, unknowns);
            // Away from the solution the rotations are only nearly null (their singular values are of the size of
            // the residual), so pivots below a multiple of the residual are dropped too.
            int rank = qr.RankFor(Math.Max(PolishRankTolerance, ResidualPivots * current / Math.Max(qr.PivotMagnitude(0), double.Epsilon)));
            var rhs = new double[equations];
            for (int e = 0; e < equations; e++) rhs[e] = -residual[e];
            qr.ApplyQTranspose(rhs);
            qr.SolveUpper(rank, rhs);
            var step = new double[unknowns];
            for (int t = 0; t < rank; t++) step[qr.Permutation[t]] = rhs[t];
            var nextV = (double[])v.Clone();
            var nextY = (double[])multipliers.Clone();
            for (int index = 0; index < r * q; index++) nextV[index] += step[index];
            for (int k = 0; k < m; k++) nextY[k] += step[r * q + k];
            double next = Residual(a, c, ak, nextV, nextY, r, q, trial);
            if (!(next < current)) break;
            bool slow = next > SlowProgress * current;
            (v, multipliers, current) = (nextV, nextY, next);
            trial.AsSpan().CopyTo(residual);
            if (slow || current == 0) break;
        }
        if (!(current < start)) return null;
        var polished = new double[r * r];
        Gemm.Gemm.Multiply(Gemm.Op.None, Gemm.Op.Transpose, r, r, q, 1.0, v, q, v, q, 0.0, polished, r);
        SquareMatrix.Symmetrize(polished, r);
        return (polished, multipliers);
    }

    private static void Slack(ReadOnlySpan<double> c, double[][] ak, double[] y, double[] slack, int r)
    {
        c.CopyTo(slack);
        for (int k = 0; k < ak.Length; k++)
        {
            double yk = y[k];
            if (yk == 0) continue;
            double[] matrix = ak[k];
            for (int e = 0; e < r * r; e++) slack[e] -= yk * matrix[e];
        }
    }

    /// <summary>Writes <c>[vec((C - A^T y) V); A(V V^T) - b]</c> to <paramref name="residual"/> and returns its norm.</summary>
    private static double Residual(FaceConstraints a, ReadOnlySpan<double> c, double[][] ak, double[] v, double[] y, int r, int q, double[] residual)
    {
        var slack = new double[r * r];
        Slack(c, ak, y, slack, r);
        var kv = new double[r * q];
        SquareMatrix.MultiplyRectangular(slack, v, kv, r, r, q);
        kv.AsSpan().CopyTo(residual);
        var z = new double[r * r];
        Gemm.Gemm.Multiply(Gemm.Op.None, Gemm.Op.Transpose, r, r, q, 1.0, v, q, v, q, 0.0, z, r);
        SquareMatrix.Symmetrize(z, r);
        var az = new double[a.Count];
        a.Apply(z, az);
        for (int k = 0; k < a.Count; k++) residual[r * q + k] = az[k] - a.Rhs[k];
        return Math.Sqrt(SquareMatrix.Dot(residual, residual));
    }

}
