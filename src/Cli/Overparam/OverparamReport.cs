using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Report;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Overparam;

/// <summary>Homework 2, problem 2 (a), (c), (d) with the homework's settings, as a section of the report.</summary>
public static class OverparamReport
{
    private const string Folder = OverparamCommand.Name;

    /// <summary>Runs (a), (c) and (d) at the best eta of (c), writes their files and returns the section.</summary>
    /// <param name="setting">The problem setting (the homework's in the report; tests pass a small one).</param>
    /// <param name="sweepEpochs">Epochs of (c).</param>
    /// <param name="widthEpochs">Epochs of (d).</param>
    public static ReportSection Run(RunContext ctx, ProblemSetting setting, int sweepEpochs = LearningRateSweepExperiment.DefaultEpochs,
        int widthEpochs = WidthSweepExperiment.DefaultEpochs)
    {
        // Under `engine all --quiet` only the report is produced; otherwise the console lines of each command appear too.
        if (ctx.Quiet) ctx = ctx.WithoutConsoleLines();
        var planted = PlantedCheckExperiment.Run(ctx.Experiment.Sampler(), setting with { Batch = PlantedCheckExperiment.DefaultBatchSize },
            PlantedCheckExperiment.DefaultBatchSize, PlantedCheckExperiment.DefaultBatches);
        var network = SgdSweep.Planted(ctx.Experiment.Sampler(), setting);
        OverparamFiles.WritePlantedCheck(ctx, planted);
        OverparamFiles.WritePlanted(ctx, network, OverparamFiles.PlantedCheck);
        var lr = LearningRateSweepExperiment.Run(ctx.Experiment, setting, network, LearningRateSweepExperiment.DefaultEtas,
            setting.WidthOf(LearningRateSweepExperiment.DefaultWidthMultiple), sweepEpochs);
        OverparamFiles.WriteLearningRateSweep(ctx, lr);
        OverparamFiles.WritePlanted(ctx, network, OverparamFiles.LearningRate);

        var md = new StringBuilder();
        AppendPlantedCheck(md, planted);
        AppendLearningRate(md, lr);
        if (lr.Best is { } best)
        {
            var width = WidthSweepExperiment.Run(ctx.Experiment, setting, network, best.Settings.Eta, WidthSweepExperiment.DefaultMultiples, widthEpochs, lr);
            OverparamFiles.WriteWidthSweep(ctx, width);
            OverparamFiles.WritePlanted(ctx, network, OverparamFiles.Width);
            AppendWidth(md, width);
        }
        else md.Append("**(d)** Not run: every learning rate of (c) diverged.\n\n");
        return new ReportSection("Homework 2, problem 2 (a)-(d): benefit of over-parameterization, after Livni et al. (engine planted-check, lr-sweep, width-sweep)", md.ToString());
    }

    private static void AppendPlantedCheck(StringBuilder md, PlantedCheckResult r)
    {
        var s = r.Setting;
        var (mean, se) = r.Overall();
        md.Append($"**(a) Planted dataset.** D = {s.D}, r0 = {s.R0}, n = {s.N}; every mini-batch holds fresh samples. ");
        md.Append($"Average ||y_i||^2 of {r.MeanSquaredNorms.Length} mini-batches of {r.BatchSize}: ");
        md.Append(string.Join(", ", r.MeanSquaredNorms.Select(OverparamFiles.F)));
        md.Append($" (all batches: {OverparamFiles.F(mean)} ± {OverparamFiles.F(se)}, one standard error). ");
        md.Append($"The exact expectation for the drawn weights is {OverparamFiles.F(r.Expected)} ");
        md.Append($"(sum over pairs of hidden units of (u_j·u_k) times the arc-cosine kernel E[relu(v_j^T x) relu(v_k^T x)]; ");
        md.Append($"its diagonal part is {OverparamFiles.F(r.ExpectedDiagonal)}, and over random planted weights it averages n/2 = {OverparamFiles.F(s.N / 2.0)}). ");
        md.Append($"Data: `{Folder}/{OverparamFiles.PlantedCheckCsv}`, `{Folder}/{OverparamFiles.PlantedCheckSummaryCsv}` (the mean and the exact expectation with its parts), `{Folder}/{OverparamFiles.PlantedCheckSamplesCsv}` ({(r.SampledBatches == r.MeanSquaredNorms.Length ? "every batch's samples" : $"the samples of the first {r.SampledBatches} batches")}) and the planted weights, {Weights(OverparamFiles.PlantedCheck)} ");
        md.Append($"((c) and (d) train on the same network: {Weights(OverparamFiles.LearningRate)} and {Weights(OverparamFiles.Width)} are copies of these).\n\n");
    }

    private static void AppendLearningRate(StringBuilder md, LearningRateSweepResult r)
    {
        var s = r.Setting;
        TrainingSettings t = r.Curves[0].Settings;
        // How the trained network starts and what is minimized: the homework leaves both to the solver, so both are said.
        md.Append($"**Training, (c) and (d).** The network f(x) = U relu(V^T x) (U n x r, V D x r) starts from U ~ N(0, s^2/r) and V ~ N(0, s^2/D) entrywise, s = {Options.Format(t.InitScale)}; ");
        md.Append($"each SGD step takes the gradient of the mini-batch objective (1/2m) sum_i ||y_i - f(x_i)||^2 on m fresh samples, and an epoch's objective is the mean of its mini-batch objectives. ");
        md.Append($"A run diverges when a mini-batch objective or the weights stop being finite, or the objective passes {t.DivergenceFactor.ToString("0.###e0", System.Globalization.CultureInfo.InvariantCulture)} times the first one. Every run's settings are in its summary CSV.\n\n");
        md.Append($"**(c) Learning rate.** r = {r.R}, m = {s.Batch}, {t.Epochs} epochs of {s.EpochSize:N0} samples, ");
        md.Append(t.HalvingPeriod < t.Epochs ? $"eta halved every {t.HalvingPeriod} epochs.\n\n" : $"eta constant (it would halve every {t.HalvingPeriod} epochs).\n\n");
        md.Append($"![lr sweep]({Folder}/{OverparamFiles.LearningRatePng})\n\n");
        md.Append("| eta | outcome |\n|---|---|\n");
        foreach (var c in r.Curves) md.Append($"| {Options.Format(c.Settings.Eta)} | {OverparamFiles.Outcome(c)} |\n");
        md.Append('\n');
        md.Append($"Answer: {r.Answer()} ");
        md.Append($"Data: `{Folder}/{OverparamFiles.LearningRateCsv}` (the curves), `{Folder}/{OverparamFiles.LearningRateSummaryCsv}` (each run's outcome and where it diverged), "
            + $"{Weights(OverparamFiles.LearningRate)}{Replay(OverparamFiles.LearningRate, r.Replay, r.Curves)}.\n\n");
    }

    private static void AppendWidth(StringBuilder md, WidthSweepResult r)
    {
        var s = r.Setting;
        md.Append($"**(d) Width.** eta = {Options.Format(r.Eta)} (the best of (c)), halved every {s.HalvingPeriod} epochs, m = {s.Batch}, ");
        md.Append($"{r.Curves[0].Settings.Epochs} epochs.\n\n");
        md.Append($"![width sweep]({Folder}/{OverparamFiles.WidthPng})\n\n");
        md.Append("| r/r0 | r | outcome |\n|---|---|---|\n");
        for (int i = 0; i < r.Curves.Count; i++)
            md.Append($"| {Options.Format(r.Multiples[i])} | {r.Curves[i].Settings.R} | {OverparamFiles.Outcome(r.Curves[i])} |\n");
        md.Append($"\nAnswer: {r.Comparison.Sentence()} Data: `{Folder}/{OverparamFiles.WidthCsv}` (the curves), `{Folder}/{OverparamFiles.WidthSummaryCsv}` (each run's outcome), "
            + $"{Weights(OverparamFiles.Width)}{Replay(OverparamFiles.Width, r.Replay, r.Curves)}.\n\n");
    }

    /// <summary>
    /// The files that replay a sweep's first steps (<see cref="OverparamFiles.WriteReplay"/>) and the conventions a replay
    /// needs: the initial weights' layout, how steps and samples are counted, the objective recorded and the update.
    /// </summary>
    private static string Replay(string result, SweepReplay? replay, IReadOnlyList<TrainingCurve> curves)
    {
        if (replay is null) return "";
        int[] widths = replay.Initial.Select(w => w.R).ToArray();
        string r = widths.Length == 1 ? widths[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : "<r>";
        int recorded = replay.Streams.Single().Steps;
        string steps = recorded == 1 ? "step" : $"{recorded} steps";
        // A run that diverged, or that has fewer steps in all, has fewer recorded steps: said for the cases this sweep has.
        var shortRuns = curves.Where(c => (c.FirstSteps?.Length ?? 0) < recorded).ToList();
        string[] why = [.. shortRuns.Any(c => c.Diverged) ? ["diverged"] : Array.Empty<string>(), .. shortRuns.Any(c => !c.Diverged) ? ["ended"] : Array.Empty<string>()];
        string shorter = why.Length == 0 ? "" : $" (fewer for a run that {string.Join(" or ", why)} sooner)";
        return $"; to replay every run's first {steps}{shorter} elsewhere: the initial U (n x r) and V (D x r) "
            + $"{(widths.Length == 1 ? $"of r = {r}" : "of each width r")}, one matrix row per line (`{Folder}/{OverparamFiles.InitialCsv(result, r, "U")}`, "
            + $"`{Folder}/{OverparamFiles.InitialCsv(result, r, "V")}`); the mini-batches, one sample per line, steps counted from 1 and samples from 0 "
            + $"(`{Folder}/{OverparamFiles.BatchesCsv(result)}`); and each run's objective (1/2m) sum_i ||y_i - U relu(V^T x_i)||^2 on the batch of each step, "
            + $"before the step U -= eta dU, V -= eta dV with that batch's gradient (`{Folder}/{OverparamFiles.FirstStepsCsv(result)}`; weights and samples are "
            + "float32 values, the objective is summed in double, so a replay agrees to float32 rounding)";
    }

    private static string Weights(string result) =>
        $"`{Folder}/{OverparamFiles.U0Csv(result)}` and `{Folder}/{OverparamFiles.V0Csv(result)}`";
}
