using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Overparam;

/// <summary><c>engine livni-bonus</c>: the width sweep of (d) repeated under several settings, with its CSV, figure and report section.</summary>
public sealed class LivniBonusCommand : IReportedCommand
{
    public string Folder => "livni-bonus";

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var eta = Options.Double("--lr", LivniBonusExperiment.DefaultEta, "Initial step size of the homework setting (the best of (c)); the variations scale it", max: 10);
        var epochs = Options.Int("--epochs", LivniBonusExperiment.DefaultEpochs, "Epochs per run", max: 100_000);
        var command = new Command("livni-bonus", "HW2 2(e), bonus: the width sweep under other initialization scales, step sizes and batch sizes; which settings show Livni et al.'s pattern?");
        command.Options.Add(eta);
        command.Options.Add(epochs);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            Write(ctx, LivniBonusExperiment.Run(ctx.Experiment, parse.GetValue(eta), parse.GetValue(epochs)));
            return 0;
        });
        return [command];
    }

    public ReportSection Report(RunContext ctx) =>
        Write(ctx, LivniBonusExperiment.Run(ctx.Experiment, LivniBonusExperiment.DefaultEta, LivniBonusExperiment.DefaultEpochs));

    /// <summary>Writes the CSV (one row per setting and width) and the figure (one panel per setting); returns the section.</summary>
    public static ReportSection Write(RunContext ctx, LivniBonusResult result)
    {
        var variants = result.Variants;
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var v in variants)
            for (int i = 0; i < v.Sweep.Curves.Count; i++)
            {
                TrainingCurve c = v.Sweep.Curves[i];
                rows.Add([v.Name, Csv.Number(v.Setting.InitScale), v.Setting.Batch.ToString(inv), Csv.Number(v.Eta),
                    Csv.Number(v.Sweep.Multiples[i]), c.Diverged ? "" : Csv.Number(c.Final), c.DivergedAtEpoch?.ToString(inv) ?? ""]);
            }
        Csv.WriteRows(ctx.PathOf("livni-bonus.csv"), ["setting", "init_scale", "batch", "eta", "r_over_r0", "final_objective", "diverged_at_epoch"], rows);
        var panels = variants.Select(v => new Panel(
            $"{v.Name}: eta = {Options.Format(v.Eta)}, m = {v.Setting.Batch}, init x {Options.Format(v.Setting.InitScale)}",
            "epoch", "average mini-batch objective",
            v.Sweep.Curves.Select((c, i) => OverparamFiles.Line($"r/r0 = {Options.Format(v.Sweep.Multiples[i])}", c)).ToList(),
            LogY: true)).ToList();
        LinePlot.SaveGrid(ctx.PathOf("livni-bonus.png"), panels, columns: 3, panelWidth: 700, panelHeight: 460);

        var md = new StringBuilder();
        md.Append("**Question (HW2 2(e), bonus).** Our (d) only partly reproduces Livni et al. Under which settings (initialization scale, ");
        md.Append("step size, batch size) does the width sweep show their full pattern, wider networks training faster and to a lower objective?\n\n");
        md.Append(string.Create(inv, $"Each setting trains r/r0 = 1, 2, 4, 8 for {variants[0].Sweep.Curves[0].Settings.Epochs} epochs (eta halved every 50) on the same planted network.\n\n"));
        md.Append("![width sweeps under other settings](livni-bonus/livni-bonus.png)\n\n");
        md.Append("| setting | eta | m | init scale | final objective at r/r0 = 1, 2, 4, 8 | lower when wider | faster when wider |\n|---|---:|---:|---:|---|---|---|\n");
        foreach (var v in variants)
        {
            string finals = string.Join(", ", v.Sweep.Curves.Select(OverparamFiles.Outcome).Select(o => o.Replace("final objective ", "")));
            md.Append(string.Create(inv, $"| {v.Name} | {Options.Format(v.Eta)} | {v.Setting.Batch} | {Options.Format(v.Setting.InitScale)} | {finals} | {v.Verdict(v.Comparison.LowerWhenWider)} | {v.Verdict(v.Comparison.FasterWhenWider)} |\n"));
        }
        md.Append('\n');
        md.Append("**Answer.** " + result.Answer());
        md.Append("Data: `livni-bonus/livni-bonus.csv`.\n");
        ctx.Out.Write(md.ToString().Replace("livni-bonus/", ""));
        return new ReportSection("Homework 2, problem 2 (e), bonus: when does over-parameterization help as in Livni et al.? (engine livni-bonus)", md.ToString());
    }
}
