using System.Globalization;
using System.Text;
using Engine.Experiments.Cli;

namespace Engine.Experiments.Overparam;

/// <summary>The runs of problem 2 (d), one per width, at one initial step size.</summary>
public sealed record WidthSweepResult(ProblemSetting Setting, double Eta, IReadOnlyList<double> Multiples, IReadOnlyList<TrainingCurve> Curves)
{
    /// <summary>The comparison with Livni et al.'s pattern, worked out from these curves (see <see cref="LivniComparison"/>).</summary>
    public LivniComparison Comparison => LivniComparison.Of(Multiples, Curves);
}

/// <summary>
/// Problem 2 (d): with the best eta of (c), widths r / r0 in {1, 2, 4, 8} for 200 epochs; how do the curves
/// compare with Livni et al. (wider networks train faster and to a lower error)?
/// </summary>
public static class WidthSweep
{
    public static readonly double[] DefaultMultiples = [1, 2, 4, 8];
    public const int DefaultEpochs = 200;

    public static WidthSweepResult Run(RunContext ctx, ProblemSetting setting, PlantedNetwork planted,
        double eta, IReadOnlyList<double> multiples, int epochs)
    {
        var runs = multiples.Select(k => setting.Run(setting.WidthOf(k), eta, epochs)).ToArray();
        var curves = SgdSweep.Run(ctx, planted, runs, $"width-sweep ({multiples.Count} widths x {epochs} epochs, eta = {eta:G3})");
        return new WidthSweepResult(setting, eta, multiples, curves);
    }
}

/// <summary>
/// How a width sweep compares with Livni et al.'s Figure 1, from the numbers: is the final objective decreasing
/// in width, and how many epochs does each width need to reach the final objective of the narrowest network?
/// </summary>
public sealed record LivniComparison(IReadOnlyList<double> Multiples, IReadOnlyList<double> Finals,
    IReadOnlyList<int?> EpochsToNarrowestFinal, double Threshold, bool LowerWhenWider, bool FasterWhenWider, int Diverged)
{
    public static LivniComparison Of(IReadOnlyList<double> multiples, IReadOnlyList<TrainingCurve> curves)
    {
        int[] order = Enumerable.Range(0, multiples.Count).OrderBy(i => multiples[i]).Where(i => !curves[i].Diverged && curves[i].Objective.Length > 0).ToArray();
        double[] finals = order.Select(i => curves[i].Final).ToArray();
        double threshold = finals.Length > 0 ? finals[0] : double.NaN;
        int?[] epochs = order.Select(i => curves[i].EpochsToReach(threshold)).ToArray();
        bool lower = finals.Length > 1;
        for (int i = 1; i < finals.Length; i++) lower &= finals[i] < finals[i - 1];
        bool faster = epochs.Length > 1;
        for (int i = 1; i < epochs.Length; i++)
            faster &= epochs[i] is int e && epochs[i - 1] is int p && e <= p;
        if (epochs.Length > 1) faster &= epochs[^1] < epochs[0];
        return new LivniComparison(order.Select(i => multiples[i]).ToArray(), finals, epochs, threshold, lower, faster,
            curves.Count(c => c.Diverged));
    }

    /// <summary>The comparison as a few sentences, every number taken from the runs.</summary>
    public string Sentence()
    {
        if (Finals.Count < 2)
            return "Fewer than two widths converged, so the runs cannot be compared with Livni et al.";
        var s = new StringBuilder();
        string finals = string.Join(", ", Multiples.Select((k, i) => $"{Format(Finals[i])} at r/r0 = {k:G3}"));
        s.Append($"Final objectives: {finals}; ");
        s.Append(LowerWhenWider ? "they decrease strictly with width" : "they do not decrease strictly with width");
        s.Append($" (widest/narrowest = {Finals[^1] / Finals[0]:G3}). ");
        string reach = string.Join(", ", Multiples.Select((k, i) =>
            $"r/r0 = {k:G3}: {(EpochsToNarrowestFinal[i] is int e ? e.ToString(CultureInfo.InvariantCulture) : "never")}"));
        s.Append($"Epochs to reach the narrowest network's final objective {Format(Threshold)}: {reach}. ");
        if (Diverged > 0) s.Append($"{Diverged} run(s) diverged and are left out. ");
        s.Append((LowerWhenWider, FasterWhenWider) switch
        {
            (true, true) => "This agrees with Livni et al.: wider networks train faster and to a lower objective.",
            (true, false) => "This partly agrees with Livni et al.: wider networks end lower, but do not get there faster.",
            (false, true) => "This partly agrees with Livni et al.: wider networks get faster to the narrow network's level, but do not end strictly lower.",
            _ => "This does not reproduce Livni et al.'s pattern: width neither lowers the final objective nor speeds up training consistently.",
        });
        return s.ToString();
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
