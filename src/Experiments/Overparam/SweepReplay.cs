namespace Engine.Experiments.Overparam;

/// <summary>
/// The instance of a sweep's first steps, for replaying its runs elsewhere: the initial weights of each width and the
/// first <see cref="SgdSweep.ReplaySteps"/> mini-batches every run takes, in order. With the planted network, the
/// settings and each run's <see cref="TrainingCurve.FirstSteps"/>, an independent trainer can take the same steps and
/// compare its mini-batch objectives step by step.
/// </summary>
/// <param name="Initial">The initial U (n x r) and V (D x r) of each width (and parameterization and initialization scale, where runs differ in them), row-major.</param>
/// <param name="Streams">The first mini-batches of the stream for each batch size the runs take.</param>
public sealed record SweepReplay(IReadOnlyList<SweepReplay.Weights> Initial, IReadOnlyList<SweepReplay.Batches> Streams)
{
    /// <summary>The initial weights of the runs of width <paramref name="R"/>, parameterization <paramref name="Parameterization"/> and initialization scale <paramref name="InitScale"/>.</summary>
    public sealed record Weights(int R, Parameterization Parameterization, double InitScale, float[] U, float[] V);

    /// <summary>The first <paramref name="Steps"/> mini-batches of size <paramref name="Batch"/> (m) that runs of that batch size take.</summary>
    /// <param name="X">The inputs: step k's m x D block, row-major, at k * m * D.</param>
    /// <param name="Y">The labels: step k's m x n block at k * m * n.</param>
    public sealed record Batches(int Batch, int Steps, float[] X, float[] Y);
}
