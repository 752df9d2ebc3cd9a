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
/// <para>How: round one takes the observed entries as the known ones, enumerates every maximal clique of the
/// graph of known entries exactly (<see cref="MaximalCliques"/>, on the vertices whose diagonal is known) and
/// collects the null vectors of each block. Their components inside the current face are forced null directions
/// there; the face shrinks to their orthogonal complement. On the smaller face more entries may be determined:
/// the functional <c>X -&gt; X_ab</c> restricted to the face can lie in the span of the observed ones (tested by a
/// pivoted QR of the constraint matrices), and then <c>X_ab</c> is that combination of observed values. The known
/// entries grow, new cliques appear, and the rounds repeat until a round forces nothing new. This finds every
/// direction exposed by chains of fully known blocks; it does not search for general reducing certificates
/// (the auxiliary SDP of Borwein and Wolkowicz), so a problem can in principle keep a hidden lack of Slater
/// point, which the solver's certificate then reveals by not reaching its tolerance.</para>
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

    /// <summary>Reduces the completion problem; see the remarks for what is found and how ranks are decided.</summary>
    /// <exception cref="ArgumentException">A fully known block is not PSD, so no PSD completion exists.</exception>
    public static CompletionFace Reduce(CompletionProblem problem, double rankTolerance = DefaultRankTolerance)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!(rankTolerance > 0 && rankTolerance < 1)) throw new ArgumentOutOfRangeException(nameof(rankTolerance), "The rank tolerance must be in (0, 1).");
        int n = problem.N;
        var identity = new double[n * n];
        for (int i = 0; i < n; i++) identity[i * n + i] = 1;
        return Reduce(problem, identity, n, rankTolerance);
    }

    /// <summary>
    /// Reduces the completion problem restricted to the face spanned by the orthonormal n x r0 basis
    /// <paramref name="start"/> (used for the optimal face, which is a sub-face of the feasible one).
    /// </summary>
    internal static CompletionFace Reduce(CompletionProblem problem, double[] start, int r0, double rankTolerance)
    {
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
        var seenSingular = new HashSet<string>();
        int rounds = 0, determined = 0;
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

            var candidates = new List<double[]>();
            double noise = 0; // the largest angle error of a candidate
            foreach (int[] clique in MaximalCliques.Find(n, i => known[i * n + i], (i, j) => known[i * n + j]))
            {
                (List<double[]> nulls, double angle) = BlockNullVectors(clique, n, value, error, problem.LargestObserved, rankTolerance);
                if (nulls.Count == 0) continue;
                noise = Math.Max(noise, angle);
                candidates.AddRange(nulls);
                if (!seenSingular.Add(string.Join(",", clique))) continue;
                singular.Add(clique);
                if (clique.All(i => clique.All(j => problem.IsObserved(i, j)))) observedSingular.Add(clique);
            }
            if (candidates.Count == 0 || r == 0) break;

            // Components inside the face: w = P^T v; the forced directions of W are their span. A pivoted QR of
            // [w_1 .. w_k] measures each new direction's size to rounding level (a Gram matrix would square it):
            // pivots above NewDirection are new, and Q splits R^r into them and the face that is left. A computed
            // null vector is itself off by up to its angle error, and so are its components: pivots of that size
            // are rounding however the face lies, so the threshold is at least ten times the largest one.
            var components = new double[r * candidates.Count]; // column t holds w_t
            for (int t = 0; t < candidates.Count; t++)
            {
                double[] v = candidates[t];
                for (int i = 0; i < n; i++)
                {
                    if (v[i] == 0) continue;
                    for (int k = 0; k < r; k++) components[t * r + k] += basis[i * r + k] * v[i];
                }
            }
            PivotedQr split = PivotedQr.Factor(components, r, candidates.Count);
            int added = 0;
            double threshold = Math.Max(NewDirection, NoiseMargin * noise);
            while (added < split.Steps && split.PivotMagnitude(added) > threshold) added++;
            if (added == 0) break;
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
        return new CompletionFace(n, r, basis, forced, singular, observedSingular, rounds, determined, rankTolerance);
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
                $"The known block on rows {{{string.Join(", ", clique)}}} is not positive semidefinite (smallest eigenvalue {eigenvalues[0]:E3}), so no PSD completion exists."));
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
