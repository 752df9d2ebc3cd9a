namespace Engine.Experiments.Overparam;

/// <summary>The verdict of <see cref="NearZeroCriterion"/> on one setting: whether it holds and, if so, how fast.</summary>
/// <param name="SlowestMeanEpochs">The largest, over widths, of the mean epochs to first reach near-zero (NaN unless it holds).</param>
public sealed record NearZeroVerdict(bool Holds, int RunsAtNearZero, int Runs, double SlowestMeanEpochs);

/// <summary>
/// The criterion of the converse question, fixed before the runs: "near-zero error" is a final objective at most
/// <see cref="LivniBonusPlan.NearZeroFraction"/> times E||y||^2 (twice the objective of the zero predictor), computed
/// exactly for each seed's planted network; a setting gets every width there when no run diverges and every run of
/// every width and seed ends at or below its seed's threshold. Among such settings, the fastest is the one whose
/// slowest width needs the fewest epochs on average to first reach the threshold.
/// </summary>
public static class NearZeroCriterion
{
    public static string Statement(double fraction) =>
        $"Near-zero error means a final objective at most {fraction:G3} x E||y||^2 (E||y||^2 exact for each seed's planted network; the zero predictor's objective is half of it); "
        + "a setting gets every width there when no run diverges and every run of every width and seed ends at or below that level; "
        + "the fastest such setting is the one whose slowest width reaches the level first, in mean epochs over seeds.";

    public static NearZeroVerdict Evaluate(SettingResult s)
    {
        int runs = s.Seeds * s.Widths.Count;
        var summaries = s.Summaries;
        int atNearZero = summaries.Sum(w => w.NearZeroAtEnd);
        bool holds = s.Diverged == 0 && atNearZero == runs;
        return new NearZeroVerdict(holds, atNearZero, runs, holds ? summaries.Max(w => w.EpochsToNearZero.Mean) : double.NaN);
    }
}
