namespace Engine.Experiments.Overparam;

/// <summary>
/// The outcome of one run: the average mini-batch objective of every completed epoch, and, if the run diverged,
/// the epoch (counted from 1) in which it did, the step within that epoch and the cause. A diverged run keeps only
/// the epochs completed before divergence.
/// </summary>
/// <param name="FirstSteps">
/// The mini-batch objective before each of the run's first steps (at most <see cref="SgdRun.RecordedSteps"/>, fewer when it
/// diverged sooner: the step that diverged is the last), for replaying the run from its written instance (<see cref="SweepReplay"/>).
/// </param>
public sealed record TrainingCurve(TrainingSettings Settings, double[] Objective, int? DivergedAtEpoch, double InitialObjective,
    int? DivergedAtStep = null, string? DivergenceCause = null, double[]? FirstSteps = null)
{
    public bool Diverged => DivergedAtEpoch is not null;

    /// <summary>The objective of the last epoch (NaN for a diverged run, which has no final value).</summary>
    public double Final => Diverged || Objective.Length == 0 ? double.NaN : Objective[^1];

    /// <summary>Where and why the run diverged, e.g. "epoch 3, step 120 (objective grew 2.6e13-fold; limit 1e6-fold)"; null if it did not.</summary>
    public string? Divergence => DivergedAtEpoch is int epoch
        ? $"epoch {epoch}{(DivergedAtStep is int step ? $", step {step}" : "")}{(DivergenceCause is null ? "" : $" ({DivergenceCause})")}"
        : null;

    /// <summary>
    /// The step a diverged run stopped at, counted from the run's first step (the numbering of its recorded first steps),
    /// where <see cref="DivergedAtStep"/> counts within the epoch; null if it did not diverge.
    /// </summary>
    public long? DivergedAtRunStep => DivergedAtEpoch is int epoch && DivergedAtStep is int step
        ? (long)(epoch - 1) * Math.Max(1, Settings.StepsPerEpoch) + step
        : null;

    /// <summary>The first epoch (counted from 1) whose objective is at most <paramref name="threshold"/>, or null.</summary>
    public int? EpochsToReach(double threshold)
    {
        for (int k = 0; k < Objective.Length; k++)
            if (Objective[k] <= threshold) return k + 1;
        return null;
    }
}
