namespace Engine.Experiments.Overparam;

/// <summary>
/// The problem setting of problem 2 (c) and (d) (defaults D = 150, n = 10, r0 = 60, m = 10, epochs of 10,000
/// samples, the homework's initialization scale) as one value, so commands and tests build runs the same way.
/// </summary>
public sealed record ProblemSetting(int D = 150, int N = 10, int R0 = 60, int Batch = 10, int EpochSize = 10_000,
    double InitScale = 1, int HalvingPeriod = 50)
{
    /// <summary>The settings of one run of width <paramref name="r"/>, step <paramref name="eta"/>, for <paramref name="epochs"/> epochs.</summary>
    public TrainingSettings Run(int r, double eta, int epochs) =>
        new(r, eta, Batch, epochs, EpochSize, HalvingPeriod, InitScale);

    /// <summary>The widest hidden layer a run may have: far beyond the homework's 8 r0, and it keeps r times any size in range of an int.</summary>
    public const int MaxWidth = 1_000_000;

    /// <summary>The hidden width for a multiple of r0; fails with a message when it is not a positive integer.</summary>
    public int WidthOf(double multiple)
    {
        double r = multiple * R0;
        if (r > MaxWidth)
            throw new ArgumentException($"width multiple {multiple:G6} times r0 = {R0} is more than {MaxWidth} hidden units.");
        if (!(r >= 1) || Math.Abs(r - Math.Round(r)) > 1e-9)
            throw new ArgumentException($"width multiple {multiple:G6} times r0 = {R0} is not a positive whole number of hidden units.");
        return (int)Math.Round(r);
    }
}
