namespace Engine.Kernels.Completion;

/// <summary>
/// The optimal set of a certified completion is too large to describe: its observations as constraints on the
/// optimal face would take more memory than <see cref="OptimalCompletionSet"/> allows.
/// </summary>
public sealed class OptimalSetTooLargeException : InvalidOperationException
{
    public OptimalSetTooLargeException(int faceRank, int constraints, double limit)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the optimal face has rank {faceRank}, so its {constraints} observations as constraints would hold {(double)faceRank * (faceRank + 1) / 2 * constraints:0.00e+0} numbers, more than the {limit:0.00e+0} allowed"))
    {
        FaceRank = faceRank;
        Constraints = constraints;
    }

    /// <summary>q: the size of W in the optimal face <c>X = B W B^T</c>.</summary>
    public int FaceRank { get; }

    /// <summary>The observed pairs, each a constraint on W.</summary>
    public int Constraints { get; }
}
