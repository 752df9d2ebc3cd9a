using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The set of minimum nuclear-norm completions of a certified result, as a face of the PSD cone:
/// <c>{ X = B W B^T : W PSD, X_ij = Y_ij on Omega }</c>, with B (n x q) an orthonormal basis found from the dual slack.
/// </summary>
/// <remarks>
/// <para>Why this is the optimal set: for the certified dual slack S (PSD on the face P) every optimal X has
/// <c>&lt;P^T X P, S&gt; = trace(X) - dual objective = 0</c>, and two PSD matrices with zero inner product have
/// orthogonal ranges, so the optimal X are exactly the feasible <c>X = P U W U^T P^T</c> with U a basis of the null
/// space of the optimal slack. That null space is decided from the pair (X, S) by
/// <see cref="ComplementarityPartition"/>: a direction is left out only when S clearly dominates X along it (by
/// the partition's margin, at the certificate's accuracy), so the face kept contains the optimal set.</para>
/// <para>Slater's condition on that face decides what comes next. When every direction was decided and the
/// result's own X is positive definite on the face (strict complementarity), X is a Slater point and the face is
/// minimal: nothing is reduced. Otherwise (strict complementarity fails, or the pair could not tell) facial
/// reduction runs from <c>B0 = P U</c> (<see cref="FacialReduction"/>), which removes only directions that a
/// singular known block certifies; if X is still not positive definite on what is left, the face is reported as
/// undecided (<see cref="Decided"/>).</para>
/// <para>The observations then become constraints on W, and their rank is a second decision: the basis is only as
/// accurate as the slack's null space, whose angle to the exact one is at most its residual over the slack's gap
/// (Davis and Kahan), so a constraint that is exactly dependent on the exact face shows a pivot of that order on
/// the computed one. Pivots below that noise count as dependent, pivots above <see cref="ComplementarityPartition.Margin"/>
/// times it as independent, and a pivot in between leaves the dimension undecided. With Slater's condition on the
/// face, the optimal set is a convex body of dimension <see cref="AffineDimension"/> = q (q + 1) / 2 minus the
/// number of independent constraints: zero means a single point.</para>
/// </remarks>
internal sealed class OptimalFace
{
    /// <summary>No QR pivot is resolved below this (relative to the largest): the rounding floor of the factorization.</summary>
    private const double RoundingPivot = 1e-13;

    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// The most numbers the observations may take as constraints on the optimal face (q (q + 1) / 2 per observed pair;
    /// the QR that picks the independent ones copies them, and the probe's interior-point solves work on them): 2^26.
    /// At D = 400 with 95 % observed and rank 40 (q = 40: 820 x 76,190 = 6.2e7 numbers) the face took 31 s with a peak
    /// of 1.9 GB; q = 60 there would take more than twice the memory and, as the QR costs about q^4 m / 4 flops, five
    /// times the time.
    /// </summary>
    internal const double MaxConstraintNumbers = 1 << 26;

    private OptimalFace(CompletionProblem problem, double[] basis, int q, FaceConstraints constraints, double trace,
        double dualObjective, bool decided)
    {
        Problem = problem;
        Basis = basis;
        Q = q;
        Constraints = constraints;
        AffineDimension = q * (q + 1) / 2 - constraints.Count;
        Trace = trace;
        DualObjective = dualObjective;
        Decided = decided;
    }

    public CompletionProblem Problem { get; }

    /// <summary>B, n x q row-major, orthonormal columns.</summary>
    public double[] Basis { get; }

    public int Q { get; }

    /// <summary>Independent observations as constraints on W.</summary>
    public FaceConstraints Constraints { get; }

    public int AffineDimension { get; }

    /// <summary>The certified minimum trace and dual objective of the result.</summary>
    public double Trace { get; }
    public double DualObjective { get; }

    /// <summary>
    /// Whether every rank decision had a clear gap and the face has a Slater point (the result's X); when false,
    /// <see cref="Q"/> and <see cref="AffineDimension"/> are best guesses that nothing certifies.
    /// </summary>
    public bool Decided { get; }

    /// <exception cref="InvalidOperationException">The result is not certified.</exception>
    /// <exception cref="OptimalSetTooLargeException">The observations as constraints on the face would take too much memory.</exception>
    public static OptimalFace Of(CompletionResult result, double maxConstraintNumbers = MaxConstraintNumbers)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Certificate.Certified)
            throw new InvalidOperationException("The optimal set can only be described from a certified completion.");
        CompletionProblem problem = result.Problem;
        CompletionFace face = result.Face;
        int n = problem.N, r = face.Dimension;
        double accuracy = result.Certificate.WorstRelativeMeasure;
        var z = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, result.X, z);
        var s = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, result.FaceLambda, s);
        for (int k = 0; k < r * r; k++) s[k] = -s[k];
        for (int i = 0; i < r; i++) s[i * r + i] += 1;

        ComplementarityPartition partition = ComplementarityPartition.Of(z, s, r, accuracy);
        var columns = new List<int>(partition.Range);
        columns.AddRange(partition.Undecided);
        columns.Sort();
        int q0 = columns.Count;
        var start = new double[n * q0];
        SquareMatrix.MultiplyRectangular(face.Basis, partition.Columns(columns), start, n, r, q0);

        // X is a Slater point of the face when it is positive definite there by more than its own accuracy.
        double slaterLevel = ComplementarityPartition.Margin * Math.Max(accuracy, MachineEpsilon)
            * (1 + SquareMatrix.FrobeniusNorm(result.X));
        double[] basis = start;
        int q = q0;
        bool slater = partition.Decided && SmallestEigenvalueOn(result.X, start, n, q0) > slaterLevel;
        if (!slater)
        {
            // The entries that the face determines are combinations of observed ones through its basis; when that
            // basis is too inaccurate they can make a known block indefinite, which for this face means only that
            // the reduction has nothing trustworthy to say, so the face is kept as it is, undecided.
            try
            {
                CompletionFace optimal = FacialReduction.Reduce(problem, start, q0, face.RankTolerance);
                (basis, q) = (optimal.Basis, optimal.Dimension);
                slater = SmallestEigenvalueOn(result.X, basis, n, q) > slaterLevel;
            }
            catch (ArgumentException)
            {
                slater = false;
            }
        }

        if ((double)q * (q + 1) / 2 * problem.Pairs.Count > maxConstraintNumbers)
            throw new OptimalSetTooLargeException(q, problem.Pairs.Count, maxConstraintNumbers);

        // How far the computed null space of S can be from the exact one: its S-eigenvalues (zero for the exact
        // slack) or the slack's accuracy, over the gap to the eigenvalues of the directions left out.
        double residual = accuracy * (1 + SquareMatrix.FrobeniusNorm(s)), gap = double.PositiveInfinity;
        foreach (int t in columns) residual = Math.Max(residual, Math.Abs(partition.SlackEigenvalues[t]));
        foreach (int t in partition.SlackRange) gap = Math.Min(gap, partition.SlackEigenvalues[t]);
        double angle = double.IsPositiveInfinity(gap) ? 0 : residual / gap;

        (FaceConstraints constraints, bool clear) = IndependentOnFace(problem, basis, q, angle);
        return new OptimalFace(problem, basis, q, constraints, result.Certificate.PrimalObjective,
            result.Certificate.FaceDualObjective, slater && clear);
    }

    /// <summary>
    /// The observations as constraints on the face B, reduced to an independent subset by a pivoted QR whose rank
    /// is decided against the noise that an error of <paramref name="angle"/> in B puts into the pivots; false when
    /// a pivot lies within the margin above that noise.
    /// </summary>
    private static (FaceConstraints Constraints, bool Clear) IndependentOnFace(CompletionProblem problem, double[] basis, int q, double angle)
    {
        var pairs = new List<(int, int, double)>();
        foreach ((int i, int j) in problem.Pairs) pairs.Add((i, j, problem.ValueAt(i, j)));
        FaceConstraints all = FaceConstraints.Create(basis, problem.N, q, pairs);
        if (all.Count == 0 || q == 0) return (all.Select([]), true);
        PivotedQr qr = PivotedQr.Factor(all.SvecColumns(), all.SvecLength, all.Count);
        double first = qr.PivotMagnitude(0);
        if (first == 0) return (all.Select([]), true);
        // Rows of B off by at most the angle move each constraint column by at most twice that, so an exactly
        // dependent column keeps a pivot of at most the perturbation's Frobenius norm.
        double noise = Math.Max(2 * angle * Math.Sqrt(all.Count) / first, RoundingPivot);
        int rank = qr.RankFor(ComplementarityPartition.Margin * noise);
        bool clear = rank == qr.Steps || qr.PivotMagnitude(rank) <= noise * first;
        var keep = new int[rank];
        for (int k = 0; k < rank; k++) keep[k] = qr.Permutation[k];
        Array.Sort(keep);
        return (all.Select(keep), clear);
    }

    /// <summary>The smallest eigenvalue of <c>B^T X B</c> (infinity for an empty face).</summary>
    private static double SmallestEigenvalueOn(double[] x, double[] basis, int n, int q)
    {
        if (q == 0) return double.PositiveInfinity;
        var w = new double[q * q];
        SquareMatrix.Compress(basis, n, q, x, w);
        return SymmetricEigenSolver.Of(w, q).Eigenvalues[0];
    }

    /// <summary><c>X = B W B^T</c> (n x n).</summary>
    public double[] Lift(double[] w)
    {
        int n = Problem.N;
        var x = new double[n * n];
        SquareMatrix.Congruence(Basis, n, Q, w, x);
        return x;
    }

    /// <summary>The relative equality residual on Omega and PSD violation of an n x n X, as in the certificate.</summary>
    public (double Equality, double Psd) Residuals(double[] x)
    {
        int n = Problem.N;
        ReadOnlySpan<bool> observed = Problem.Observed;
        ReadOnlySpan<double> y = Problem.Y;
        double equality2 = 0;
        for (int k = 0; k < n * n; k++)
            if (observed[k]) equality2 += (x[k] - y[k]) * (x[k] - y[k]);
        double psd = n == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(x, n).Eigenvalues[0]) / (1 + SquareMatrix.FrobeniusNorm(x));
        return (Math.Sqrt(equality2) / (1 + Problem.ObservedNorm), psd);
    }
}
