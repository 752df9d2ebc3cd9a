using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// Lifts a dual point that is feasible on the face (<c>P^T (I - Lambda_f) P</c> PSD) to one that is feasible in
/// the whole space (<c>I - Lambda</c> PSD), losing as little dual objective as it can.
/// </summary>
/// <remarks>
/// <para>Three steps. (1) Only <c>P^T Lambda P</c> matters on the face, so among the Lambda supported on Omega with
/// the same <c>P^T Lambda P</c> take the one of least Frobenius norm (a minimum-norm least-squares solution through
/// a pivoted QR of the transposed constraint matrix); its coupling <c>P^T Lambda N</c> to the forced directions N
/// is small, and zero when Omega is everything. (2) Every singular block whose entries are all observed gives
/// <c>W = sum v v^T</c>, PSD, supported on Omega and with <c>&lt;W, Y&gt; = 0</c> up to the rank threshold; adding
/// <c>t W</c> to the slack costs nothing in the objective and makes the N-block as positive as needed. (3) In the
/// basis [P, N] the slack of <c>s Lambda_0 - t W</c> is PSD when <c>A11 = (1 - s) I + s P^T (I - Lambda_0) P</c> is
/// positive definite and <c>t R &gt;= A21 A11^-1 A12 - A22</c> with <c>R = N^T W N</c>; s is chosen on a grid of
/// <c>1 - s</c> from 1 down to 1e-16 to maximize the objective of the assembled point after the scaling below
/// (the formula's <c>s &lt;Lambda_0, Y&gt; - t &lt;W, Y&gt;</c> ignores the rounding that a huge t brings).</para>
/// <para>The coefficient t is capped (see <see cref="MaxCoefficient"/>). The result is checked by an eigendecomposition of <c>I - Lambda</c> and scaled by <c>1 / (1 + e)</c>, e its
/// measured infeasibility, which makes it feasible whatever the steps above achieved; the gap it leaves is
/// reported, never assumed.</para>
/// </remarks>
internal static class FullSpaceDual
{
    /// <summary>
    /// The largest t allowed: the eigenvalues that check <c>I - Lambda</c> are only accurate to about machine
    /// epsilon times <c>||Lambda||</c>, so a larger t would make the feasibility check, and with it the bound,
    /// meaningless. With t at most 1e6 the check is good to about 1e-10, and the gap that the lift leaves when
    /// the full-space dual optimum is not attained is of order 1 / t.
    /// </summary>
    private const double MaxCoefficient = 1e6;

    public static double[] Lift(CompletionProblem problem, CompletionFace face, double[] faceLambda, double rankTolerance)
    {
        int n = problem.N, r = face.Dimension, k = face.ForcedNullDirections;
        double[] lambda;
        if (k == 0) lambda = (double[])faceLambda.Clone();
        else
        {
            double[] lambda0 = MinimumNorm(problem, face, faceLambda);
            double[] w = ObservedBlockCertificate(problem, face, rankTolerance);
            lambda = Combine(problem, face, lambda0, w) ?? lambda0;
        }
        MakeFeasible(lambda, n);
        return lambda;
    }

    /// <summary>Scales Lambda in place by <c>1 / (1 + e)</c>, e = max(0, -lambda_min(I - Lambda)).</summary>
    internal static void MakeFeasible(double[] lambda, int n)
    {
        if (n == 0) return;
        var slack = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) slack[i * n + j] = (i == j ? 1 : 0) - lambda[i * n + j];
        double infeasibility = Math.Max(0, -SymmetricEigenSolver.Of(slack, n).Eigenvalues[0]);
        if (infeasibility == 0) return;
        // A little more than the measured amount, so that rounding in the scaled slack can not leave it negative.
        double shrink = 1 / (1 + infeasibility * (1 + 1e-6) + 1e-15);
        for (int t = 0; t < lambda.Length; t++) lambda[t] *= shrink;
    }

    /// <summary>The Lambda of least Frobenius norm supported on Omega with <c>P^T Lambda P = P^T faceLambda P</c>.</summary>
    private static double[] MinimumNorm(CompletionProblem problem, CompletionFace face, double[] faceLambda)
    {
        int n = problem.N, r = face.Dimension;
        var pairs = new List<(int, int, double)>();
        foreach ((int i, int j) in problem.Pairs) pairs.Add((i, j, 0));
        FaceConstraints all = FaceConstraints.Create(face.Basis, n, r, pairs);
        int d = all.SvecLength, m = all.Count;
        if (m == 0 || r == 0) return (double[])faceLambda.Clone();

        // Target g = svec(P^T faceLambda P); Lambda = sum_k lambda_k E_k has svec(P^T Lambda P) = A lambda, A = [a_1 .. a_m].
        var compressed = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, faceLambda, compressed);
        var g = new double[d];
        int at = 0;
        for (int p = 0; p < r; p++)
            for (int q = 0; q <= p; q++) g[at++] = p == q ? compressed[p * r + q] : Math.Sqrt(2) * compressed[p * r + q];

        // A^T Pi = Q R (A^T is m x d, stored by columns); A = Pi R^T Q^T, so A lambda = g is R^T c = Pi^T g with
        // c = Q^T lambda, and the least-norm lambda takes c zero past the rank.
        double[] columns = all.SvecColumns(); // (p, k) at k * d + p
        var transposed = new double[m * d];  // (k, p) at p * m + k
        for (int kk = 0; kk < m; kk++)
            for (int p = 0; p < d; p++) transposed[p * m + kk] = columns[kk * d + p];
        PivotedQr qr = PivotedQr.Factor(transposed, m, d);
        int rank = qr.RankFor(FacialReduction.IndependenceTolerance);
        var c = new double[m];
        for (int t = 0; t < rank; t++) c[t] = g[qr.Permutation[t]];
        qr.SolveUpperTranspose(rank, c);
        qr.ApplyQ(c);
        var lambda = new double[n * n];
        all.Multiplier(c, lambda);
        return lambda;
    }

    /// <summary><c>W = sum v v^T</c> over the null vectors of the singular blocks whose entries are all observed.</summary>
    private static double[] ObservedBlockCertificate(CompletionProblem problem, CompletionFace face, double rankTolerance)
    {
        int n = problem.N;
        var w = new double[n * n];
        foreach (int[] block in face.ObservedSingularBlocks)
        {
            int c = block.Length;
            var values = new double[c * c];
            for (int a = 0; a < c; a++)
                for (int b = 0; b < c; b++) values[a * c + b] = problem.ValueAt(block[a], block[b]);
            (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(values, c);
            double largest = Math.Max(eigenvalues[c - 1], 0);
            double threshold = largest <= rankTolerance * problem.LargestObserved
                ? Math.Max(largest, rankTolerance * problem.LargestObserved) : rankTolerance * largest;
            for (int t = 0; t < c && eigenvalues[t] <= threshold; t++)
                for (int a = 0; a < c; a++)
                    for (int b = 0; b < c; b++) w[block[a] * n + block[b]] += vectors[a * c + t] * vectors[b * c + t];
        }
        return w;
    }

    /// <summary>The best <c>s Lambda_0 - t W</c> over the grid of s (see the remarks), or null when none qualifies.</summary>
    private static double[]? Combine(CompletionProblem problem, CompletionFace face, double[] lambda0, double[] w)
    {
        int n = problem.N, r = face.Dimension, k = face.ForcedNullDirections;
        var nBasis = new double[n * k];
        for (int t = 0; t < k; t++)
            for (int i = 0; i < n; i++) nBasis[i * k + t] = face.ForcedNullVectors[t][i];

        // R = N^T W N must be positive definite for t W to reach every forced direction.
        var rMatrix = new double[k * k];
        SquareMatrix.Compress(nBasis, n, k, w, rMatrix);
        var rFactor = (double[])rMatrix.Clone();
        if (!Cholesky.Factor(rFactor, k)) return null;

        var pLambdaP = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, lambda0, pLambdaP);
        var nLambdaN = new double[k * k];
        SquareMatrix.Compress(nBasis, n, k, lambda0, nLambdaN);
        var lambdaN = new double[n * k];
        SquareMatrix.MultiplyRectangular(lambda0, nBasis, lambdaN, n, n, k);
        var coupling = new double[r * k]; // P^T Lambda_0 N
        if (r > 0) Gemm.Gemm.Multiply(Gemm.Op.Transpose, Gemm.Op.None, r, k, n, 1.0, face.Basis, r, lambdaN, k, 0.0, coupling, k);

        double objective0 = Observed(problem, lambda0), objectiveW = Observed(problem, w);
        double bestValue = double.NegativeInfinity;
        double[]? best = null;
        var a11 = new double[r * r];
        var solved = new double[r * k];
        var schur = new double[k * k];
        for (int step = 0; step <= 64; step++)
        {
            double s = 1 - Math.Pow(10, -step / 4.0);
            for (int p = 0; p < r; p++)
                for (int q = 0; q < r; q++) a11[p * r + q] = (p == q ? 1 : 0) - s * pLambdaP[p * r + q];
            if (r > 0 && !Cholesky.Factor(a11, r)) continue;
            // Schur term A21 A11^-1 A12 - A22 with A12 = -s P^T Lambda_0 N, A22 = I - s N^T Lambda_0 N.
            for (int t = 0; t < r * k; t++) solved[t] = coupling[t];
            if (r > 0) LowerTriangular.Solve(a11, r, solved, k);
            for (int p = 0; p < k; p++)
                for (int q = 0; q < k; q++)
                {
                    double sum = 0;
                    for (int t = 0; t < r; t++) sum += solved[t * k + p] * solved[t * k + q];
                    schur[p * k + q] = s * s * sum - (p == q ? 1 : 0) + s * nLambdaN[p * k + q];
                }
            // t = lambda_max(L_R^-1 schur L_R^-T), the least t with t R >= schur.
            LowerTriangular.Solve(rFactor, k, schur, k);
            var transposed = new double[k * k];
            for (int p = 0; p < k; p++)
                for (int q = 0; q < k; q++) transposed[q * k + p] = schur[p * k + q];
            LowerTriangular.Solve(rFactor, k, transposed, k);
            double[] eigenvalues = SymmetricEigenSolver.Of(transposed, k).Eigenvalues;
            double tNeeded = Math.Max(0, eigenvalues[k - 1]) * (1 + 1e-9);
            double value = s * objective0 - tNeeded * objectiveW;
            if (!(value > bestValue) || tNeeded > MaxCoefficient) continue;
            // The value is what the formula promises; what counts is the objective after the measured
            // infeasibility of the assembled point is scaled away (a huge t makes rounding in I - Lambda large).
            var candidate = new double[n * n];
            for (int e = 0; e < candidate.Length; e++) candidate[e] = s * lambda0[e] - tNeeded * w[e];
            MakeFeasible(candidate, n);
            double achieved = Observed(problem, candidate);
            if (achieved > bestValue) (bestValue, best) = (achieved, candidate);
        }
        return best;
    }

    private static double Observed(CompletionProblem problem, double[] matrix)
    {
        double sum = 0;
        ReadOnlySpan<bool> observed = problem.Observed;
        ReadOnlySpan<double> y = problem.Y;
        for (int t = 0; t < matrix.Length; t++)
            if (observed[t]) sum += matrix[t] * y[t];
        return sum;
    }
}
