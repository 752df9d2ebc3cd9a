using Engine.Kernels.Gemm;
using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>What <see cref="InteriorPointSdp.Solve"/> reached: the best iterate and its own (reduced-space) measures.</summary>
/// <param name="Z">Primal point, r x r, positive definite.</param>
/// <param name="Y">Multipliers, one per constraint.</param>
/// <param name="S">Dual slack iterate, r x r, positive definite.</param>
/// <param name="PrimalInfeasibility"><c>||A(Z) - b|| / (1 + ||b||)</c>.</param>
/// <param name="DualInfeasibility"><c>||C - A^T y - S||_F / (1 + ||C||_F)</c>.</param>
/// <param name="Complementarity"><c>&lt;Z, S&gt; / (1 + |&lt;C, Z&gt;| + |b^T y|)</c>.</param>
internal sealed record InteriorPointSolution(double[] Z, double[] Y, double[] S, int Iterations,
    double PrimalInfeasibility, double DualInfeasibility, double Complementarity)
{
    public double Worst => Math.Max(PrimalInfeasibility, Math.Max(DualInfeasibility, Complementarity));
}

/// <summary>
/// A dense primal-dual interior-point method for <c>min &lt;C, Z&gt; s.t. &lt;A_k, Z&gt; = b_k, Z PSD</c> and its dual
/// <c>max b^T y s.t. C - sum_k y_k A_k = S PSD</c>, with the entry constraints of a face (<see cref="FaceConstraints"/>).
/// </summary>
/// <remarks>
/// <para>Infeasible start <c>Z = xi_p I, S = xi_d I, y = 0</c>; HKM search direction (the Newton step on
/// <c>Z S = sigma mu I</c> solved for dZ and then symmetrized); Mehrotra's predictor-corrector: an affine step
/// (sigma = 0) measures how far mu could fall, sets <c>sigma = (mu_aff / mu)^3</c>, and the corrector adds the
/// second-order term <c>-dZ_aff dS_aff</c>. Both steps share one Cholesky factorization of the Schur complement
/// <c>M_kl = &lt;A_k, Z A_l S^-1&gt;</c>, which is positive definite while Z and S are and the A_k are independent,
/// so the caller must pass an independent set of constraints.</para>
/// <para>Step lengths: the largest step keeping Z (and S) PSD, from the smallest eigenvalue of
/// <c>L^-1 dZ L^-T</c> (L the Cholesky factor of Z), times a factor that grows from 0.9 to 0.99 as the affine step
/// approaches one, and at most one. Primal and dual steps are separate.</para>
/// <para>The method stops at the target, after <c>maxIterations</c>, or when it stalls (a Cholesky factorization
/// fails even with a small diagonal shift, or both steps are tiny), and returns the best iterate seen by the
/// worst of its three measures.</para>
/// </remarks>
internal static class InteriorPointSdp
{
    private const double TinyStep = 1e-10;

    /// <summary>Iterations without a new best iterate after which the method counts as stalled.</summary>
    private const int StallIterations = 5;

    /// <summary>An iterate improves on the best when its worst measure is below this fraction of the best one.</summary>
    private const double StallProgress = 0.9;

    /// <param name="onIteration">Called with the best iterate's worst measure after every iterate is measured (see <see cref="CompletionOptions.OnIteration"/>).</param>
    public static InteriorPointSolution Solve(FaceConstraints a, ReadOnlySpan<double> c, double target, int maxIterations,
        Action<CompletionIteration>? onIteration = null)
    {
        int r = a.R, m = a.Count, n = a.N;
        double[] b = a.Rhs;
        var z = new double[r * r];
        var s = new double[r * r];
        var y = new double[m];
        double bNorm = Math.Sqrt(SquareMatrix.Dot(b, b)), cNorm = SquareMatrix.FrobeniusNorm(c);
        if (r == 0)
            return new InteriorPointSolution(z, y, s, 0, bNorm / (1 + bNorm), 0, 0);

        double ratio = 0, largestA = 0;
        for (int k = 0; k < m; k++)
        {
            double norm = a.Norm(k);
            largestA = Math.Max(largestA, norm);
            ratio = Math.Max(ratio, (1 + Math.Abs(b[k])) / (1 + norm));
        }
        double xiP = Math.Max(10, Math.Max(Math.Sqrt(r), r * ratio));
        double xiD = Math.Max(10, Math.Max(Math.Sqrt(r), Math.Max(largestA, cNorm)));
        for (int i = 0; i < r; i++)
        {
            z[i * r + i] = xiP;
            s[i * r + i] = xiD;
        }

        var w = new Work(n, r, m);
        InteriorPointSolution? best = null;
        int iteration = 0, sinceBest = 0;
        while (true)
        {
            // Residuals and measures of the current iterate.
            a.Apply(z, w.Rp);
            for (int k = 0; k < m; k++) w.Rp[k] = b[k] - w.Rp[k];
            a.ApplyTranspose(y, w.Aty);
            for (int k = 0; k < r * r; k++) w.Rd[k] = c[k] - w.Aty[k] - s[k];
            double primalObjective = SquareMatrix.Dot(c, z), dualObjective = SquareMatrix.Dot(b, y);
            double zs = SquareMatrix.Dot(z, s);
            var current = new InteriorPointSolution((double[])z.Clone(), (double[])y.Clone(), (double[])s.Clone(), iteration,
                Math.Sqrt(SquareMatrix.Dot(w.Rp, w.Rp)) / (1 + bNorm), SquareMatrix.FrobeniusNorm(w.Rd) / (1 + cNorm),
                Math.Max(zs, 0) / (1 + Math.Abs(primalObjective) + Math.Abs(dualObjective)));
            // Only a real improvement restarts the stall count; a best that creeps down by rounding does not.
            bool improves = best is null || current.Worst < StallProgress * best.Worst;
            if (best is null || current.Worst <= best.Worst) best = current;
            onIteration?.Invoke(new CompletionIteration(CompletionStage.InteriorPoint, iteration, maxIterations, best.Worst, target));
            if (improves) sinceBest = 0;
            else if (++sinceBest >= StallIterations) break;
            if (current.Worst <= target || iteration >= maxIterations) break;
            iteration++;
            double mu = zs / r;

            if (!Factor(s, w.SFactor, r)) break;
            LowerTriangular.InverseFromCholesky(w.SFactor, r, w.SInverse);
            SquareMatrix.Congruence(a.Basis, n, r, z, w.LiftedZ);
            SquareMatrix.Congruence(a.Basis, n, r, w.SInverse, w.LiftedSInverse);
            a.Schur(w.LiftedZ, w.LiftedSInverse, w.Schur);
            w.Schur.AsSpan().CopyTo(w.SchurCopy);
            if (!FactorShifted(w.Schur, m)) break;

            // Z Rd S^-1 enters both right-hand sides.
            SquareMatrix.Multiply(z, w.Rd, w.T1, r);
            SquareMatrix.Multiply(w.T1, w.SInverse, w.ZRdSInverse, r);

            // Predictor: target Z S = 0.
            w.Target.AsSpan().Clear();
            Direction(a, z, w, w.Target, w.Dz, w.Dy, w.Ds);
            double alphaP = MaxStep(z, w.Dz, w, r), alphaD = MaxStep(s, w.Ds, w, r);
            double affineP = Math.Min(1, alphaP), affineD = Math.Min(1, alphaD);
            double muAffine = 0;
            for (int k = 0; k < r * r; k++) muAffine += (z[k] + affineP * w.Dz[k]) * (s[k] + affineD * w.Ds[k]);
            muAffine /= r;
            double sigma = Math.Clamp(Math.Pow(Math.Max(muAffine, 0) / mu, 3), 0, 1);

            // Corrector: target sigma mu I - dZ_aff dS_aff.
            SquareMatrix.Multiply(w.Dz, w.Ds, w.Target, r);
            for (int k = 0; k < r * r; k++) w.Target[k] = -w.Target[k];
            for (int i = 0; i < r; i++) w.Target[i * r + i] += sigma * mu;
            Direction(a, z, w, w.Target, w.Dz, w.Dy, w.Ds);
            double gamma = 0.9 + 0.09 * Math.Min(affineP, affineD);
            alphaP = Math.Min(1, gamma * MaxStep(z, w.Dz, w, r));
            alphaD = Math.Min(1, gamma * MaxStep(s, w.Ds, w, r));
            if (alphaP < TinyStep && alphaD < TinyStep) break;

            for (int k = 0; k < r * r; k++)
            {
                z[k] += alphaP * w.Dz[k];
                s[k] += alphaD * w.Ds[k];
            }
            for (int k = 0; k < m; k++) y[k] += alphaD * w.Dy[k];
            SquareMatrix.Symmetrize(z, r);
            SquareMatrix.Symmetrize(s, r);
        }
        return best with { Iterations = iteration };
    }

    /// <summary>
    /// The HKM direction for the complementarity target T: <c>M dy = b - A(T S^-1) + A(Z Rd S^-1)</c>,
    /// <c>dS = Rd - A^T dy</c>, <c>dZ = sym(T S^-1 - Z - Z dS S^-1)</c>.
    /// </summary>
    private static void Direction(FaceConstraints a, double[] z, Work w, double[] target, double[] dz, double[] dy, double[] ds)
    {
        int r = a.R, m = a.Count;
        SquareMatrix.Multiply(target, w.SInverse, w.TSInverse, r);
        for (int k = 0; k < r * r; k++) w.T1[k] = w.ZRdSInverse[k] - w.TSInverse[k];
        SquareMatrix.Symmetrize(w.T1, r);
        a.Apply(w.T1, dy);
        for (int k = 0; k < m; k++) dy[k] += a.Rhs[k];
        if (m > 0) SolveRefined(w, m, dy);
        a.ApplyTranspose(dy, w.Aty);
        for (int k = 0; k < r * r; k++) ds[k] = w.Rd[k] - w.Aty[k];
        SquareMatrix.Multiply(z, ds, w.T1, r);
        SquareMatrix.Multiply(w.T1, w.SInverse, w.T2, r);
        for (int k = 0; k < r * r; k++) dz[k] = w.TSInverse[k] - z[k] - w.T2[k];
        SquareMatrix.Symmetrize(dz, r);
    }

    /// <summary>Solves <c>M dy = rhs</c> with the factored Schur complement and two steps of iterative refinement against the unfactored copy.</summary>
    private static void SolveRefined(Work w, int m, double[] dy)
    {
        dy.AsSpan().CopyTo(w.Rhs);
        Cholesky.Solve(w.Schur, m, dy);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int k = 0; k < m; k++)
            {
                double sum = w.Rhs[k];
                ReadOnlySpan<double> row = w.SchurCopy.AsSpan(k * m, m);
                for (int l = 0; l < m; l++) sum -= row[l] * dy[l];
                w.Correction[k] = sum;
            }
            Cholesky.Solve(w.Schur, m, w.Correction);
            for (int k = 0; k < m; k++) dy[k] += w.Correction[k];
        }
    }

    /// <summary>The largest alpha with <c>V + alpha dV</c> PSD (infinity when dV keeps it so for every alpha).</summary>
    private static double MaxStep(double[] v, double[] dv, Work w, int r)
    {
        if (!Factor(v, w.Factor, r)) return 0;
        dv.AsSpan().CopyTo(w.T2);
        LowerTriangular.Solve(w.Factor, r, w.T2, r);
        Transpose(w.T2, w.T1, r);
        LowerTriangular.Solve(w.Factor, r, w.T1, r);
        w.Eigen.Decompose(w.T1, w.Eigenvalues, []);
        double smallest = w.Eigenvalues[0];
        return smallest < 0 ? -1 / smallest : double.PositiveInfinity;
    }

    private static void Transpose(double[] from, double[] to, int r)
    {
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) to[j * r + i] = from[i * r + j];
    }

    private static bool Factor(double[] v, double[] factor, int r)
    {
        v.AsSpan().CopyTo(factor);
        return Cholesky.Factor(factor, r);
    }

    /// <summary>Cholesky of the Schur complement; on failure retries with diagonal shifts of 1e-14 and 1e-12 of its largest entry.</summary>
    private static bool FactorShifted(double[] schur, int m)
    {
        if (m == 0) return true;
        var copy = (double[])schur.Clone();
        if (Cholesky.Factor(schur, m)) return true;
        double largest = 0;
        for (int k = 0; k < m; k++) largest = Math.Max(largest, copy[k * m + k]);
        foreach (double shift in new[] { 1e-14, 1e-12 })
        {
            copy.AsSpan().CopyTo(schur);
            for (int k = 0; k < m; k++) schur[k * m + k] += shift * largest;
            if (Cholesky.Factor(schur, m)) return true;
        }
        return false;
    }

    /// <summary>Every buffer of one solve, allocated once.</summary>
    private sealed class Work(int n, int r, int m)
    {
        public readonly double[] Rp = new double[m];
        public readonly double[] Rd = new double[r * r];
        public readonly double[] Aty = new double[r * r];
        public readonly double[] SFactor = new double[r * r];
        public readonly double[] SInverse = new double[r * r];
        public readonly double[] Factor = new double[r * r];
        public readonly double[] LiftedZ = new double[n * n];
        public readonly double[] LiftedSInverse = new double[n * n];
        public readonly double[] Schur = new double[m * m];
        public readonly double[] SchurCopy = new double[m * m];
        public readonly double[] Rhs = new double[m];
        public readonly double[] Correction = new double[m];
        public readonly double[] ZRdSInverse = new double[r * r];
        public readonly double[] TSInverse = new double[r * r];
        public readonly double[] Target = new double[r * r];
        public readonly double[] T1 = new double[r * r];
        public readonly double[] T2 = new double[r * r];
        public readonly double[] Dz = new double[r * r];
        public readonly double[] Ds = new double[r * r];
        public readonly double[] Dy = new double[m];
        public readonly double[] Eigenvalues = new double[r];
        public readonly SymmetricEigenSolver Eigen = new(r);
    }
}
