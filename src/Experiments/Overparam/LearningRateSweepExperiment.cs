using System.Globalization;
using Engine.Experiments.Context;
using Engine.Experiments.Text;

namespace Engine.Experiments.Overparam;

/// <summary>The runs of problem 2 (c) and which step size reached the lowest final objective.</summary>
/// <param name="Trained">The runs as the sweep left them, from which (d) goes on (see <see cref="WidthSweepExperiment.Run"/>); null when not kept.</param>
/// <param name="Replay">The initial weights and first mini-batches the runs took, to replay their first steps elsewhere; null when not kept.</param>
public sealed record LearningRateSweepResult(ProblemSetting Setting, int R, IReadOnlyList<TrainingCurve> Curves, SweepRuns? Trained = null,
    SweepReplay? Replay = null)
{
    /// <summary>
    /// The converged runs that end at the lowest final objective, in the order they were listed: more than one only when
    /// they tie exactly (as when nothing trains, e.g. from zero weights); empty when every run diverged.
    /// </summary>
    public IReadOnlyList<TrainingCurve> Lowest
    {
        get
        {
            var converged = Curves.Where(c => !c.Diverged && c.Objective.Length > 0).ToList();
            if (converged.Count == 0) return [];
            double lowest = converged.Min(c => c.Final);
            return converged.Where(c => c.Final == lowest).ToList();
        }
    }

    /// <summary>The converged run with the lowest final objective (the first listed among exact ties), or null when every run diverged.</summary>
    public TrainingCurve? Best => Lowest.FirstOrDefault();

    /// <summary>The answer to (c): which eta reaches the lowest objective, that several tie, or that none converged.</summary>
    public string Answer() => Lowest switch
    {
        [] => "every learning rate diverged.",
        // "Lowest" among the runs that did not diverge, after the sweep's epochs: the homework's "converges" is not
        // tested beyond that.
        [var best] => string.Create(ReportFormat.Provider, $"eta = {best.Settings.Eta:G6} ends at the lowest objective ({best.Final:G4}) of the runs that did not diverge."),
        var tied => string.Create(ReportFormat.Provider,
            $"eta = {string.Join(", ", tied.Select(c => c.Settings.Eta.ToString("G6", CultureInfo.InvariantCulture)))} end at the same objective ({tied[0].Final:G4}), so no single eta is best; the first, {tied[0].Settings.Eta:G6}, is taken where one is needed.")
            + TieReason,
    };

    /// <summary>
    /// Why the runs tie, where it is known: from zero weights (initialization scale 0) every gradient is zero, since
    /// U = V = 0 is a stationary point (relu'(0) = 0), so no step size moves a run. Empty otherwise.
    /// </summary>
    public string TieReason => Lowest.Count > 1 && Lowest.All(c => c.Settings.InitScale == 0)
        ? " The weights start at zero (initialization scale 0), where every gradient is zero: no run trained." : "";
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
        var trained = SgdSweep.Train(ctx, planted, runs, $"lr-sweep ({CountText.Of(etas.Count, "rate")} x {CountText.Of(epochs, "epoch")}, r = {r})");
        return new LearningRateSweepResult(setting, r, trained.Curves(), trained, SgdSweep.Replay(ctx, planted, runs));
    }
}
