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
/// block is not PSD, so no PSD completion exists. A new direction counts when its component in the current face
/// has norm above <c>sqrt(rankTolerance)</c> (eigenvalues of the Gram matrix of the components above
/// <c>rankTolerance</c>). An entry counts as determined when its functional is within <c>1e-9</c> (relative) of
/// the span of the observed ones.</para>
/// </remarks>
public static class FacialReduction
{
    /// <summary>The default relative eigenvalue threshold of the rank decisions.</summary>
    public const double DefaultRankTolerance = 1e-10;

    /// <summary>Relative pivot threshold of the QR that picks independent constraints and tests determined entries.</summary>
    internal const double IndependenceTolerance = 1e-9;

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
        foreach ((int i, int j) in problem.Pairs)
        {
            known[i * n + j] = known[j * n + i] = true;
            value[i * n + j] = value[j * n + i] = problem.ValueAt(i, j);
        }
        double[] basis = start;
        int r = r0;
        var forced = new List<double[]>();
        var singular = new List<int[]>();
        var seenSingular = new HashSet<string>();
        int rounds = 0, determined = 0;
        bool fullSpace = r0 == n && IsIdentity(start, n);
        bool determine = !fullSpace;
        while (true)
        {
            if (determine)
            {
                int found = Determine(problem, basis, r, known, value);
                if (found < 0) break; // too large to search
                determined += found;
                if (found == 0 && rounds > 0) break;
            }
            determine = true;

            var candidates = new List<double[]>();
            foreach (int[] clique in MaximalCliques.Find(n, i => known[i * n + i], (i, j) => known[i * n + j]))
            {
                List<double[]> nulls = BlockNullVectors(clique, n, value, problem.LargestObserved, rankTolerance);
                if (nulls.Count == 0) continue;
                candidates.AddRange(nulls);
                if (seenSingular.Add(string.Join(",", clique))) singular.Add(clique);
            }
            if (candidates.Count == 0 || r == 0) break;

            // Components inside the face: w = P^T v; the forced directions of W are their span.
            var gram = new double[r * r];
            var w = new double[r];
            foreach (double[] v in candidates)
            {
                Array.Clear(w);
                for (int i = 0; i < n; i++)
                {
                    if (v[i] == 0) continue;
                    for (int k = 0; k < r; k++) w[k] += basis[i * r + k] * v[i];
                }
                for (int p = 0; p < r; p++)
                    for (int q = 0; q < r; q++) gram[p * r + q] += w[p] * w[q];
            }
            (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(gram, r);
            int keep = 0;
            while (keep < r && eigenvalues[keep] <= rankTolerance) keep++;
            if (keep == r) break;

            // New basis P E_keep; the forced vectors are P E_new.
            var next = new double[n * keep];
            for (int i = 0; i < n; i++)
                for (int t = 0; t < keep; t++)
                {
                    double sum = 0;
                    for (int k = 0; k < r; k++) sum += basis[i * r + k] * vectors[k * r + t];
                    next[i * keep + t] = sum;
                }
            for (int t = keep; t < r; t++)
            {
                var direction = new double[n];
                for (int i = 0; i < n; i++)
                {
                    double sum = 0;
                    for (int k = 0; k < r; k++) sum += basis[i * r + k] * vectors[k * r + t];
                    direction[i] = sum;
                }
                forced.Add(direction);
            }
            basis = next;
            r = keep;
            rounds++;
        }
        return new CompletionFace(n, r, basis, forced, singular, rounds, determined, rankTolerance);
    }

    /// <summary>The null vectors (extended to length n) of the known block on <paramref name="clique"/>.</summary>
    private static List<double[]> BlockNullVectors(int[] clique, int n, double[] value, double scale, double rankTolerance)
    {
        int c = clique.Length;
        var block = new double[c * c];
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++) block[a * c + b] = value[clique[a] * n + clique[b]];
        (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(block, c);
        double largest = Math.Max(eigenvalues[c - 1], 0);
        double threshold = largest <= rankTolerance * scale ? Math.Max(largest, rankTolerance * scale) : rankTolerance * largest;
        if (eigenvalues[0] < -threshold)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The known block on rows {{{string.Join(", ", clique)}}} is not positive semidefinite (smallest eigenvalue {eigenvalues[0]:E3}), so no PSD completion exists."));
        var nulls = new List<double[]>();
        for (int t = 0; t < c && eigenvalues[t] <= threshold; t++)
        {
            var v = new double[n];
            for (int a = 0; a < c; a++) v[clique[a]] = vectors[a * c + t];
            nulls.Add(v);
        }
        return nulls;
    }

    /// <summary>
    /// Marks as known every unknown entry that the face determines and stores its value; returns how many were
    /// found, or -1 when the search would be too large.
    /// </summary>
    private static int Determine(CompletionProblem problem, double[] basis, int r, bool[] known, double[] value)
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

        PivotedQr qr = PivotedQr.Factor(constraints.SvecColumns(), d, constraints.Count);
        int rank = qr.RankFor(IndependenceTolerance);
        var f = new double[d];
        int found = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b <= a; b++)
            {
                if (known[a * n + b]) continue;
                double c = a == b ? 0.5 : 1 / Math.Sqrt(2);
                constraints.Svec(a, b, c, f);
                double norm = SquareMatrix.FrobeniusNorm(f);
                double entry;
                if (norm <= 1e-14)
                    entry = 0; // rows a or b of the basis vanish: the entry is zero on the face
                else
                {
                    qr.ApplyQTranspose(f);
                    double outside = SquareMatrix.FrobeniusNorm(f.AsSpan(rank));
                    if (outside > IndependenceTolerance * norm) continue;
                    qr.SolveUpper(rank, f);
                    double combination = 0;
                    for (int k = 0; k < rank; k++) combination += f[k] * constraints.Rhs[qr.Permutation[k]];
                    entry = combination / (2 * c);
                }
                known[a * n + b] = known[b * n + a] = true;
                value[a * n + b] = value[b * n + a] = entry;
                found++;
            }
        return found;
    }

    private static bool IsIdentity(double[] basis, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (basis[i * n + j] != (i == j ? 1 : 0)) return false;
        return true;
    }
}
