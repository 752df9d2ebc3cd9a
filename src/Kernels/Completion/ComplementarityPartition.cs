using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The split of R^r that a nearly optimal primal-dual pair (Z, S) of a face SDP reveals: the directions where Z
/// lives (the range of the optimal Z), the directions where S lives (the range of the optimal slack), and those the
/// pair can not tell apart.
/// </summary>
/// <remarks>
/// <para>Along each eigenvector v of S the pair has an S-eigenvalue s and a Z Rayleigh quotient z, and
/// <c>sum_v z s = &lt;Z, S&gt;</c>, which tends to zero at the optimum. Near the central path <c>z s ~ mu</c>, so the
/// ratio <c>z / s</c> tells on which side v ends: far above one in the range of Z, far below one in the range of
/// S. A ratio of at least <see cref="Margin"/> means <c>z &gt;= 10 sqrt(z s)</c>: the Z-eigenvalue is an order of
/// magnitude above the size a vanishing one could still have, and symmetrically for S. The decision rests on that
/// gap, not on an absolute threshold, so a last-bit change in the pair can not move a direction from one side to the
/// other unless its ratio is within a factor <see cref="Margin"/> of one. Values at the pair's own accuracy
/// (<c>accuracy (1 + ||Z||_F)</c> for z, <c>accuracy (1 + ||S||_F)</c> for s) count as zero, so that two rounding-level
/// numbers are never compared with each other.</para>
/// <para>Directions whose ratio lies between <c>1 / Margin</c> and <c>Margin</c> are undecided: both z and s are
/// small, which is what a pair looks like when strict complementarity fails (the optimal Z and S then leave a
/// common null direction) or when the pair is not accurate enough to tell. They are reported, never guessed: every
/// optimal X annihilates the range of the optimal slack, so the directions that are not clearly in that range
/// (<see cref="Range"/> and <see cref="Undecided"/> together) span a face that contains the optimal set.</para>
/// </remarks>
internal sealed class ComplementarityPartition
{
    /// <summary>The smallest ratio z / s (or s / z) that decides a direction.</summary>
    public const double Margin = 100;

    private const double MachineEpsilon = 2.220446049250313e-16;

    private ComplementarityPartition(int r, double[] slackEigenvalues, double[] vectors, int[] range, int[] undecided,
        int[] slackRange, double separation, int indicatorCount)
    {
        IndicatorCount = indicatorCount;
        R = r;
        SlackEigenvalues = slackEigenvalues;
        Vectors = vectors;
        Range = range;
        Undecided = undecided;
        SlackRange = slackRange;
        Separation = separation;
    }

    public int R { get; }

    /// <summary>The eigenvalues of S, ascending.</summary>
    public double[] SlackEigenvalues { get; }

    /// <summary>
    /// The eigenvectors of S as columns (r x r row-major); within the numerically zero eigenvalues, those of Z
    /// compressed to their span when that span is not wholly in the range of Z.
    /// </summary>
    public double[] Vectors { get; }

    /// <summary>Eigenvector indices clearly in the range of the optimal Z (ratio at least <see cref="Margin"/>).</summary>
    public int[] Range { get; }

    /// <summary>Eigenvector indices the pair can not place (ratio strictly between <c>1 / Margin</c> and <see cref="Margin"/>).</summary>
    public int[] Undecided { get; }

    /// <summary>Eigenvector indices clearly in the range of the optimal slack (ratio at most <c>1 / Margin</c>).</summary>
    public int[] SlackRange { get; }

    /// <summary>How many directions have z &gt; s (the classic indicator rule, which always decides, rightly or not).</summary>
    public int IndicatorCount { get; }

    /// <summary>Whether every direction is decided.</summary>
    public bool Decided => Undecided.Length == 0;

    /// <summary>
    /// The smallest of <c>max(z / s, s / z)</c> over the decided directions (infinity when there are none): how far
    /// the closest call is from the margin.
    /// </summary>
    public double Separation { get; }

    /// <summary>Splits R^r for the r x r pair (Z, S), measured to the relative <paramref name="accuracy"/>; see the remarks.</summary>
    public static ComplementarityPartition Of(ReadOnlySpan<double> z, ReadOnlySpan<double> s, int r, double accuracy)
    {
        if (r == 0) return new ComplementarityPartition(0, [], [], [], [], [], double.PositiveInfinity, 0);
        (double[] eigenvalues, double[] vectors) = SymmetricEigenSolver.Of(s, r);
        var range = new List<int>();
        var undecided = new List<int>();
        var slackRange = new List<int>();
        double separation = double.PositiveInfinity;
        int indicator = 0;
        // No pair is more accurate than rounding, whatever its measures say.
        double level = Math.Max(accuracy, MachineEpsilon);
        double zFloor = level * (1 + SquareMatrix.FrobeniusNorm(z)), sFloor = level * (1 + SquareMatrix.FrobeniusNorm(s));
        double[] slackVectors = (double[])vectors.Clone();
        int cluster = AlignWithZ(z, r, eigenvalues, vectors, sFloor);
        var v = new double[r];
        for (int t = 0; t < r; t++)
        {
            for (int i = 0; i < r; i++) v[i] = vectors[i * r + t];
            double rayleigh = 0;
            for (int i = 0; i < r; i++)
            {
                double row = 0;
                for (int j = 0; j < r; j++) row += z[i * r + j] * v[j];
                rayleigh += v[i] * row;
            }
            double zt = rayleigh > zFloor ? rayleigh : 0, st = eigenvalues[t] > sFloor ? eigenvalues[t] : 0;
            double ratio = st == 0 ? (zt == 0 ? 1 : double.PositiveInfinity) : zt / st;
            if (ratio > 1) indicator++;
            if (ratio >= Margin) range.Add(t);
            else if (ratio <= 1 / Margin) slackRange.Add(t);
            else
            {
                undecided.Add(t);
                continue;
            }
            separation = Math.Min(separation, Math.Max(ratio, 1 / ratio));
        }
        // When the whole cluster lies in the range of Z the rotation changed nothing that matters (the face is its
        // span either way), and S's own vectors are kept, so that results that were decided before stay bit for bit.
        if (cluster >= 2 && range.Count >= cluster && range[cluster - 1] == cluster - 1) vectors = slackVectors;
        return new ComplementarityPartition(r, eigenvalues, vectors, [.. range], [.. undecided], [.. slackRange], separation, indicator);
    }

    /// <summary>
    /// Rotates the eigenvectors of S whose eigenvalues are at most <paramref name="sFloor"/> (numerically zero, so
    /// any basis of their span is one of eigenvectors) to the eigenvectors of Z compressed to that span: otherwise
    /// a direction where Z vanishes too would be smeared over the whole span and hidden by the others' quotients.
    /// Returns the size of that cluster.
    /// </summary>
    private static int AlignWithZ(ReadOnlySpan<double> z, int r, double[] eigenvalues, double[] vectors, double sFloor)
    {
        int k = 0;
        while (k < r && eigenvalues[k] <= sFloor) k++;
        if (k < 2) return k;
        var basis = new double[r * k];
        for (int i = 0; i < r; i++)
            for (int t = 0; t < k; t++) basis[i * k + t] = vectors[i * r + t];
        var compressed = new double[k * k];
        SquareMatrix.Compress(basis, r, k, z, compressed);
        double[] rotation = SymmetricEigenSolver.Of(compressed, k).Eigenvectors;
        var rotated = new double[r * k];
        SquareMatrix.MultiplyRectangular(basis, rotation, rotated, r, k, k);
        for (int i = 0; i < r; i++)
            for (int t = 0; t < k; t++) vectors[i * r + t] = rotated[i * k + t];
        return k;
    }

    /// <summary>The r x k matrix whose columns are the eigenvectors numbered <paramref name="columns"/>.</summary>
    public double[] Columns(IReadOnlyList<int> columns)
    {
        int r = R, k = columns.Count;
        var u = new double[r * k];
        for (int i = 0; i < r; i++)
            for (int c = 0; c < k; c++) u[i * k + c] = Vectors[i * r + columns[c]];
        return u;
    }
}
