using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Experiments.Cli;
using Engine.Experiments.Output;
using Engine.Experiments.Report;

namespace Engine.Experiments.Overparam;

// Problem 2 (e), bonus: under which settings (initialization scale, step size, batch size) does the width sweep
// show Livni et al.'s full pattern, wider networks training faster and to a lower objective?

/// <summary>One variation of the problem setting, and the width sweep it produced.</summary>
public sealed record LivniVariant(string Name, ProblemSetting Setting, double Eta, WidthSweepResult Sweep)
{
    public LivniComparison Comparison => Sweep.Comparison;

    /// <summary>
    /// Livni et al.'s full pattern: every width trains without diverging, the final objective decreases with width,
    /// and wider networks get there sooner. A setting where some widths diverge does not count, whatever the rest do.
    /// </summary>
    public bool FullPattern => Comparison.Diverged == 0 && Comparison.LowerWhenWider && Comparison.FasterWhenWider;

    /// <summary>"yes", "no", or why the question has no answer.</summary>
    public string Verdict(bool holds) => Comparison.Diverged > 0 ? $"n/a ({Comparison.Diverged} diverged)" : holds ? "yes" : "no";
}

/// <summary><c>engine livni-bonus</c>: the width sweep of (d) repeated under several settings.</summary>
public sealed class LivniBonusExperiment : IReportedExperiment
{
    public const int DefaultEpochs = 100;

    public string Folder => "livni-bonus";

    /// <summary>The variations tried: the homework's setting, smaller and larger initializations, smaller steps, larger batches.</summary>
    public static IReadOnlyList<(string Name, ProblemSetting Setting, double Eta)> Variations(ProblemSetting baseline, double eta) =>
    [
        ("homework setting", baseline, eta),
        ("init scale 0.1", baseline with { InitScale = 0.1 }, eta),
        ("init scale 3", baseline with { InitScale = 3 }, eta),
        ("eta / 10", baseline, eta / 10),
        ("batch 100, eta x 10", baseline with { Batch = 100 }, eta * 10),
        ("batch 100", baseline with { Batch = 100 }, eta),
    ];

    public static IReadOnlyList<LivniVariant> Compute(RunContext ctx, double eta, int epochs)
    {
        var baseline = new ProblemSetting();
        var planted = SgdSweep.Planted(ctx.Sampler(), baseline);
        return Variations(baseline, eta)
            .Select(v => new LivniVariant(v.Name, v.Setting, v.Eta, WidthSweep.Run(ctx, v.Setting, planted, v.Eta, WidthSweep.DefaultMultiples, epochs)))
            .ToList();
    }

    public ReportSection Run(RunContext ctx) => Write(ctx, Compute(ctx, 0.01, DefaultEpochs));

    public static Command Create(CommonOptions common)
    {
        var eta = Options.Double("--lr", 0.01, "Initial step size of the homework setting (the best of (c)); the variations scale it", max: 10);
        var epochs = Options.Int("--epochs", DefaultEpochs, "Epochs per run", max: 100_000);
        var command = new Command("livni-bonus", "HW2 2(e), bonus: the width sweep under other initialization scales, step sizes and batch sizes; which settings show Livni et al.'s pattern?");
        command.Options.Add(eta);
        command.Options.Add(epochs);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, "livni-bonus");
            ctx.PrepareOutput();
            Write(ctx, Compute(ctx, parse.GetValue(eta), parse.GetValue(epochs)));
            return 0;
        });
        return command;
    }

    internal static ReportSection Write(RunContext ctx, IReadOnlyList<LivniVariant> variants)
    {
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
        var full = variants.Where(v => v.FullPattern).Select(v => v.Name).ToList();
        md.Append('\n');
        md.Append(full.Count > 0
            ? $"**Answer.** Livni et al.'s full pattern (final objective decreasing in width, wider networks reaching the narrowest one's final level sooner) appears with: {string.Join("; ", full)}. "
            : "**Answer.** None of these settings shows Livni et al.'s full pattern (final objective decreasing in width and wider networks faster). ");
        var partial = variants.Where(v => !v.FullPattern && v.Comparison.Diverged == 0 && v.Comparison.EveryWiderEndsLower).Select(v => v.Name).ToList();
        if (partial.Count > 0) md.Append($"Every over-parameterized network still ends below the r = r0 one with: {string.Join("; ", partial)}. ");
        var diverged = variants.Where(v => v.Comparison.Diverged > 0).Select(v => v.Name).ToList();
        // Widths are swept in increasing order; when only the widest runs diverge, the stable step shrinks with width.
        bool widestDiverge = variants.Where(v => v.Comparison.Diverged > 0)
            .All(v => v.Sweep.Curves.SkipWhile(c => !c.Diverged).All(c => c.Diverged));
        if (diverged.Count > 0)
            md.Append($"Some widths diverge with: {string.Join("; ", diverged)}{(widestDiverge ? " (always the widest ones: the wider the network, the smaller the stable step)" : "")}. ");
        // Same eta/m ratio: SGD follows nearly the same gradient-flow time per epoch, so the curves should nearly coincide.
        LivniVariant? small = variants.FirstOrDefault(v => v.Name == "eta / 10"), big = variants.FirstOrDefault(v => v.Name == "batch 100");
        if (small is not null && big is not null && small.Comparison.Diverged == 0 && big.Comparison.Diverged == 0)
        {
            double gap = small.Sweep.Curves.Zip(big.Sweep.Curves).Max(p => Math.Abs(p.First.Final - p.Second.Final) / p.First.Final);
            md.Append(string.Create(inv, $"Steps of eta/10 with m = 10 and of eta with m = 100 have the same ratio eta/m, and their final objectives differ by at most {100 * gap:G2}%: with small steps SGD follows the same gradient flow, so the batch size matters only through eta/m here. "));
        }
        md.Append("Data: `livni-bonus/livni-bonus.csv`.\n");
        ctx.Out.Write(md.ToString().Replace("livni-bonus/", ""));
        return new ReportSection("Homework 2, problem 2 (e), bonus: when does over-parameterization help as in Livni et al.? (engine livni-bonus)", md.ToString());
    }
}
