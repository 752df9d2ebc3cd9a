namespace Engine.Kernels.Completion;

/// <summary>
/// The face of the PSD cone that facial reduction found to contain every feasible completion: every feasible X
/// has the form <c>X = P W P^T</c> with W PSD of size <see cref="Dimension"/>, and annihilates the
/// <see cref="ForcedNullVectors"/>.
/// </summary>
/// <remarks>
/// When <see cref="SlaterFailed"/> is true, no positive definite X satisfies the observations, so the SDP has no
/// strictly feasible point in the full space (Slater's condition fails): its dual optimum may not be attained
/// and interior-point and splitting methods stall. On the face the reduced problem has one again, as far as the
/// reduction found (see <see cref="FacialReduction"/> for what it looks for and how it decides ranks).
/// </remarks>
public sealed class CompletionFace
{
    internal CompletionFace(int n, int dimension, double[] basis, IReadOnlyList<double[]> forcedNullVectors,
        IReadOnlyList<int[]> singularBlocks, IReadOnlyList<int[]> observedSingularBlocks, int rounds, int determinedEntries, double rankTolerance,
        SingularBlockSearch search = SingularBlockSearch.Complete, int observedBlockDirections = 0)
    {
        ObservedBlockDirections = observedBlockDirections;
        N = n;
        Dimension = dimension;
        Basis = basis;
        ForcedNullVectors = forcedNullVectors;
        SingularBlocks = singularBlocks;
        ObservedSingularBlocks = observedSingularBlocks;
        Rounds = rounds;
        DeterminedEntries = determinedEntries;
        RankTolerance = rankTolerance;
        Search = search;
    }

    /// <summary>Size of the full matrix.</summary>
    public int N { get; }

    /// <summary>r: the size of W, <c>N - ForcedNullDirections</c>.</summary>
    public int Dimension { get; }

    /// <summary>P: N x <see cref="Dimension"/> row-major with orthonormal columns spanning the face's range.</summary>
    public double[] Basis { get; }

    /// <summary>Orthonormal vectors (each of length N, orthogonal to the basis) that every feasible X annihilates.</summary>
    public IReadOnlyList<double[]> ForcedNullVectors { get; }

    /// <summary>How many independent directions every feasible X must annihilate.</summary>
    public int ForcedNullDirections => ForcedNullVectors.Count;

    /// <summary>Whether the observations admit no positive definite completion: true when directions were forced.</summary>
    public bool SlaterFailed => ForcedNullDirections > 0;

    /// <summary>
    /// The rows of each fully known principal block (a clique of known entries) found singular, sorted: every one
    /// only when <see cref="Search"/> is <see cref="SingularBlockSearch.Complete"/>, else those the search examined. A block found
    /// in a round after the first may hold entries the face determined rather than observed ones.
    /// </summary>
    public IReadOnlyList<int[]> SingularBlocks { get; }

    /// <summary>The blocks of <see cref="SingularBlocks"/> whose entries, diagonal included, are all observed.</summary>
    public IReadOnlyList<int[]> ObservedSingularBlocks { get; }

    /// <summary>
    /// How many of the <see cref="ForcedNullDirections"/> the first round forced from observed entries alone (a reduction
    /// of the whole space, which determines no entry before it); the rounds after it, on determined entries, forced the
    /// rest. 0 for a reduction that started on a face.
    /// </summary>
    public int ObservedBlockDirections { get; }

    /// <summary>Reduction rounds that found new directions (a round after the first uses entries the face determined).</summary>
    public int Rounds { get; }

    /// <summary>Unobserved entry pairs {i, j} whose value the face determines from the observed ones.</summary>
    public int DeterminedEntries { get; }

    /// <summary>How far the search for singular blocks went (see <see cref="SingularBlockSearch"/>).</summary>
    public SingularBlockSearch Search { get; }

    /// <summary>The relative eigenvalue threshold of the rank decisions (see <see cref="FacialReduction"/>).</summary>
    public double RankTolerance { get; }

    /// <summary>
    /// Whether P is the identity (nothing was reduced): then the face constraints are the observations themselves,
    /// orthonormal and independent, so they need no QR to pick an independent subset.
    /// </summary>
    internal bool IsFullSpace => Dimension == N && FacialReduction.IsIdentity(Basis, N);
}

/// <summary>How far facial reduction's search for singular blocks went (the worst of its rounds).</summary>
public enum SingularBlockSearch
{
    /// <summary>Every maximal clique of known entries was examined, in every round.</summary>
    Complete,

    /// <summary>
    /// A round stopped once its forced directions reached the most the known blocks allow: the face is the one the
    /// complete search gives, but <see cref="CompletionFace.SingularBlocks"/> lists only the blocks examined.
    /// </summary>
    Saturated,

    /// <summary>
    /// A round stopped at the work limit: the face may keep directions that a complete search would force (then
    /// Slater's condition may fail on it, and the certificate shows that by missing its tolerance).
    /// </summary>
    Truncated,
}
