using System.Globalization;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Overparam;

/// <summary>
/// The files and console lines of problem 2: a CSV of every curve (epoch by run; the cells of a diverged run stay
/// empty from its divergence on), a summary CSV, and a log-scale PNG whose legend marks diverged runs.
/// </summary>
public static class OverparamFiles
{
    /// <summary>The base names of the three results; each result's files and its planted weights start with its name.</summary>
    public const string PlantedCheck = "planted-check", LearningRate = "lr-sweep", Width = "width-sweep";

    public const string PlantedCheckCsv = PlantedCheck + ".csv";
    public const string LearningRateCsv = LearningRate + ".csv";
    public const string LearningRateSummaryCsv = LearningRate + "-summary.csv";
    public const string LearningRatePng = LearningRate + ".png";
    public const string WidthCsv = Width + ".csv";
    public const string WidthSummaryCsv = Width + "-summary.csv";
    public const string WidthPng = Width + ".png";

    /// <summary>
    /// The planted U0 of a result (<see cref="PlantedCheck"/>, <see cref="LearningRate"/> or <see cref="Width"/>). Each result
    /// names its own copy: the commands share one folder, and a later command with another --dim or --seed must not leave
    /// an earlier result beside weights it was not computed from.
    /// </summary>
    public static string U0Csv(string result) => $"{result}-U0.csv";

    /// <summary>The planted V0 of a result; see <see cref="U0Csv"/>.</summary>
    public static string V0Csv(string result) => $"{result}-V0.csv";

    /// <summary>
    /// The planted weights a result rests on, U0 (n x r0) and V0 (D x r0), one entry per row under the plain header
    /// <c>row,col,value</c> (float values, round-trippable). Written right after the result's own files, so that a run
    /// stopped while it trains leaves the earlier result and its weights together.
    /// </summary>
    public static void WritePlanted(RunContext ctx, PlantedNetwork planted, string result)
    {
        Csv.WriteRows(ctx.PathOf(U0Csv(result)), ["row", "col", "value"], Entries(planted.U0, planted.N, planted.R0).Select(e => (IReadOnlyList<string>)[.. e]));
        Csv.WriteRows(ctx.PathOf(V0Csv(result)), ["row", "col", "value"], Entries(planted.V0, planted.D, planted.R0).Select(e => (IReadOnlyList<string>)[.. e]));
    }

    /// <summary>The planted weights of several seeds in two files, under the header <c>seed,row,col,value</c>.</summary>
    public static void WritePlanted(string u0Path, string v0Path, IReadOnlyList<(string Seed, PlantedNetwork Planted)> networks)
    {
        Csv.WriteRows(u0Path, ["seed", "row", "col", "value"],
            networks.SelectMany(p => Entries(p.Planted.U0, p.Planted.N, p.Planted.R0).Select(e => (IReadOnlyList<string>)[p.Seed, .. e])));
        Csv.WriteRows(v0Path, ["seed", "row", "col", "value"],
            networks.SelectMany(p => Entries(p.Planted.V0, p.Planted.D, p.Planted.R0).Select(e => (IReadOnlyList<string>)[p.Seed, .. e])));
    }

    private static IEnumerable<string[]> Entries(float[] matrix, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                yield return [i.ToString(CultureInfo.InvariantCulture), j.ToString(CultureInfo.InvariantCulture), Csv.Number(matrix[i * cols + j])];
    }

    public static void WritePlantedCheck(RunContext ctx, PlantedCheckResult result)
    {
        Csv.WriteColumns(ctx.PathOf(PlantedCheckCsv), ["batch", "mean_squared_norm_y"],
            [Enumerable.Range(1, result.MeanSquaredNorms.Length).Select(i => (double)i).ToArray(), result.MeanSquaredNorms]);
        var s = result.Setting;
        ctx.Out.WriteLine($"Planted network D = {s.D}, r0 = {s.R0}, n = {s.N}; {result.MeanSquaredNorms.Length} fresh mini-batches of {result.BatchSize}:");
        for (int b = 0; b < result.MeanSquaredNorms.Length; b++)
            ctx.Out.WriteLine($"  batch {b + 1,2}: average ||y_i||^2 = {F(result.MeanSquaredNorms[b])}");
        var (mean, se) = result.Overall();
        ctx.Out.WriteLine($"  all batches: {F(mean)} (standard error {F(se)})");
        ctx.Out.WriteLine($"Analytic E||y||^2 for these planted weights = {F(result.Expected)} "
            + $"(diagonal part sum_j ||U0[:,j]||^2 ||V0[:,j]||^2 / 2 = {F(result.ExpectedDiagonal)}; averaged over planted weights too: n/2 = {F(s.N / 2.0)})");
    }

    /// <summary>The files of the lr-sweep, then its console lines (<see cref="PrintLearningRateSweep"/> and <see cref="PrintWroteLearningRateSweep"/>).</summary>
    public static void WriteLearningRateSweep(RunContext ctx, LearningRateSweepResult result)
    {
        WriteLearningRateSweepFiles(ctx, result);
        PrintLearningRateSweep(ctx, result);
        PrintWroteLearningRateSweep(ctx);
    }

    /// <summary>The lr-sweep's curves and summary (CSV) and its plot (PNG), with no console line.</summary>
    public static void WriteLearningRateSweepFiles(RunContext ctx, LearningRateSweepResult result)
    {
        string[] names = result.Curves.Select(c => $"eta={Options.Format(c.Settings.Eta)}").ToArray();
        WriteCurves(ctx.PathOf(LearningRateCsv), names, result.Curves);
        WriteSummary(ctx.PathOf(LearningRateSummaryCsv), null, [], result.Curves);
        var series = result.Curves.Select(c => Line($"eta = {Options.Format(c.Settings.Eta)}", c)).ToArray();
        var s = result.Setting;
        LinePlot.Save(ctx.PathOf(LearningRatePng), new Panel(
            $"Problem 2(c): SGD, r = {result.R}, m = {s.Batch}, D = {s.D}, n = {s.N}, r0 = {s.R0}",
            $"epoch ({s.EpochSize} samples)", "average mini-batch objective", series, LogY: true));
    }

    /// <summary>The lr-sweep's outcome on the console: each step size's final objective or divergence, and the best.</summary>
    public static void PrintLearningRateSweep(RunContext ctx, LearningRateSweepResult result)
    {
        var s = result.Setting;
        ctx.Out.WriteLine($"Learning-rate sweep, r = {result.R}, m = {s.Batch}, {result.Curves[0].Settings.Epochs} epochs:");
        foreach (var c in result.Curves)
            ctx.Out.WriteLine($"  eta = {Options.Format(c.Settings.Eta),-8} {Outcome(c)}");
        ctx.Out.WriteLine(result.Lowest switch
        {
            [] => "Every learning rate diverged.",
            [var best] => $"Lowest final objective: eta = {Options.Format(best.Settings.Eta)} ({F(best.Final)}).",
            var tied => $"Lowest final objective {F(tied[0].Final)}, at eta = {string.Join(", ", tied.Select(c => Options.Format(c.Settings.Eta)))} alike; "
                + $"the first, {Options.Format(tied[0].Settings.Eta)}, is taken as the best."
                + (tied.All(c => c.Settings.Epochs == 1 && c.Settings.StepsPerEpoch == 1)
                    ? " Each run took one step, and an epoch's objective is measured on each batch before its step, so these are the starting loss: "
                        + "the step sizes can not be told apart; raise --epochs or --epoch-size."
                    : ""),
        });
    }

    /// <summary>The line that names the lr-sweep's files, once they are written.</summary>
    public static void PrintWroteLearningRateSweep(RunContext ctx) =>
        ctx.Out.WriteLine($"Wrote {ctx.PathOf(LearningRateCsv)} and {ctx.PathOf(LearningRatePng)}");

    public static void WriteWidthSweep(RunContext ctx, WidthSweepResult result)
    {
        string[] names = result.Curves.Select((c, i) => $"r/r0={Options.Format(result.Multiples[i])}").ToArray();
        WriteCurves(ctx.PathOf(WidthCsv), names, result.Curves);
        WriteSummary(ctx.PathOf(WidthSummaryCsv), "r_over_r0", result.Multiples.Select(Options.Format).ToArray(), result.Curves);
        var series = result.Curves.Select((c, i) => Line($"r/r0 = {Options.Format(result.Multiples[i])} (r = {c.Settings.R})", c)).ToArray();
        var s = result.Setting;
        LinePlot.Save(ctx.PathOf(WidthPng), new Panel(
            $"Problem 2(d): SGD, eta = {Options.Format(result.Eta)} halved every {s.HalvingPeriod} epochs, m = {s.Batch}, r0 = {s.R0}",
            $"epoch ({s.EpochSize} samples)", "average mini-batch objective", series, LogY: true));

        ctx.Out.WriteLine($"Width sweep, eta = {Options.Format(result.Eta)}, m = {s.Batch}, {result.Curves[0].Settings.Epochs} epochs:");
        for (int i = 0; i < result.Curves.Count; i++)
            ctx.Out.WriteLine($"  r/r0 = {Options.Format(result.Multiples[i]),-4} (r = {result.Curves[i].Settings.R,4}) {Outcome(result.Curves[i])}");
        ctx.Out.WriteLine(result.Comparison.Sentence());
        ctx.Out.WriteLine($"Wrote {ctx.PathOf(WidthCsv)} and {ctx.PathOf(WidthPng)}");
    }

    /// <summary>"final objective X", or "diverged at epoch k, step s (cause)".</summary>
    public static string Outcome(TrainingCurve c) =>
        c.Divergence is string where ? $"diverged at {where}" : $"final objective {F(c.Final)}";

    public static Series Line(string label, TrainingCurve c)
    {
        if (c.DivergedAtEpoch is int k) label += $" (diverged at epoch {k})";
        return new Series(label, Enumerable.Range(1, c.Objective.Length).Select(e => (double)e).ToArray(), c.Objective, Dashed: c.Diverged);
    }

    private static void WriteCurves(string path, string[] names, IReadOnlyList<TrainingCurve> curves)
    {
        int epochs = curves.Max(c => c.Settings.Epochs);
        var columns = new List<IReadOnlyList<double>> { Enumerable.Range(1, epochs).Select(e => (double)e).ToArray() };
        columns.AddRange(curves.Select(c => c.Objective));
        Csv.WriteColumns(path, ["epoch", .. names], columns);
    }

    /// <summary>
    /// One row per run: its <paramref name="key"/> column where the runs differ in something the other columns do not hold
    /// (the width multiple), then r, eta and the outcome; the lr sweep's runs differ in eta alone, so it has no key column.
    /// </summary>
    private static void WriteSummary(string path, string? key, string[] keys, IReadOnlyList<TrainingCurve> curves)
    {
        var rows = curves.Select((c, i) => (IReadOnlyList<string>)
        [
            .. key is null ? Array.Empty<string>() : [keys[i]],
            c.Settings.R.ToString(CultureInfo.InvariantCulture), Options.Format(c.Settings.Eta),
            c.Diverged ? "" : Csv.Number(c.Final), c.DivergedAtEpoch?.ToString(CultureInfo.InvariantCulture) ?? "",
            Csv.Number(c.InitialObjective),
        ]);
        string[] header = ["r", "eta", "final_objective", "diverged_at_epoch", "initial_batch_objective"];
        Csv.WriteRows(path, key is null ? header : [key, .. header], rows, divergedColumn: "diverged_at_epoch");
    }

    public static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
