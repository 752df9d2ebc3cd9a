using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// Facial reduction for PSD completion: finds directions that every PSD X with <c>X_ij = Y_ij</c> on Omega must
/// annihilate, and the face <c>X = P W P^T</c> that is left.
/// </summary>
/// <remarks>
/// <para>Why: if a principal block <c>Y_CC</c> is fully known (C a clique of known off-diagonal entries whose
/// diagonal entries are known too) and singular, with <c>Y_CC v = 0</c>, then every feasible X has
/// <c>X_CC = Y_CC</c> and <c>v^T X_CC v = 0</c>; X PSD forces <c>X v = 0</c> (v extended by zeros). No feasible X is
/// positive definite, so the SDP has no Slater point; on the face orthogonal to every such v it has one again.</para>
/// <para>How: round one takes the observed entries as the known ones, enumerates the maximal cliques of the
/// graph of known entries (<see cref="MaximalCliques"/>, on the vertices whose diagonal is known) and
/// collects the null vectors of each block. Their components inside the current face are forced null directions
/// there; the face shrinks to their orthogonal complement. On the smaller face more entries may be determined:
/// the functional <c>X -&gt; X_ab</c> restricted to the face can lie in the span of the observed ones (tested by a
/// pivoted QR of the constraint matrices), and then <c>X_ab</c> is that combination of observed values. The known
/// entries grow, new cliques appear, and the rounds repeat until a round forces nothing new. This finds every
/// direction exposed by chains of fully known blocks; it does not search for general reducing certificates
/// (the auxiliary SDP of Borwein and Wolkowicz), so a problem can in principle keep a hidden lack of Slater
/// point, which the solver's certificate then reveals by not reaching its tolerance.</para>
/// <para>Bounded search: a dense pattern has astronomically many maximal cliques (about 10^9 at D = 100 with 95 %
/// observed; deciding whether any block is singular is as hard as finding a clique of size rank + 1), so a
/// round need not list them all. Every feasible X annihilates the forced vectors, so within the face their components
/// span at most <c>t - rank(Y_CC)</c> dimensions for every known block C, with t the rank of the face basis's rows on
/// the known diagonal; once the directions found reach that, they are all a complete enumeration could find, and the
/// round stops (<see cref="SingularBlockSearch.Saturated"/>). Since the enumeration is depth first and its early
/// cliques crowd into one corner of the graph, a round that has spent <see cref="SearchLimits.CoverAfter"/> first grows
/// one clique around every row not yet in a singular block, which in a dense pattern reaches that bound at once.
/// The components are held in bounded memory (<see cref="ForcedComponents"/>), and a round that can not prove the
/// bound within <see cref="SearchLimits.Work"/> stops there (<see cref="SingularBlockSearch.Truncated"/>): every
/// direction it found is forced, but the face may be larger than a complete search would leave. A round that
/// finishes its enumeration before it spends <see cref="SearchLimits.CoverAfter"/> or holds
/// <see cref="SearchLimits.CompressAbove"/> doubles of components is the complete enumeration, bit for bit.</para>
/// <para>Rank decisions (stated, relative): an eigenvalue of a known block counts as zero when it is at most
/// <c>rankTolerance</c> times the block's largest eigenvalue, or when the block's largest eigenvalue is itself at
/// most <c>rankTolerance</c> times the largest observed |Y_ij|. An eigenvalue below minus that threshold means the
/// block is not PSD, so no PSD completion exists. A new direction counts when a pivot of the QR of the forced
/// (unit) vectors' components in the current face exceeds 1e-10 and ten times the angle error of the computed
/// null vectors (their block's perturbation over its smallest kept eigenvalue, Davis and Kahan): a component is
/// either genuinely there or rounding, ignoring a real one would leave the face slightly off, and taking a rounding
/// one (a block with a tiny but nonzero eigenvalue has null vectors accurate only to about 1e-16 over that
/// eigenvalue) would cut away part of the face. An entry counts as determined when its
/// functional is within 1e-9 (relative) of the span of the observed ones' well-conditioned part (pivots above
/// 1e-6 of the largest); its rounding error is bounded from that conditioning, and a block holding determined
/// entries widens its zero threshold by the Frobenius norm of those bounds (Weyl's inequality), so inexact
/// values can not fake or hide a null vector.</para>
/// </remarks>
public static class FacialReduction
{
    /// <summary>The default relative eigenvalue threshold of the rank decisions.</summary>
    public const double DefaultRankTolerance = 1e-10;

    /// <summary>Relative pivot threshold of the QR that picks independent constraints and tests determined entries.</summary>
    internal const double IndependenceTolerance = 1e-9;

    /// <summary>
    /// A forced vector's component inside the current face is a new direction when its norm exceeds this: well
    /// above the rounding in a computed null vector, far below any component that matters.
    /// </summary>
    private const double NewDirection = 1e-10;

    /// <summary>How many times a candidate's angle error a pivot must exceed to count as a new direction.</summary>
    private const double NoiseMargin = 10;

    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Relative pivot threshold of the pivots that may determine an entry (see <see cref="Determine"/>).</summary>
    private const double DeterminationConditioning = 1e-6;

    /// <summary>
    /// A determined entry's rounding error is taken as this times machine epsilon times the conditioning of the
    /// pivots used times the sum of the magnitudes combined: a generous version of the backward-error bound.
    /// </summary>
    private const double ErrorGrowth = 16 * 2.220446049250313e-16;

    /// <summary>Above this many multiply-adds the search for determined entries (rounds after the first) is skipped.</summary>
    private const double MaxDeterminationWork = 4e8;

    /// <summary>Multiply-adds counted for the eigendecomposition of a c x c block, per c^3.</summary>
    private const double EigenWork = 10;

    /// <summary>Reduces the completion problem; see the remarks for what is found and how ranks are decided.</summary>
    /// <exception cref="ArgumentException">A fully known block is not PSD, so no PSD completion exists.</exception>
    public static CompletionFace Reduce(CompletionProblem problem, double rankTolerance = DefaultRankTolerance) =>
        Reduce(problem, rankTolerance, SearchLimits.Default);

    /// <inheritdoc cref="Reduce(CompletionProblem, double)"/>
    internal static CompletionFace Reduce(CompletionProblem problem, double rankTolerance, SearchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!(rankTolerance > 0 && rankTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(rankTolerance), "The rank tolerance must be in (0, 1).");
        int n = problem.N;
        var identity = new double[n * n];
        for (int i = 0; i < n; i++) identity[i * n + i] = 1;
        return Reduce(problem, identity, n, rankTolerance, limits);
    }

    /// <summary>
    /// How much work the search for singular blocks may take (see the remarks of <see cref="FacialReduction"/>); the
    /// tests lower them to reach every stage on small problems.
    /// </summary>
    /// <param name="Work">
    /// The work (word operations of the clique search, multiply-adds of the blocks' eigendecompositions, of the
    /// components and of their folding) after which one reduction stops searching: 2e10, about ten seconds on a 2020s
    /// core. At D = 400 with 95 % observed and rank 100 (no block singular, so nothing saturates) the search stops there
    /// and the whole solve took 14 s; every rank-2 pattern measured from D = 100 to 400 saturated after at most 7e9.
    /// </param>
    /// <param name="CoverAfter">
    /// The work after which the enumeration is interrupted once to grow a clique around every row not yet covered:
    /// 1e8, above the 4e7 the largest default-fraction pattern that enumerated completely before (D = 100, 60 % observed)
    /// spent, so those results are exactly the complete enumeration's.
    /// </param>
    /// <param name="CompressAbove">The doubles of raw components held before they are folded (<see cref="ForcedComponents"/>).</param>
    internal sealed record SearchLimits(double Work, double CoverAfter, int CompressAbove)
    {
        public static SearchLimits Default { get; } = new(2e10, 1e8, 1 << 22);
    }

    /// <summary>
    /// Reduces the completion problem restricted to the face spanned by the orthonormal n x r0 basis
    /// <paramref name="start"/> (used for the optimal face, which is a sub-face of the feasible one).
    /// </summary>
    internal static CompletionFace Reduce(CompletionProblem problem, double[] start, int r0, double rankTolerance, SearchLimits? limits = null)
    {
        limits ??= SearchLimits.Default;
        int n = problem.N;
        var value = new double[n * n];
        var known = new bool[n * n];
        var error = new double[n * n]; // bound on the rounding error of a determined entry (zero when observed)
        foreach ((int i, int j) in problem.Pairs)
        {
            known[i * n + j] = known[j * n + i] = true;
            value[i * n + j] = value[j * n + i] = problem.ValueAt(i, j);
        }
        double[] basis = start;
        int r = r0;
        var forced = new List<double[]>();
        var singular = new List<int[]>();
        var observedSingular = new List<int[]>();
        var seenSingular = new HashSet<int[]>(SameRows.Instance);
        var budget = new WorkBudget(limits.Work);
        var search = SingularBlockSearch.Complete;
        int rounds = 0, determined = 0, observedDirections = 0;
        bool fullSpace = r0 == n && IsIdentity(start, n);
        bool determine = !fullSpace;
        while (true)
        {
            if (determine)
            {
                int found = Determine(problem, basis, r, known, value, error);
                if (found < 0) break; // too large to search
                determined += found;
                if (found == 0 && rounds > 0) break;
            }
            determine = true;

            var round = new Round(problem, basis, r, known, value, error, rankTolerance, limits, budget, seenSingular, singular, observedSingular);
            SingularBlockSearch outcome = round.Search();
            if (outcome > search) search = outcome;
            ForcedComponents components = round.Components;
            double noise = round.Noise;
            if (components.Count == 0 || r == 0) break;

            // Components inside the face: w = P^T v; the forced directions of W are their span. A pivoted QR of
            // [w_1 .. w_k] measures each new direction's size to rounding level (a Gram matrix would square it):
            // pivots above NewDirection are new, and Q splits R^r into them and the face that is left. A computed
            // null vector is itself off by up to its angle error, and so are its components: pivots of that size
            // are rounding however the face lies, so the threshold is at least ten times the largest one.
            PivotedQr split = components.Factor();
            int added = 0;
            double threshold = Math.Max(NewDirection, NoiseMargin * noise);
            while (added < split.Steps && split.PivotMagnitude(added) > threshold) added++;
            if (added == 0) break;
            if (rounds == 0 && fullSpace) observedDirections = added;
            int keep = r - added;
            var next = new double[n * keep];
            var unit = new double[r];
            for (int t = 0; t < r; t++)
            {
                Array.Clear(unit);
                unit[t] = 1;
                split.ApplyQ(unit); // column t of Q
                var direction = new double[n];
                for (int i = 0; i < n; i++)
                {
                    double sum = 0;
                    for (int k = 0; k < r; k++) sum += basis[i * r + k] * unit[k];
                    direction[i] = sum;
                }
                if (t < added) forced.Add(direction);
                else
                    for (int i = 0; i < n; i++) next[i * keep + t - added] = direction[i];
            }
            basis = next;
            r = keep;
            rounds++;
        }
        return new CompletionFace(n, r, basis, forced, singular, observedSingular, rounds, determined, rankTolerance, search, observedDirections);
    }

    /// <summary>
    /// One round's search for singular blocks: the maximal cliques of the known entries, their blocks' null vectors
    /// as components inside the face, and the lists of singular blocks (see the remarks of <see cref="FacialReduction"/>).
    /// </summary>
    private sealed class Round(CompletionProblem problem, double[] basis, int r, bool[] known, double[] value, double[] error,
        double rankTolerance, SearchLimits limits, WorkBudget budget, HashSet<int[]> seenSingular, List<int[]> singular, List<int[]> observedSingular)
    {
        private readonly int _n = problem.N;
        private readonly bool[] _covered = new bool[problem.N];
        private readonly List<int> _coverOrder = [];
        private int _largestRank, _rowRank = -1;

        public ForcedComponents Components { get; } = new(r, limits.CompressAbove);

        /// <summary>The largest angle error of a candidate null vector.</summary>
        public double Noise { get; private set; }

        /// <summary>Enumerates the cliques until every one is examined, the directions found saturate, or the budget is spent.</summary>
        public SingularBlockSearch Search()
        {
            int n = _n;
            var graph = new MaximalCliques.Graph(n, i => known[i * n + i], (i, j) => known[i * n + j], budget);
            bool coverTried = false, saturated = false;
            bool complete = graph.Enumerate(clique =>
            {
                Examine(clique);
                if (!coverTried && (Components.Full || budget.Spent > limits.CoverAfter))
                {
                    coverTried = true;
                    saturated = Saturated();
                    if (!saturated)
                    {
                        Cover(graph);
                        saturated = Saturated();
                    }
                    return !saturated;
                }
                if (Components.Full) saturated = Saturated();
                return !saturated;
            }, budget);
            return complete ? SingularBlockSearch.Complete : saturated ? SingularBlockSearch.Saturated : SingularBlockSearch.Truncated;
        }

        /// <summary>Adds the null vectors of the known block on a clique to the candidates, and the block to the lists.</summary>
        private void Examine(int[] clique)
        {
            int c = clique.Length;
            budget.Spend(EigenWork * c * c * c);
            (List<double[]> nulls, double angle) = BlockNullVectors(clique, _n, value, error, problem.LargestObserved, rankTolerance);
            _largestRank = Math.Max(_largestRank, c - nulls.Count);
            if (nulls.Count == 0) return;
            Noise = Math.Max(Noise, angle);
            budget.Spend((double)nulls.Count * c * r);
            foreach (double[] v in nulls) Components.Add(v, basis, _n);
            foreach (int i in clique)
                if (!_covered[i])
                {
                    _covered[i] = true;
                    _coverOrder.Add(i);
                }
            if (!seenSingular.Add(clique)) return;
            singular.Add(clique);
            if (clique.All(i => clique.All(j => problem.IsObserved(i, j)))) observedSingular.Add(clique);
        }

        /// <summary>
        /// Grows a clique around every row not yet in a singular block, taking the rows already covered first, in the
        /// order they were covered, until a pass covers nothing new.
        /// </summary>
        /// <remarks>
        /// The enumeration goes depth first, so its first millions of cliques can all lie in one corner of the graph.
        /// In a dense pattern a clique grown this way overlaps the earlier ones in more rows than the blocks' rank, so
        /// the null vectors of the overlapping blocks chain into every dependency among the rows covered, which is what
        /// <see cref="Saturated"/> asks for.
        /// </remarks>
        private void Cover(MaximalCliques.Graph graph)
        {
            var grown = new HashSet<int[]>(SameRows.Instance);
            bool grew = true;
            while (grew && !budget.Exhausted)
            {
                grew = false;
                foreach (int v in graph.Vertices)
                {
                    if (_covered[v] || budget.Exhausted) continue;
                    int[] clique = graph.Grow(v, _coverOrder, budget);
                    if (grown.Add(clique)) Examine(clique);
                    grew |= _covered[v];
                }
            }
        }

        /// <summary>
        /// Whether the directions found are all that any block can force: every feasible <c>X = P W P^T</c> annihilates
        /// the forced vectors, so their components lie in the null space of W within the span of P's rows on the known
        /// diagonal (dimension rowRank), which has dimension at most <c>rowRank - rank(X_CC)</c> for every clique C.
        /// Once the new directions (counted as the round counts them) reach that, no block can add one, and the rest of
        /// the enumeration would only list more blocks.
        /// </summary>
        private bool Saturated()
        {
            if (_rowRank < 0) _rowRank = RowRank(basis, _n, r, known);
            int bound = _rowRank - _largestRank;
            return bound <= 0 || Components.RankAbove(Math.Max(NewDirection, NoiseMargin * Noise), budget) >= bound;
        }
    }

    /// <summary>
    /// The rank of the rows of the n x r <paramref name="basis"/> on the known diagonal (pivots above 1e-12, below any
    /// component a new direction can have): the dimension of the space the forced components live in.
    /// </summary>
    private static int RowRank(double[] basis, int n, int r, bool[] known)
    {
        var rows = new List<int>();
        for (int i = 0; i < n; i++)
            if (known[i * n + i]) rows.Add(i);
        if (r == 0 || rows.Count == 0) return 0;
        var columns = new double[r * rows.Count]; // column t holds row rows[t] of the basis
        for (int t = 0; t < rows.Count; t++) basis.AsSpan(rows[t] * r, r).CopyTo(columns.AsSpan(t * r, r));
        PivotedQr qr = PivotedQr.Factor(columns, r, rows.Count);
        int rank = 0;
        while (rank < qr.Steps && qr.PivotMagnitude(rank) > 1e-12) rank++;
        return rank;
    }

    /// <summary>Cliques as sets of rows: equal when they hold the same (sorted) rows.</summary>
    private sealed class SameRows : IEqualityComparer<int[]>
    {
        public static SameRows Instance { get; } = new();

        public bool Equals(int[]? a, int[]? b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b);

        public int GetHashCode(int[] rows)
        {
            var hash = new HashCode();
            foreach (int i in rows) hash.Add(i);
            return hash.ToHashCode();
        }
    }

    /// <summary>
    /// The null vectors (extended to length n) of the known block on <paramref name="clique"/>, and a bound on
    /// the angle between their span and the exact null space: the block is within <c>e</c> (the largest
    /// eigenvalue taken as zero, the entries' error bound, or rounding, whichever is largest) of a matrix with
    /// that null space, so by Davis and Kahan the angle is at most <c>e / (g - e)</c> with g the smallest
    /// eigenvalue kept.
    /// </summary>
    private static (List<double[]> Nulls, double Angle) BlockNullVectors(int[] clique, int n, double[] value, double[] error,
        double scale, double rankTolerance)
    {
        int c = clique.Length;
        var block = new double[c * c];
        double uncertainty2 = 0;
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
            {
                block[a * c + b] = value[clique[a] * n + clique[b]];
                uncertainty2 += error[clique[a] * n + clique[b]] * error[clique[a] * n + clique[b]];
            }
        (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(block, c);
        double largest = Math.Max(eigenvalues[c - 1], 0);
        // Weyl: errors E in the entries move each eigenvalue by at most ||E||_F.
        double threshold = (largest <= rankTolerance * scale ? Math.Max(largest, rankTolerance * scale) : rankTolerance * largest)
            + Math.Sqrt(uncertainty2);
        if (eigenvalues[0] < -threshold)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The known block on rows {{{string.Join(", ", clique)}}} is not positive semidefinite (smallest eigenvalue {eigenvalues[0]:0.000e+0}), so no PSD completion exists."));
        var nulls = new List<double[]>();
        double perturbation = Math.Max(Math.Sqrt(uncertainty2), c * MachineEpsilon * Math.Max(largest, Math.Abs(eigenvalues[0])));
        int t0 = 0;
        for (; t0 < c && eigenvalues[t0] <= threshold; t0++)
        {
            var v = new double[n];
            for (int a = 0; a < c; a++) v[clique[a]] = vectors[a * c + t0];
            nulls.Add(v);
            perturbation = Math.Max(perturbation, Math.Abs(eigenvalues[t0]));
        }
        double angle = t0 == c ? 0 : perturbation / Math.Max(eigenvalues[t0] - perturbation, perturbation);
        return (nulls, Math.Min(angle, 1));
    }

    /// <summary>
    /// Marks as known every unknown entry that the face determines and stores its value; returns how many were
    /// found, or -1 when the search would be too large.
    /// </summary>
    private static int Determine(CompletionProblem problem, double[] basis, int r, bool[] known, double[] value, double[] error)
    {
        int n = problem.N;
        var pairs = new List<(int, int, double)>();
        foreach ((int i, int j) in problem.Pairs) pairs.Add((i, j, problem.ValueAt(i, j)));
        FaceConstraints constraints = FaceConstraints.Create(basis, n, r, pairs);
        int d = constraints.SvecLength;
        int unknown = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                if (!known[i * n + j]) unknown++;
        if ((double)d * constraints.Count * (constraints.Count + unknown) > MaxDeterminationWork) return -1;
        if (constraints.Count == 0) return 0;

        // Only the well-conditioned pivots may determine an entry: through a pivot of relative size p the value's
        // rounding error grows like 1 / p, and a block built from inaccurate entries would get wrong rank decisions.
        PivotedQr qr = PivotedQr.Factor(constraints.SvecColumns(), d, constraints.Count);
        int rank = qr.RankFor(DeterminationConditioning);
        double conditioning = rank == 0 ? 1 : qr.PivotMagnitude(0) / qr.PivotMagnitude(rank - 1);
        var f = new double[d];
        int found = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b <= a; b++)
            {
                if (known[a * n + b]) continue;
                double c = a == b ? 0.5 : 1 / Math.Sqrt(2);
                constraints.Svec(a, b, c, f);
                double norm = SquareMatrix.FrobeniusNorm(f);
                double entry, bound = 0;
                if (norm <= 1e-14)
                    entry = 0; // rows a or b of the basis vanish: the entry is zero on the face
                else
                {
                    qr.ApplyQTranspose(f);
                    double outside = SquareMatrix.FrobeniusNorm(f.AsSpan(rank));
                    if (outside > IndependenceTolerance * norm) continue;
                    qr.SolveUpper(rank, f);
                    double combination = 0, magnitude = 0;
                    for (int k = 0; k < rank; k++)
                    {
                        double term = f[k] * constraints.Rhs[qr.Permutation[k]];
                        combination += term;
                        magnitude += Math.Abs(term);
                    }
                    entry = combination / (2 * c);
                    bound = ErrorGrowth * conditioning * magnitude / (2 * c);
                }
                known[a * n + b] = known[b * n + a] = true;
                value[a * n + b] = value[b * n + a] = entry;
                error[a * n + b] = error[b * n + a] = bound;
                found++;
            }
        return found;
    }

    internal static bool IsIdentity(double[] basis, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (basis[i * n + j] != (i == j ? 1 : 0)) return false;
        return true;
    }
}
