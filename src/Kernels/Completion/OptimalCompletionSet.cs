using Engine.Kernels.Random;

namespace Engine.Kernels.Completion;

/// <summary>
/// What a probe of the set of minimum nuclear-norm completions found (see <see cref="OptimalCompletionSet.Probe"/>).
/// </summary>
/// <param name="FaceRank">q: the size of W in the optimal face <c>X = B W B^T</c>, the largest rank an optimal X can have.</param>
/// <param name="AffineDimension">
/// The dimension of the optimal set, <c>q (q + 1) / 2</c> minus the independent constraints on the face (exact
/// given the rank decisions, when the optimal face has a Slater point): zero means the minimum is unique.
/// </param>
/// <param name="Functionals">How many random linear functionals were minimized and maximized.</param>
/// <param name="Diameter">
/// The largest Frobenius distance between any two of the points found (the extremes and the result's X): a lower
/// bound on the diameter of the optimal set.
/// </param>
/// <param name="ProbeAccuracy">
/// The worst relative measure over the probe solves: equality residual on Omega and PSD violation of each extreme
/// X, and the duality gap of each linear-functional SDP on the face. Positive infinity when a rank decision behind
/// the face had no clear gap or the face has no certified Slater point: then <see cref="FaceRank"/> and
/// <see cref="AffineDimension"/> are best guesses, not findings.
/// </param>
/// <param name="Extremes">The extreme completions found, n x n row-major: minimizer and maximizer of each functional.</param>
public sealed record OptimalSetProbe(int FaceRank, int AffineDimension, int Functionals, double Diameter,
    double ProbeAccuracy, IReadOnlyList<double[]> Extremes)
{
    /// <summary>Whether the optimal set is a single point by its dimension (see <see cref="AffineDimension"/>).</summary>
    public bool SinglePoint => AffineDimension == 0;
}

/// <summary>
/// The minimum nuclear-norm completion nearest a given matrix (see <see cref="OptimalCompletionSet.Nearest"/>).
/// </summary>
/// <param name="X">The nearest optimal completion found, n x n row-major: PSD and feasible up to rounding.</param>
/// <param name="Distance">
/// <c>||X - X_given||_F</c> for the returned X, which lies in the optimal set: an upper bound on the distance from
/// the given matrix to the optimal set (infinity when no feasible point could be certified, or when the returned X
/// misses the completion's certificate tolerance in equality residual, PSD violation or optimality gap).
/// </param>
/// <param name="DistanceLowerBound">
/// A lower bound on that distance from the dual of the projection problem; zero when a rank decision behind the
/// optimal face had no clear gap (the face might then miss part of the optimal set, and nothing better is certified).
/// </param>
/// <param name="EqualityResidual"><c>||P_Omega(X - Y)||_F / (1 + ||P_Omega(Y)||_F)</c> of the returned X.</param>
/// <param name="PsdViolation"><c>max(0, -lambda_min(X)) / (1 + ||X||_F)</c> of the returned X.</param>
/// <param name="OptimalityGap">
/// <c>|trace(X) - d| / (1 + |trace(X)| + |d|)</c> with d the certified dual objective of the completion: how close the
/// returned X is to the minimum trace.
/// </param>
/// <param name="AffineDimension">The dimension of the optimal set (see <see cref="OptimalSetProbe.AffineDimension"/>).</param>
/// <param name="Iterations">Semismooth Newton iterations.</param>
public sealed record NearestOptimalCompletion(double[] X, double Distance, double DistanceLowerBound, double EqualityResidual,
    double PsdViolation, double OptimalityGap, int AffineDimension, int Iterations)
{
    /// <summary>The width of the certified interval for the distance, <c>Distance - DistanceLowerBound</c>.</summary>
    public double Accuracy => Distance - DistanceLowerBound;
}

/// <summary>
/// Questions about the whole set of minimum nuclear-norm completions of a certified result: is it a single point,
/// and how far is a given matrix (gradient descent's X_GD, say) from its nearest member?
/// </summary>
/// <remarks>
/// Both work on the optimal face (see <see cref="OptimalFace"/>): the result's dual slack fixes the range every
/// optimal X must lie in, facial reduction makes that face well posed, and on it the optimal set is
/// <c>{ B W B^T : W PSD, observations hold }</c>. Measuring the distance to the result's X alone would measure the
/// distance to one arbitrary optimal point whenever the optimum is not unique.
/// </remarks>
public static class OptimalCompletionSet
{
    /// <summary>
    /// Probes whether the optimal set is a single point: computes its dimension, then minimizes and maximizes
    /// <paramref name="functionals"/> random linear functionals <c>&lt;G, X&gt;</c> (G symmetric Gaussian, drawn from
    /// <paramref name="seed"/>) over it and reports the largest distance between the points found.
    /// </summary>
    /// <param name="tolerance">Target of each probe SDP (its measures are reported in <see cref="OptimalSetProbe.ProbeAccuracy"/>).</param>
    /// <exception cref="InvalidOperationException">The result is not certified.</exception>
    public static OptimalSetProbe Probe(CompletionResult result, int functionals = 3, ulong seed = 1, double tolerance = 1e-10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(functionals);
        ArgumentNullException.ThrowIfNull(result);
        OptimalFace face = result.OptimalFace;
        int n = face.Problem.N, q = face.Q;
        var extremes = new List<double[]>();
        double accuracy = 0;
        var sampler = new NormalSampler(seed);
        var g = new double[n * n];
        var cost = new double[q * q];
        for (int f = 0; f < functionals; f++)
        {
            sampler.Fill(g);
            SquareMatrix.Symmetrize(g, n);
            SquareMatrix.Compress(face.Basis, n, q, g, cost);
            foreach (double sign in new[] { 1.0, -1.0 })
            {
                var signed = new double[q * q];
                for (int k = 0; k < q * q; k++) signed[k] = sign * cost[k];
                FaceSdpSolution solution = FaceSdp.Solve(face.Constraints, signed, tolerance, 200);
                double[] x = face.Lift(solution.Z);
                (double equality, double psd) = face.Residuals(x);
                accuracy = Math.Max(accuracy, Math.Max(solution.Worst, Math.Max(equality, psd)));
                extremes.Add(x);
            }
        }
        var points = new List<double[]>(extremes) { result.X };
        double diameter = 0;
        for (int a = 0; a < points.Count; a++)
            for (int b = 0; b < a; b++) diameter = Math.Max(diameter, Distance(points[a], points[b]));
        if (!face.Decided) accuracy = double.PositiveInfinity;
        return new OptimalSetProbe(q, face.AffineDimension, functionals, diameter, accuracy, extremes);
    }

    /// <summary>
    /// The minimum nuclear-norm completion nearest to <paramref name="x"/> (n x n row-major; its symmetric part is
    /// what matters, the antisymmetric part adds to every distance alike), with a certified interval for the distance.
    /// </summary>
    /// <param name="tolerance">Stopping tolerance of the semismooth Newton method on the projection's dual.</param>
    /// <exception cref="InvalidOperationException">The result is not certified.</exception>
    public static NearestOptimalCompletion Nearest(CompletionResult result, ReadOnlySpan<double> x, double tolerance = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(result);
        OptimalFace face = result.OptimalFace;
        int n = face.Problem.N, q = face.Q;
        if (x.Length != n * n) throw new ArgumentException($"X must be {n} x {n}.", nameof(x));
        double[] given = x.ToArray();
        var symmetric = (double[])given.Clone();
        SquareMatrix.Symmetrize(symmetric, n);
        var g = new double[q * q];
        SquareMatrix.Compress(face.Basis, n, q, symmetric, g);

        // The part of x outside the face is at the same distance from every member of the optimal set.
        double[] inFace = face.Lift(g);
        double outside2 = 0;
        for (int k = 0; k < n * n; k++) outside2 += (given[k] - inFace[k]) * (given[k] - inFace[k]);

        (double[] w, double lower2, double upper2, int iterations) = PsdAffineProjection.Project(face.Constraints, g, tolerance);
        double[] nearest = face.Lift(w);
        (double equality, double psd) = face.Residuals(nearest);
        double trace = 0;
        for (int i = 0; i < n; i++) trace += nearest[i * n + i];
        double optimalityGap = CompletionCertificate.RelativeDifference(trace, face.DualObjective);
        // The distance bounds the distance to the optimal set only if the point lies in it, to the accuracy the
        // completion itself was certified to.
        double limit = result.Certificate.Tolerance;
        bool member = !double.IsPositiveInfinity(upper2) && equality <= limit && psd <= limit && optimalityGap <= limit;
        double distance = member ? Distance(nearest, given) : double.PositiveInfinity;
        // Rounding can put the dual bound a few ulps above the achieved distance; the interval is kept ordered.
        double lower = face.Decided ? Math.Min(Math.Sqrt(lower2 + outside2), distance) : 0;
        return new NearestOptimalCompletion(nearest, distance, lower, equality, psd, optimalityGap, face.AffineDimension, iterations);
    }

    private static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++) sum += (a[k] - b[k]) * (a[k] - b[k]);
        return Math.Sqrt(sum);
    }
}
