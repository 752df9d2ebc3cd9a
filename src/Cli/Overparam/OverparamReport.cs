using System.Text;
using Engine.Experiments.Cli;
using Engine.Experiments.Report;

namespace Engine.Experiments.Overparam;

/// <summary>Homework 2, problem 2 (a), (c), (d) with the homework's settings, as a section of the report.</summary>
/// <param name="problem">The problem setting (the homework's by default; tests pass a small one).</param>
/// <param name="sweepEpochs">Epochs of (c).</param>
/// <param name="widthEpochs">Epochs of (d).</param>
public sealed class OverparamExperiment(ProblemSetting? problem = null, int sweepEpochs = LearningRateSweep.DefaultEpochs,
    int widthEpochs = WidthSweep.DefaultEpochs) : IReportedExperiment
{
    public string Folder => OverparamCommands.Folder;

    public ReportSection Run(RunContext ctx)
    {
        // Under `engine all --quiet` only the report is produced; otherwise the console lines of each command appear too.
        if (ctx.Quiet) ctx = new RunContext(ctx.OutputDirectory, ctx.Seed, ctx.Threads, ctx.Quiet, TextWriter.Null);
        var setting = problem ?? new ProblemSetting();
        var planted = PlantedCheck.Run(ctx.Sampler(), setting with { Batch = PlantedCheck.DefaultBatchSize },
            PlantedCheck.DefaultBatchSize, PlantedCheck.DefaultBatches);
        OverparamFiles.WritePlantedCheck(ctx, planted);

        var network = SgdSweep.Planted(ctx.Sampler(), setting);
        var lr = LearningRateSweep.Run(ctx, setting, network, LearningRateSweep.DefaultEtas,
            setting.WidthOf(LearningRateSweep.DefaultWidthMultiple), sweepEpochs);
        OverparamFiles.WriteLearningRateSweep(ctx, lr);

        var md = new StringBuilder();
        AppendPlantedCheck(md, planted);
        AppendLearningRate(md, lr);
        if (lr.Best is { } best)
        {
            var width = WidthSweep.Run(ctx, setting, network, best.Settings.Eta, WidthSweep.DefaultMultiples, widthEpochs);
            OverparamFiles.WriteWidthSweep(ctx, width);
            AppendWidth(md, width);
        }
        else md.Append("**(d)** Not run: every learning rate of (c) diverged.\n\n");
        return new ReportSection("Homework 2, problem 2: benefit of over-parameterization (Livni et al.)", md.ToString());
    }

    private void AppendPlantedCheck(StringBuilder md, PlantedCheckResult r)
    {
        var s = r.Setting;
        var (mean, se) = r.Overall();
        md.Append($"**(a) Planted dataset.** D = {s.D}, r0 = {s.R0}, n = {s.N}; every mini-batch holds fresh samples. ");
        md.Append($"Average ||y_i||^2 of {r.MeanSquaredNorms.Length} mini-batches of {r.BatchSize}: ");
        md.Append(string.Join(", ", r.MeanSquaredNorms.Select(OverparamFiles.F)));
        md.Append($" (all batches: {OverparamFiles.F(mean)} ± {OverparamFiles.F(se)}). ");
        md.Append($"The exact expectation for the drawn weights is {OverparamFiles.F(r.Expected)} ");
        md.Append($"(sum over pairs of hidden units of (u_j·u_k) times the arc-cosine kernel E[relu(v_j^T x) relu(v_k^T x)]; ");
        md.Append($"its diagonal part is {OverparamFiles.F(r.ExpectedDiagonal)}, and over random planted weights it averages n/2 = {OverparamFiles.F(s.N / 2.0)}). ");
        md.Append($"Data: `{Folder}/{OverparamFiles.PlantedCheckCsv}`.\n\n");
    }

    private void AppendLearningRate(StringBuilder md, LearningRateSweepResult r)
    {
        var s = r.Setting;
        md.Append($"**(c) Learning rate.** r = {r.R}, m = {s.Batch}, {r.Curves[0].Settings.Epochs} epochs of {s.EpochSize} samples.\n\n");
        md.Append($"![lr sweep]({Folder}/{OverparamFiles.LearningRatePng})\n\n");
        md.Append("| eta | outcome |\n|---|---|\n");
        foreach (var c in r.Curves) md.Append($"| {Options.Format(c.Settings.Eta)} | {OverparamFiles.Outcome(c)} |\n");
        md.Append('\n');
        md.Append(r.Best is { } best
            ? $"Answer: eta = {Options.Format(best.Settings.Eta)} converges to the lowest objective ({OverparamFiles.F(best.Final)}). "
            : "Answer: every learning rate diverged. ");
        md.Append($"Data: `{Folder}/{OverparamFiles.LearningRateCsv}`.\n\n");
    }

    private void AppendWidth(StringBuilder md, WidthSweepResult r)
    {
        var s = r.Setting;
        md.Append($"**(d) Width.** eta = {Options.Format(r.Eta)} (the best of (c)), halved every {s.HalvingPeriod} epochs, m = {s.Batch}, ");
        md.Append($"{r.Curves[0].Settings.Epochs} epochs.\n\n");
        md.Append($"![width sweep]({Folder}/{OverparamFiles.WidthPng})\n\n");
        md.Append("| r/r0 | r | outcome |\n|---|---|---|\n");
        for (int i = 0; i < r.Curves.Count; i++)
            md.Append($"| {Options.Format(r.Multiples[i])} | {r.Curves[i].Settings.R} | {OverparamFiles.Outcome(r.Curves[i])} |\n");
        md.Append($"\nAnswer: {r.Comparison.Sentence()} Data: `{Folder}/{OverparamFiles.WidthCsv}`.\n\n");
    }
}
