using System.Globalization;
using System.Text;
using Engine.Experiments.Context;
using Engine.Experiments.Text;

namespace Engine.Experiments.Overparam;

/// <summary>The runs of problem 2 (d), one per width, at one initial step size.</summary>
/// <param name="Replay">The initial weights and first mini-batches the runs took, to replay their first steps elsewhere; null when not kept.</param>
public sealed record WidthSweepResult(ProblemSetting Setting, double Eta, IReadOnlyList<double> Multiples, IReadOnlyList<TrainingCurve> Curves,
    SweepReplay? Replay = null)
{
    /// <summary>The comparison with Livni et al.'s pattern, worked out from these curves (see <see cref="LivniComparison"/>).</summary>
    public LivniComparison Comparison => LivniComparison.Of(Multiples, Curves);
}

/// <summary>
/// Problem 2 (d): with the best eta of (c), widths r / r0 in {1, 2, 4, 8} for 200 epochs; how do the curves
/// compare with Livni et al. (wider networks train faster and to a lower error)?
/// </summary>
public static class WidthSweepExperiment
{
    /// <summary>The homework's widths, r / r0 in {1, 2, 4, 8}.</summary>
    public static readonly double[] DefaultMultiples = [1, 2, 4, 8];

    /// <summary>The homework's 200 epochs.</summary>
    public const int DefaultEpochs = 200;

    /// <summary>
    /// One SGD run at step size <paramref name="eta"/> per width r = multiple * r0, all on the same mini-batches drawn
    /// from <paramref name="planted"/>, in parallel over <see cref="ExperimentContext.Threads"/>.
    /// </summary>
    /// <param name="after">
    /// The learning-rate sweep that chose <paramref name="eta"/>, if it ran with this context's seed on
    /// <paramref name="planted"/>: a width run of its width and step size starts where its run stopped (the first 20 of
    /// 200 epochs in the homework) rather than repeating those batches. The curves are the same bits either way.
    /// </param>
    public static WidthSweepResult Run(ExperimentContext ctx, ProblemSetting setting, PlantedNetwork planted,
        double eta, IReadOnlyList<double> multiples, int epochs, LearningRateSweepResult? after = null)
    {
        var runs = multiples.Select(k => setting.Run(setting.WidthOf(k), eta, epochs)).ToArray();
        var curves = SgdSweep.Run(ctx, planted, runs, $"width-sweep ({CountText.Of(multiples.Count, "width")} x {CountText.Of(epochs, "epoch")}, eta = {eta:G3})", after?.Trained);
        return new WidthSweepResult(setting, eta, multiples, curves, SgdSweep.Replay(ctx, planted, runs));
    }
}

/// <summary>
/// How a width sweep compares with Livni et al.'s Figure 1, from the numbers: is the final objective decreasing
/// in width, and how many epochs does each width need to reach the final objective of the narrowest network?
/// </summary>
public sealed record LivniComparison(IReadOnlyList<double> Multiples, IReadOnlyList<double> Finals,
    IReadOnlyList<int?> EpochsToNarrowestFinal, double Threshold, int Diverged)
{
    /// <summary>The final objective decreases strictly from each width to the next wider one.</summary>
    public bool LowerWhenWider => Finals.Count > 1 && Enumerable.Range(1, Finals.Count - 1).All(i => Finals[i] < Finals[i - 1]);

    /// <summary>Each wider network needs no more epochs than the next narrower one to reach the narrowest one's final objective, and the widest needs fewer than the narrowest.</summary>
    public bool FasterWhenWider => Finals.Count > 1
        && Enumerable.Range(1, Finals.Count - 1).All(i => EpochsToNarrowestFinal[i] is int e && EpochsToNarrowestFinal[i - 1] is int p && e <= p)
        && EpochsToNarrowestFinal[^1] < EpochsToNarrowestFinal[0];

    /// <summary>Every wider network ends below the narrowest one.</summary>
    public bool EveryWiderEndsLower => Finals.Count > 1 && Finals.Skip(1).All(f => f < Finals[0]);

    /// <summary>Every wider network reaches the narrowest one's final objective in fewer epochs than it.</summary>
    public bool EveryWiderIsFaster => Finals.Count > 1 && EpochsToNarrowestFinal.Skip(1).All(e => e < EpochsToNarrowestFinal[0]);

    public static LivniComparison Of(IReadOnlyList<double> multiples, IReadOnlyList<TrainingCurve> curves)
    {
        int[] order = Enumerable.Range(0, multiples.Count).OrderBy(i => multiples[i]).Where(i => !curves[i].Diverged && curves[i].Objective.Length > 0).ToArray();
        double[] finals = order.Select(i => curves[i].Final).ToArray();
        double threshold = finals.Length > 0 ? finals[0] : double.NaN;
        int?[] epochs = order.Select(i => curves[i].EpochsToReach(threshold)).ToArray();
        return new LivniComparison(order.Select(i => multiples[i]).ToArray(), finals, epochs, threshold, curves.Count(c => c.Diverged));
    }

    /// <summary>The comparison as a few sentences, every number taken from the runs.</summary>
    public string Sentence()
    {
        if (Finals.Count + Diverged < 2)
            return "Only one width was run, so there is no comparison across widths with Livni et al.";
        if (Finals.Count < 2)
            return Finals.Count == 0
                ? string.Create(ReportFormat.Provider, $"All {Diverged} widths diverged, so the runs cannot be compared with Livni et al.")
                : string.Create(ReportFormat.Provider, $"Only 1 of the {Finals.Count + Diverged} widths ran without diverging, so the runs cannot be compared with Livni et al.");
        var s = new StringBuilder();
        string finals = string.Join(", ", Multiples.Select((k, i) => $"{Format(Finals[i])} at r/r0 = {k:G3}"));
        s.Append($"Final objectives: {finals}; ");
        s.Append(LowerWhenWider ? "they decrease strictly with width" : "they do not decrease strictly with width");
        s.Append($" (widest/narrowest = {Finals[^1] / Finals[0]:G3}). ");
        string reach = string.Join(", ", Multiples.Select((k, i) =>
            $"r/r0 = {k:G3}: {(EpochsToNarrowestFinal[i] is int e ? e.ToString(CultureInfo.InvariantCulture) : "never")}"));
        s.Append($"Epochs to reach the narrowest network's final objective {Format(Threshold)}: {reach}. ");
        if (Diverged > 0) s.Append($"{CountText.Of(Diverged, "run")} diverged and {(Diverged == 1 ? "is" : "are")} left out. ");
        // The narrowest width that converged is the reference: r = r0 unless that run diverged or was not asked for.
        string narrowest = Multiples[0] == 1 ? "the r = r0 one" : $"the r/r0 = {Multiples[0]:G3} one";
        if (LowerWhenWider && FasterWhenWider)
            s.Append("This agrees with Livni et al.: wider networks train faster and to a lower objective.");
        else if (EveryWiderEndsLower && EveryWiderIsFaster)
            s.Append($"This partly agrees with Livni et al.: every wider network trains faster and ends lower than {narrowest}, but "
                + (LowerWhenWider ? "the epochs needed do not fall with every step in width."
                    : FasterWhenWider ? $"the final objective does not fall with every step in width: {Lowest()}."
                    : $"neither the final objective nor the epochs needed fall with every step in width: {Lowest()}."));
        else if (EveryWiderEndsLower || EveryWiderIsFaster)
            // Only what the runs show: the half of the pattern that holds, the half that does not, and (when the first
            // sentence did not already say the final objective falls with width) which width ends lowest.
            s.Append("This agrees with Livni et al. only in part: "
                + (EveryWiderEndsLower
                    ? $"every wider network ends lower than {narrowest}, but not every one reaches that network's final objective in fewer epochs"
                    : $"every wider network reaches {narrowest}'s final objective in fewer epochs, but not every one ends lower than it")
                + (LowerWhenWider ? "." : $", and the final objective does not fall with every step in width: {Lowest()}."));
        else
            s.Append("This does not reproduce Livni et al.'s pattern: over-parameterization neither lowers the final objective nor speeds up training consistently.");
        return s.ToString();
    }

    /// <summary>The width, or the tied widths, with the lowest final objective.</summary>
    private string Lowest()
    {
        double low = Finals.Min();
        var at = Multiples.Where((_, i) => Finals[i] == low).Select(k => $"r/r0 = {k:G3}").ToArray();
        return at.Length == 1 ? $"{at[0]} ends lowest" : $"{string.Join(", ", at[..^1])} and {at[^1]} end lowest, tied";
    }

    private static string Format(double v) => ReportFormat.Number(v, "G4");
}
