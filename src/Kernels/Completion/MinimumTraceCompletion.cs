using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The minimum nuclear-norm PSD completion: solves the SDP
/// <c>min trace(X) s.t. X_ij = Y_ij for (i, j) in Omega, X PSD</c> (for a PSD X the nuclear norm is the trace)
/// in double precision, and certifies the answer.
/// </summary>
/// <remarks>
/// <para>Facial reduction first (<see cref="FacialReduction"/>): a fully observed singular principal block of Y
/// forces null directions on every feasible X, and then no feasible X is positive definite (Slater's condition
/// fails), which makes the dual optimum unattainable in the full space and stalls interior-point and splitting
/// methods alike. On the face <c>X = P W P^T</c> the problem is well posed again; its constraints
/// <c>(P W P^T)_ij = Y_ij</c> can be linearly dependent, so a pivoted QR keeps an independent subset (the others
/// then hold automatically when the data are consistent, and the certificate measures all of Omega anyway).</para>
/// <para>Then a dense primal-dual interior-point method (<see cref="InteriorPointSdp"/>: HKM direction,
/// Mehrotra predictor-corrector, Schur complement by Cholesky) solves <c>min trace(W)</c> on the face to a
/// hundredth of the tolerance or until it stalls (its Schur complement's conditioning caps it near 1e-10), and a
/// Gauss-Newton polish on the identified optimal range takes the pair to rounding level when it can
/// (<see cref="OptimalFacePolish"/>; kept only if it measures better), or else Newton's method on the partitioned
/// optimality conditions, which copes with a non-unique optimum (<see cref="ComplementarityRefinement"/>). The multipliers give the face dual point; scaled by <c>1 / (1 + t)</c> (t the
/// measured infeasibility of its slack <c>I - P^T Lambda P</c>) it is exactly feasible on the face. It is also
/// lifted to a full-space dual point (<see cref="FullSpaceDual"/>).</para>
/// <para>The certificate is measured afresh in the original space (<see cref="CompletionCertificate.Evaluate"/>).
/// Patterns with more than <see cref="CompletionOptions.MaxInteriorPointPairs"/> observed pairs fall back to ADMM
/// in the full space, with the same certificate.</para>
/// <para>Omega must be symmetric (observed(i, j) == observed(j, i)) and Y symmetric on it; the diagonal may or
/// may not be observed.</para>
/// </remarks>
public static class MinimumTraceCompletion
{
    /// <summary>Solves for the n x n row-major <paramref name="y"/> observed where <paramref name="observed"/> is true.</summary>
    /// <param name="tolerance">Every certified relative measure must be at most this.</param>
    /// <param name="maxIterations">Iteration budget of whichever method runs (see <see cref="CompletionOptions"/>); the
    /// certificate says whether the tolerance was reached.</param>
    public static CompletionResult Solve(ReadOnlySpan<double> y, ReadOnlySpan<bool> observed, int n,
        double tolerance = 1e-9, int maxIterations = 20000) =>
        Solve(new CompletionProblem(y, observed, n),
            new CompletionOptions { Tolerance = tolerance, MaxIterations = maxIterations, AdmmMaxIterations = maxIterations });

    /// <summary>Solves the validated <paramref name="problem"/>; see the remarks of <see cref="MinimumTraceCompletion"/>.</summary>
    public static CompletionResult Solve(CompletionProblem problem, CompletionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new CompletionOptions();
        if (!(options.Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(options), "The tolerance must be positive.");
        if (options.MaxIterations < 1 || options.AdmmMaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "The iteration budgets must be at least 1.");
        CompletionFace face = FacialReduction.Reduce(problem, options.RankTolerance);

        if (problem.Pairs.Count > options.MaxInteriorPointPairs)
        {
            (double[] admmX, double[] admmLambda, int admmIterations) = AdmmCompletion.Solve(problem, options.Tolerance, options.AdmmMaxIterations,
                onIteration: options.OnIteration);
            CompletionCertificate admmCertificate = CompletionCertificate.Evaluate(problem, face, admmX, admmLambda, admmLambda,
                options.Tolerance, admmIterations, CompletionMethod.Admm);
            return new CompletionResult(problem, face, admmX, admmLambda, admmLambda, admmCertificate);
        }

        FaceConstraints constraints = Independent(problem, face);
        int r = face.Dimension;
        var cost = new double[r * r];
        for (int i = 0; i < r; i++) cost[i * r + i] = 1;
        FaceSdpSolution solution = FaceSdp.Solve(constraints, cost, options.Tolerance / 100, options.MaxIterations,
            options.OnIteration);
        return Assemble(problem, face, constraints, solution.Z, solution.Y, options, solution.Iterations);
    }

    /// <summary>The result for the face solution (Z, y): X, the feasible face dual, its full-space lift, and the certificate.</summary>
    private static CompletionResult Assemble(CompletionProblem problem, CompletionFace face, FaceConstraints constraints,
        double[] z, double[] y, CompletionOptions options, int iterations)
    {
        int n = problem.N, r = face.Dimension;
        var x = new double[n * n];
        SquareMatrix.Congruence(face.Basis, n, r, z, x);
        double[] faceLambda = FeasibleFaceDual(constraints, y);
        double[] lambda = FullSpaceDual.Lift(problem, face, faceLambda, options.RankTolerance);
        CompletionCertificate certificate = CompletionCertificate.Evaluate(problem, face, x, faceLambda, lambda,
            options.Tolerance, iterations);
        return new CompletionResult(problem, face, x, lambda, faceLambda, certificate);
    }

    /// <summary>The observations as constraints on the face, reduced to an independent subset by a pivoted QR.</summary>
    internal static FaceConstraints Independent(CompletionProblem problem, CompletionFace face)
    {
        var pairs = new List<(int, int, double)>();
        foreach ((int i, int j) in problem.Pairs) pairs.Add((i, j, problem.ValueAt(i, j)));
        FaceConstraints all = FaceConstraints.Create(face.Basis, problem.N, face.Dimension, pairs);
        if (all.Count == 0 || face.Dimension == 0) return all.Select([]);
        // On the full space each pair's constraint is a distinct unit coordinate of svec(X): the QR would keep them
        // all, after about D^2 m^2 flops on 4 D^2 m bytes (5 s and 0.16 GB at D = 300, m = 452).
        if (face.IsFullSpace) return all;
        PivotedQr qr = PivotedQr.Factor(all.SvecColumns(), all.SvecLength, all.Count);
        int rank = qr.RankFor(FacialReduction.IndependenceTolerance);
        var keep = new int[rank];
        for (int k = 0; k < rank; k++) keep[k] = qr.Permutation[k];
        Array.Sort(keep);
        return all.Select(keep);
    }

    /// <summary>
    /// The face dual point (n x n) of the multipliers y, scaled by <c>1 / (1 + t)</c> with t the infeasibility of
    /// <c>I - sum y_k A_k</c>, so that its face slack is PSD.
    /// </summary>
    internal static double[] FeasibleFaceDual(FaceConstraints constraints, double[] multipliers)
    {
        int n = constraints.N, r = constraints.R;
        var y = (double[])multipliers.Clone();
        var slack = new double[r * r];
        for (int pass = 0; pass < 3; pass++)
        {
            constraints.ApplyTranspose(y, slack);
            for (int k = 0; k < r * r; k++) slack[k] = -slack[k];
            for (int i = 0; i < r; i++) slack[i * r + i] += 1;
            double infeasibility = r == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(slack, r).Eigenvalues[0]);
            if (infeasibility == 0) break;
            double shrink = 1 / (1 + infeasibility * (1 + 1e-6) + 1e-15);
            for (int k = 0; k < y.Length; k++) y[k] *= shrink;
        }
        var lambda = new double[n * n];
        constraints.Multiplier(y, lambda);
        return lambda;
    }
}
