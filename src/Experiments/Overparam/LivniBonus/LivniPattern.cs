using Engine.Experiments.Statistics;
using Engine.Experiments.Text;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The verdict of <see cref="LivniPattern"/> on one setting, with the reason when it fails. <paramref name="SeedsOrdered"/>
/// counts, as a description beside the verdict (not part of the criterion), the seeds in which the final objective
/// falls strictly from each width to the next.
/// </summary>
public sealed record PatternVerdict(bool Holds, bool LowerWhenWider, bool FasterWhenWider, int Diverged, string Reason, int SeedsOrdered = 0);

/// <summary>
/// The criterion for Livni et al.'s pattern, fixed before any run (it is printed at the top of the study's output
/// and report): a setting reproduces it when
/// (1) no run diverged, at any width or seed;
/// (2) lower when wider: for each pair of consecutive widths, the 95 % t-interval over seeds of the paired
/// difference log10(final objective of the wider) - log10(final of the narrower) lies entirely below 0;
/// (3) faster when wider: every run reaches its seed's r = r0 final objective, the mean number of epochs to reach it
/// does not increase from one width to the next, and the 95 % t-interval of the paired difference
/// (epochs of the widest) - (epochs of r = r0) lies entirely below 0.
/// </summary>
/// <remarks>
/// Differences are paired by seed because every width of a seed trains on the same planted network and data from
/// the same initial draws; the seed-to-seed spread of the planted networks then cancels, as it should, instead of
/// hiding a consistent ordering.
/// </remarks>
public static class LivniPattern
{
    public const string Statement =
        "A setting reproduces Livni et al.'s pattern when (1) no run diverges; (2) lower when wider: for each pair of consecutive widths, "
        + "the 95 % t-interval over seeds of the paired difference log10(final objective of the wider) - log10(final of the narrower) lies below 0; "
        + "(3) faster when wider: every run reaches its seed's r = r0 final objective, the mean epochs to reach it do not increase with width, "
        + "and the 95 % t-interval of the paired difference (epochs of the widest) - (epochs of r = r0) lies below 0.";

    public static PatternVerdict Evaluate(SettingResult s)
    {
        int diverged = s.Diverged;
        int widths = s.Widths.Count, seeds = s.Seeds;
        int ordered = Enumerable.Range(0, seeds).Count(k => s.Curves[k].All(c => !c.Diverged)
            && Enumerable.Range(1, widths - 1).All(w => s.Curves[k][w].Final < s.Curves[k][w - 1].Final));
        if (diverged > 0) return new PatternVerdict(false, false, false, diverged, $"{CountText.Of(diverged, "run")} diverged", ordered);
        var reasons = new List<string>();

        bool lower = widths > 1, averageSaid = false;
        for (int w = 1; w < widths; w++)
        {
            var diff = MeanInterval.Of(Enumerable.Range(0, seeds).Select(k => Math.Log10(s.Curves[k][w].Final) - Math.Log10(s.Curves[k][w - 1].Final)).ToArray());
            if (!diff.Below(0))
            {
                lower = false;
                // Above on average is said as such: "not significantly below" would understate it (and "on average
                // over seeds" once: the next such pair is read the same way).
                reasons.Add(diff.Mean > 0
                    ? $"r/r0 = {s.Multiples[w]:G3} ends above r/r0 = {s.Multiples[w - 1]:G3}{(averageSaid ? "" : " on average over seeds")}"
                    : $"r/r0 = {s.Multiples[w]:G3} does not end significantly below r/r0 = {s.Multiples[w - 1]:G3}");
                averageSaid |= diff.Mean > 0;
            }
        }

        bool faster = widths > 1;
        var epochs = new double[widths][];
        for (int w = 0; w < widths; w++)
        {
            var reached = Enumerable.Range(0, seeds).Select(k => s.Curves[k][w].EpochsToReach(s.ReferenceLevel(k))).ToArray();
            if (reached.Any(e => e is null))
            {
                faster = false;
                reasons.Add($"r/r0 = {s.Multiples[w]:G3} does not reach the r = r0 final objective in every seed");
                epochs[w] = [];
            }
            else epochs[w] = reached.Select(e => (double)e!.Value).ToArray();
        }
        if (faster)
        {
            for (int w = 1; w < widths; w++)
                if (epochs[w].Average() > epochs[w - 1].Average())
                {
                    faster = false;
                    reasons.Add($"r/r0 = {s.Multiples[w]:G3} needs more epochs on average than r/r0 = {s.Multiples[w - 1]:G3}");
                }
            var gain = MeanInterval.Of(Enumerable.Range(0, seeds).Select(k => epochs[^1][k] - epochs[0][k]).ToArray());
            if (!gain.Below(0))
            {
                faster = false;
                reasons.Add("the widest network is not significantly faster than r = r0");
            }
        }
        bool holds = lower && faster;
        return new PatternVerdict(holds, lower, faster, 0, holds ? "" : string.Join("; ", reasons), ordered);
    }
}
