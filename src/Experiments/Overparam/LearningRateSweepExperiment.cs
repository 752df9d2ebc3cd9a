using System.Globalization;
using Engine.Experiments.Context;

namespace Engine.Experiments.Overparam;

/// <summary>The runs of problem 2 (c) and which step size reached the lowest final objective.</summary>
public sealed record LearningRateSweepResult(ProblemSetting Setting, int R, IReadOnlyList<TrainingCurve> Curves)
{
    /// <summary>The converged run with the lowest final objective, or null when every run diverged.</summary>
    public TrainingCurve? Best => Curves.Where(c => !c.Diverged && c.Objective.Length > 0).MinBy(c => c.Final);

    /// <summary>The answer to (c): which eta reaches the lowest objective, or that none converged.</summary>
    public string Answer() => Best is { } best
        ? string.Create(CultureInfo.InvariantCulture, $"eta = {best.Settings.Eta:G6} converges to the lowest objective ({best.Final:G4}).")
        : "every learning rate diverged.";
}

/// <summary>
/// Problem 2 (c): width r = 2 r0, batch m = 10, 20 epochs, and initial step sizes eta in {1e-4, 1e-3, 1e-2, 1e-1};
/// which eta converges to the lowest objective?
/// </summary>
public static class LearningRateSweepExperiment
{
    /// <summary>The homework's initial step sizes, 1e-4 to 1e-1.</summary>
    public static readonly double[] DefaultEtas = [1e-4, 1e-3, 1e-2, 1e-1];

    /// <summary>The homework's width, r = 2 r0.</summary>
    public const double DefaultWidthMultiple = 2;

    /// <summary>The homework's 20 epochs.</summary>
    public const int DefaultEpochs = 20;

    /// <summary>
    /// One SGD run of width <paramref name="r"/> per step size in <paramref name="etas"/>, all on the same mini-batches
    /// drawn from <paramref name="planted"/>, in parallel over <see cref="ExperimentContext.Threads"/>; the curves do not
    /// depend on the thread count.
    /// </summary>
    public static LearningRateSweepResult Run(ExperimentContext ctx, ProblemSetting setting, PlantedNetwork planted,
        IReadOnlyList<double> etas, int r, int epochs)
    {
        var runs = etas.Select(eta => setting.Run(r, eta, epochs)).ToArray();
        var curves = SgdSweep.Run(ctx, planted, runs, $"lr-sweep ({etas.Count} x {epochs} epochs, r = {r})");
        return new LearningRateSweepResult(setting, r, curves);
    }
}
