using System.Globalization;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Experiments.Overparam;
using Engine.Experiments.Text;

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

    /// <summary>A sweep's initial U of the runs of width <paramref name="r"/> (<see cref="WriteReplay"/>).</summary>
    public static string InitialUCsv(string result, int r) => InitialCsv(result, r.ToString(CultureInfo.InvariantCulture), "U");

    /// <summary>A sweep's initial V of the runs of width <paramref name="r"/> (<see cref="WriteReplay"/>).</summary>
    public static string InitialVCsv(string result, int r) => InitialCsv(result, r.ToString(CultureInfo.InvariantCulture), "V");

    /// <summary>The name of a sweep's initial <paramref name="matrix"/> (U or V) at width <paramref name="r"/>, which may be a placeholder such as "&lt;r&gt;".</summary>
    public static string InitialCsv(string result, string r, string matrix) => $"{result}-init-r{r}-{matrix}.csv";

    /// <summary>The names of a sweep's replay files, with r for the width: for the console.</summary>
    public static string ReplayFiles(string result) =>
        $"{InitialCsv(result, "<r>", "U")}, {InitialCsv(result, "<r>", "V")}, {BatchesCsv(result)}, {FirstStepsCsv(result)}";

    /// <summary>A sweep's first mini-batches (<see cref="WriteReplay"/>).</summary>
    public static string BatchesCsv(string result) => $"{result}-batches.csv";

    /// <summary>A sweep's first mini-batch objectives of every run (<see cref="WriteReplay"/>).</summary>
    public static string FirstStepsCsv(string result) => $"{result}-first-steps.csv";

    /// <summary>planted-check's summary: the batches' mean and the exact expectation with its parts.</summary>
    public const string PlantedCheckSummaryCsv = PlantedCheck + "-summary.csv";

    /// <summary>planted-check's samples, one a row under <c>batch,sample,x0..,y0..</c> (the first batches, see <see cref="PlantedCheckResult.SampledBatches"/>).</summary>
    public const string PlantedCheckSamplesCsv = PlantedCheck + "-samples.csv";

    /// <summary>
    /// What it takes to replay a sweep's first steps (<see cref="SgdSweep.ReplaySteps"/>) elsewhere, beside the planted
    /// weights and the settings: each width's initial U (n x r) and V (D x r) as plain matrices, a row per line under the
    /// header <c>c1..c{r}</c> (a matrix per file is read in one call, and it formats a quarter of the cells of one entry a
    /// row: the widths of (d) in a <c>r,row,col,value</c> file took 70 ms, which the timed protocol counts); the mini-batches
    /// in order, one sample a row under <c>step,sample,x0..x{D-1},y0..y{n-1}</c> (step k's batch is the one the runs train
    /// on in their k-th step, counted from 1); and every run's mini-batch objective before each of those steps under
    /// <c>r,eta,step,batch_objective</c> (a run that diverged sooner stops at the step that diverged). Values are the floats
    /// the engine used, written round-trippably.
    /// </summary>
    public static void WriteReplay(RunContext ctx, string result, SweepReplay replay, IReadOnlyList<TrainingCurve> curves, int d, int n)
    {
        string R(int r) => r.ToString(CultureInfo.InvariantCulture);
        foreach (var w in replay.Initial) WriteInitial(ctx.PathOf(InitialUCsv(result, w.R)), ctx.PathOf(InitialVCsv(result, w.R)), w, d, n);
        // A sweep's runs share one batch size (SgdSweep.Train), so it has one stream of batches.
        SweepReplay.Batches batches = replay.Streams.Single();
        WriteBatches(ctx.PathOf(BatchesCsv(result)), "step", batches, d, n);
        // Only finite objectives are written: the step a run diverged in is the last row of that run when its objective was finite.
        Csv.WriteRows(ctx.PathOf(FirstStepsCsv(result)), ["r", "eta", "step", "batch_objective"],
            curves.SelectMany(c => (c.FirstSteps ?? []).Take(batches.Steps).TakeWhile(double.IsFinite).Select((v, k) => (IReadOnlyList<string>)
                [R(c.Settings.R), Csv.Number(c.Settings.Eta), R(k + 1), Csv.Number(v)])));
    }

    /// <summary>The initial U (n x r) and V (D x r) of <paramref name="w"/>, each a plain matrix of its float values (see <see cref="WriteReplay"/>).</summary>
    internal static void WriteInitial(string uPath, string vPath, SweepReplay.Weights w, int d, int n)
    {
        Csv.WriteMatrix(uPath, w.U.Select(v => (double)v).ToArray(), n, w.R);
        Csv.WriteMatrix(vPath, w.V.Select(v => (double)v).ToArray(), d, w.R);
    }

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

    /// <summary>
    /// Mini-batches in order, one sample a row under <c>{batchColumn},sample,x0..x{D-1},y0..y{n-1}</c>, the batch counted
    /// from 1 and the sample from 0: <paramref name="x"/> holds an m x D block per batch and <paramref name="y"/> an m x n one.
    /// </summary>
    internal static void WriteBatches(string path, string batchColumn, SweepReplay.Batches batches, int d, int n) =>
        WriteBatches(path, batchColumn, batches.X, batches.Y, batches.Batch, d, n);

    /// <inheritdoc cref="WriteBatches(string, string, SweepReplay.Batches, int, int)"/>
    private static void WriteBatches(string path, string batchColumn, float[] x, float[] y, int m, int d, int n)
    {
        int batches = x.Length / (m * d), cols = 2 + d + n;
        var rows = new double[batches * m * cols];
        for (int k = 0; k < batches; k++)
            for (int i = 0; i < m; i++)
            {
                Span<double> row = rows.AsSpan((k * m + i) * cols, cols);
                row[0] = k + 1;
                row[1] = i;
                for (int j = 0; j < d; j++) row[2 + j] = x[(k * m + i) * d + j];
                for (int j = 0; j < n; j++) row[2 + d + j] = y[(k * m + i) * n + j];
            }
        string[] header = [batchColumn, "sample", .. Enumerable.Range(0, d).Select(j => $"x{j}"), .. Enumerable.Range(0, n).Select(j => $"y{j}")];
        Csv.WriteMatrix(path, rows, batches * m, cols, header);
    }

    public static void WritePlantedCheck(RunContext ctx, PlantedCheckResult result)
    {
        Csv.WriteColumns(ctx.PathOf(PlantedCheckCsv), ["batch", "mean_squared_norm_y"],
            [Enumerable.Range(1, result.MeanSquaredNorms.Length).Select(i => (double)i).ToArray(), result.MeanSquaredNorms]);
        var s = result.Setting;
        var (overall, error) = result.Overall();
        Csv.WriteRows(ctx.PathOf(PlantedCheckSummaryCsv),
            ["batches", "batch_size", "mean_squared_norm_y", "standard_error", "exact_expectation", "exact_diagonal_part", "expectation_over_planted_weights", "batches_in_samples_file"],
            [[result.MeanSquaredNorms.Length.ToString(CultureInfo.InvariantCulture), result.BatchSize.ToString(CultureInfo.InvariantCulture),
              Csv.Number(overall), double.IsFinite(error) ? Csv.Number(error) : "", Csv.Number(result.Expected), Csv.Number(result.ExpectedDiagonal), Csv.Number(s.N / 2.0),
              result.SampledBatches.ToString(CultureInfo.InvariantCulture)]]);
        WriteBatches(ctx.PathOf(PlantedCheckSamplesCsv), "batch", result.Samples.X, result.Samples.Y, result.BatchSize, s.D, s.N);
        ctx.Out.WriteLine($"Planted network D = {s.D}, r0 = {s.R0}, n = {s.N}; {result.MeanSquaredNorms.Length} fresh mini-batches of {result.BatchSize}:");
        for (int b = 0; b < result.MeanSquaredNorms.Length; b++)
            ctx.Out.WriteLine($"  batch {b + 1,2}: average ||y_i||^2 = {F(result.MeanSquaredNorms[b])}");
        var (mean, se) = result.Overall();
        ctx.Out.WriteLine($"  all batches: {F(mean)} (standard error {F(se)})");
        ctx.Out.WriteLine($"Analytic E||y||^2 for these planted weights = {F(result.Expected)} "
            + $"(diagonal part sum_j ||U0[:,j]||^2 ||V0[:,j]||^2 / 2 = {F(result.ExpectedDiagonal)}; averaged over planted weights too: n/2 = {F(s.N / 2.0)})");
        ctx.Out.WriteLine(SamplesLine(result, ctx.PathOf(PlantedCheckSamplesCsv)));
    }

    /// <summary>Where the check's samples are, and which batches they are when not all.</summary>
    public static string SamplesLine(PlantedCheckResult result, string path) => result.SampledBatches == result.MeanSquaredNorms.Length
        ? $"The samples of every batch are in {path}."
        : $"The samples of the first {result.SampledBatches} of the {result.MeanSquaredNorms.Length} batches are in {path} (a check keeps at most {PlantedCheckExperiment.KeptSamples:N0} samples, and at least one batch).";

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
        if (result.Replay is { } replay) WriteReplay(ctx, LearningRate, replay, result.Curves, result.Setting.D, result.Setting.N);
        var series = result.Curves.Select(c => Line($"eta = {Options.Format(c.Settings.Eta)}", c)).ToArray();
        var s = result.Setting;
        LinePlot.Save(ctx.PathOf(LearningRatePng), new Panel(
            $"Problem 2(c): SGD, r = {result.R}, m = {s.Batch}, D = {s.D}, n = {s.N}, r0 = {s.R0}",
            $"epoch ({result.Curves[0].Settings.SamplesPerEpoch} samples)", "average mini-batch objective", series, LogY: true));
    }

    /// <summary>The lr-sweep's outcome on the console: each step size's final objective or divergence, and the best.</summary>
    public static void PrintLearningRateSweep(RunContext ctx, LearningRateSweepResult result)
    {
        var s = result.Setting;
        ctx.Out.WriteLine($"Learning-rate sweep, r = {result.R}, m = {s.Batch}, {Epochs(result.Curves[0].Settings.Epochs)}:");
        foreach (var c in result.Curves)
            ctx.Out.WriteLine($"  eta = {Options.Format(c.Settings.Eta),-8} {Outcome(c)}");
        ctx.Out.WriteLine(result.Lowest switch
        {
            [] => "Every learning rate diverged.",
            [var best] => $"Lowest final objective: eta = {Options.Format(best.Settings.Eta)} ({F(best.Final)}).",
            var tied => $"Lowest final objective {F(tied[0].Final)}, at eta = {string.Join(", ", tied.Select(c => Options.Format(c.Settings.Eta)))} alike; "
                + $"the first, {Options.Format(tied[0].Settings.Eta)}, is taken as the best." + result.TieReason
                + (tied.All(c => c.Settings.Epochs == 1 && c.Settings.StepsPerEpoch == 1)
                    ? " Each run took one step, and an epoch's objective is measured on each batch before its step, so these are the starting loss: "
                        + "the step sizes can not be told apart; raise --epochs or --epoch-size."
                    : ""),
        });
    }

    /// <summary>The line that names the lr-sweep's files, once they are written.</summary>
    public static void PrintWroteLearningRateSweep(RunContext ctx) =>
        ctx.Out.WriteLine($"Wrote {ctx.PathOf(LearningRateCsv)} and {ctx.PathOf(LearningRatePng)}, with {LearningRateSummaryCsv} and the files that replay the runs' first steps ({ReplayFiles(LearningRate)}) beside them");

    public static void WriteWidthSweep(RunContext ctx, WidthSweepResult result)
    {
        string[] names = result.Curves.Select((c, i) => $"r/r0={Options.Format(result.Multiples[i])}").ToArray();
        WriteCurves(ctx.PathOf(WidthCsv), names, result.Curves);
        WriteSummary(ctx.PathOf(WidthSummaryCsv), "r_over_r0", result.Multiples.Select(Options.Format).ToArray(), result.Curves);
        // The replay's files (about 60 ms of formatting at the homework's widths on the Zen 4, the curves and plot 30 ms) are
        // written while the plot is drawn, so the timed protocol does not wait for both in turn.
        Task replayFiles = result.Replay is { } replay
            ? Task.Run(() => WriteReplay(ctx, Width, replay, result.Curves, result.Setting.D, result.Setting.N))
            : Task.CompletedTask;
        var series = result.Curves.Select((c, i) => Line($"r/r0 = {Options.Format(result.Multiples[i])} (r = {c.Settings.R})", c)).ToArray();
        var s = result.Setting;
        try
        {
            LinePlot.Save(ctx.PathOf(WidthPng), new Panel(
                $"Problem 2(d): SGD, eta = {Options.Format(result.Eta)} halved every {s.HalvingPeriod} epochs, m = {s.Batch}, r0 = {s.R0}",
                $"epoch ({result.Curves[0].Settings.SamplesPerEpoch} samples)", "average mini-batch objective", series, LogY: true));
        }
        catch
        {
            // The plot's error is the one reported, once the replay's files are written (and, the command failing, deleted
            // with the rest): a write still running when the command ends would outlive it (see PendingFiles).
            ((IAsyncResult)replayFiles).AsyncWaitHandle.WaitOne();
            throw;
        }
        replayFiles.GetAwaiter().GetResult();

        ctx.Out.WriteLine($"Width sweep, eta = {Options.Format(result.Eta)}, m = {s.Batch}, {Epochs(result.Curves[0].Settings.Epochs)}:");
        for (int i = 0; i < result.Curves.Count; i++)
            ctx.Out.WriteLine($"  r/r0 = {Options.Format(result.Multiples[i]),-4} (r = {result.Curves[i].Settings.R,4}) {Outcome(result.Curves[i])}");
        ctx.Out.WriteLine(result.Comparison.Sentence());
        ctx.Out.WriteLine($"Wrote {ctx.PathOf(WidthCsv)} and {ctx.PathOf(WidthPng)}, with {WidthSummaryCsv} and the files that replay the runs' first steps ({ReplayFiles(Width)}) beside them");
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
            c.Settings.R.ToString(CultureInfo.InvariantCulture), Csv.Number(c.Settings.Eta),
            c.Diverged ? "" : Csv.Number(c.Final), .. DivergenceCells(c), Csv.Number(c.InitialObjective),
            .. SettingCells(c.Settings),
        ]);
        string[] header = ["r", "eta", "final_objective", .. DivergenceColumns, "initial_batch_objective", .. SettingColumns];
        Csv.WriteRows(path, key is null ? header : [key, .. header], rows, divergedColumn: "diverged_at_epoch");
    }

    /// <summary>
    /// The rest of a run's settings, so that a run can be set up again from its row alone: batch size m, epochs, samples
    /// an epoch, epochs between halvings of eta, initialization scale s (U ~ N(0, s^2/r), V ~ N(0, s^2/D)) and the
    /// objective's rise over its first value that counts as divergence.
    /// </summary>
    private static readonly string[] SettingColumns = ["batch", "epochs", "epoch_size", "halving_period", "init_scale", "divergence_factor"];

    private static string[] SettingCells(TrainingSettings t) =>
    [
        t.Batch.ToString(CultureInfo.InvariantCulture), t.Epochs.ToString(CultureInfo.InvariantCulture), t.EpochSize.ToString(CultureInfo.InvariantCulture),
        t.HalvingPeriod.ToString(CultureInfo.InvariantCulture), Csv.Number(t.InitScale), Csv.Number(t.DivergenceFactor),
    ];

    /// <summary>
    /// Where a run diverged, in full as the console says it: the epoch (from 1), the step within it (from 1), the same step
    /// counted from the run's first (the numbering of the replay's first-steps files) and the cause.
    /// </summary>
    public static readonly string[] DivergenceColumns = ["diverged_at_epoch", "diverged_at_step_in_epoch", "diverged_at_run_step", "divergence_cause"];

    /// <summary>The cells of <see cref="DivergenceColumns"/> for <paramref name="c"/>: empty when it did not diverge.</summary>
    public static string[] DivergenceCells(TrainingCurve c) => c.DivergedAtEpoch is int epoch
        ?
        [
            epoch.ToString(CultureInfo.InvariantCulture), c.DivergedAtStep?.ToString(CultureInfo.InvariantCulture) ?? "",
            c.DivergedAtRunStep?.ToString(CultureInfo.InvariantCulture) ?? "", c.DivergenceCause ?? "",
        ]
        : ["", "", "", ""];

    public static string F(double v) => ReportFormat.Number(v, "G4");

    private static string Epochs(int epochs) => epochs == 1 ? "1 epoch" : $"{epochs} epochs";
}
