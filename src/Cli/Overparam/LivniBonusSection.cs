using System.Globalization;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;
using Engine.Experiments.Text;

namespace Engine.Cli.Overparam;

/// <summary>The report section of <c>engine livni-bonus</c>: design, criteria, figure, summary table, answers and files.</summary>
public static class LivniBonusSection
{
    private const string Folder = "livni-bonus";

    public static string Markdown(LivniBonusResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var plan = result.Plan;
        ProblemSetting problem = plan.Problem;
        var md = new StringBuilder();
        // The question as the homework asks it, both ways round: whether (d) reproduced Livni et al. is (d)'s answer,
        // derived from its runs, not something this text may assume.
        md.Append("**Question (HW2 2(e), bonus).** If (d) differs from Livni et al.'s Figure 1: under which settings (initialization scale, step size per width, batch size, optimizer, parameterization) do wider networks train faster and to a lower objective? ");
        md.Append("If it agrees: under which setting does every width converge fast to near-zero error? Both are asked of every setting below.\n\n");
        if (ShorterThanTheStudy(plan) is string shorter) md.Append(shorter).Append("\n\n");

        md.Append(string.Create(ReportFormat.Provider, $"**Design.** {CountText.Of(plan.Settings.Count, "setting")}, each on {CountText.Of(plan.Seeds, "seed")} (a seed is a planted network, its data stream and the initial draws; "));
        md.Append("seed s is stream s of `--seed`, and seed 0 is the instance of (d)), widths r/r0 = ");
        md.Append(string.Join(", ", plan.Multiples.Select(k => k.ToString("G3", inv))));
        // The schedule as the settings have it: a halving period at or beyond a setting's epochs never halves its eta.
        var halvings = plan.Settings.Select(s => s.HalvingPeriod < s.Epochs ? string.Create(ReportFormat.Provider, $"halved every {s.HalvingPeriod} epochs") : "constant").Distinct().ToList();
        string halving = halvings.Count == 1 ? $"eta {halvings[0]}" : $"eta {string.Join(" or ", halvings)} by setting";
        md.Append(string.Create(ReportFormat.Provider, $" (r0 = {problem.R0}, D = {problem.D}, n = {problem.N}), epochs of {problem.EpochSize:N0} fresh samples, {halving}. "));
        md.Append("Every setting sees the same planted networks, data and initial draws for a given seed, so comparisons are paired. ");
        // Only what this plan runs: a design naming settings it never trained would read as covering them.
        var parameterizations = plan.Settings.Select(x => x.Parameterization).Distinct().Select(Defined).ToList();
        md.Append((parameterizations.Count == 1 ? "Parameterization: " : "Parameterizations: ") + string.Join("; ", parameterizations) + "; V ~ N(0, s^2/D) throughout, s the initialization scale. ");
        if (plan.Settings.Any(s => s.Rule == WidthRule.Tuned))
            md.Append(string.Create(ReportFormat.Provider, $"A tuned setting picks each width's eta by an inner sweep over eta x {{{string.Join(", ", plan.TuningFactors.Select(f => f.ToString("G3", inv)))}}}, "
                + $"{CountText.Of(plan.TuningEpochs, "epoch")} each on a separate tuning seed, keeping the candidate that ends lowest. "));
        var conventions = new List<string>();
        if (plan.Settings.Any(x => x.Optimizer == OptimizerKind.Momentum))
            conventions.Add(string.Create(ReportFormat.Provider, $"momentum as `torch.optim.SGD(momentum={Optimizer.Momentum:R})`"));
        if (plan.Settings.Any(x => x.Optimizer == OptimizerKind.Adam)) conventions.Add("Adam as `torch.optim.Adam` with its defaults");
        if (conventions.Count > 0) md.Append($"PyTorch's conventions: {string.Join("; ", conventions)}. ");
        md.Append($"Every hyperparameter is in `{Folder}/{LivniBonusCommand.SettingsCsv}`.\n\n");

        md.Append("**Criteria, fixed before the runs.** " + LivniPattern.Statement + " " + NearZeroCriterion.Statement(plan.NearZeroFraction) + "\n\n");

        md.Append($"![width sweeps per setting, mean and 95 % band over seeds]({Folder}/{LivniBonusCommand.FigurePng})\n\n");

        md.Append("| setting | optimizer, parameterization, init | eta (per width) | m | epochs |");
        foreach (double k in plan.Multiples) md.Append(string.Create(ReportFormat.Provider, $" final, r/r0 = {k:G3} |"));
        md.Append(" epochs to the r = r0 final | seeds in width order | Livni pattern | every width near zero |\n|---|---|---|---:|---:|");
        foreach (double _ in plan.Multiples) md.Append("---|");
        md.Append("---|---:|---|---|\n");
        foreach (SettingResult s in result.Settings)
        {
            BonusSetting b = s.Setting;
            md.Append(string.Create(ReportFormat.Provider, $"| {b.Name} | {Optimizer.Name(b.Optimizer)}, {b.Parameterization.Name()}, x{b.InitScale:G3} | "));
            md.Append(string.Join(", ", s.Etas.Select(e => ReportFormat.Number(e, "G2"))) + (b.Rule == WidthRule.Constant ? "" : $" ({b.Rule.Name()})"));
            md.Append(string.Create(ReportFormat.Provider, $" | {b.Batch} | {b.Epochs} |"));
            var summaries = s.Summaries;
            foreach (WidthSummary w in summaries) md.Append($" {FinalCell(w)} |");
            md.Append(' ').Append(string.Join(", ", summaries.Select(EpochsCell))).Append(" |");
            PatternVerdict p = s.Pattern;
            md.Append($" {p.SeedsOrdered}/{s.Seeds} |");
            md.Append(p.Holds ? " **yes** |" : p.Diverged > 0 ? $" no ({p.Diverged} diverged) |" : " no |");
            NearZeroVerdict z = s.NearZero;
            md.Append(z.Holds ? string.Create(ReportFormat.Provider, $" **yes**, slowest width {z.SlowestMeanEpochs:F0} epochs |") : $" no ({z.RunsAtNearZero}/{z.Runs} runs) |");
            md.Append('\n');
        }
        md.Append("\nFinal objective: geometric mean over seeds with its 95 % t-interval (on log10); epochs: mean over seeds to first reach the seed's r = r0 final objective ");
        md.Append("(\"k/n\" when only k of n seeds get there); seeds in width order: seeds whose final objective falls strictly from each width to the next ");
        md.Append("(a description beside the criterion, not part of it).\n\n");

        foreach (SettingResult s in result.Settings.Where(s => s.Tuning.Count > 0))
        {
            md.Append($"Inner sweep of *{s.Setting.Name}*: ");
            md.Append(string.Join("; ", s.Tuning.Select(t => string.Create(ReportFormat.Provider,
                $"r/r0 = {t.Multiple:G3}: chose {Format(t.Chosen)}, largest stable {Stable(t)}"))));
            md.Append(".\n\n");
        }

        md.Append("**Answer (1), Livni et al.'s pattern.** " + LivniBonusConclusion.Pattern(result) + "\n\n");
        md.Append("**Answer (2), near-zero error at every width.** " + LivniBonusConclusion.Converse(result) + "\n\n");
        md.Append("**Why.** " + LivniBonusConclusion.Mechanism(result) + "\n\n");
        md.Append($"Files: `{Folder}/{LivniBonusCommand.SettingsCsv}` (one row per setting, every hyperparameter and verdict), `{Folder}/{LivniBonusCommand.SummaryCsv}` (per setting and width), ");
        md.Append($"`{Folder}/{LivniBonusCommand.RunsCsv}` (every run's curve), `{Folder}/{LivniBonusCommand.TuningCsv}` (the inner sweeps), `{Folder}/{LivniBonusCommand.FigureCsv}` (the figure's numbers), ");
        md.Append($"`{Folder}/{LivniBonusCommand.U0Csv}`, `{Folder}/{LivniBonusCommand.V0Csv}` (every seed's planted weights), `{Folder}/{LivniBonusCommand.SeedsCsv}` (each seed's E||y||^2 and near-zero level), ");
        md.Append($"and in `{Folder}/{LivniBonusCommand.ReplayFolder}/` what it takes to replay elsewhere the first steps of every run of the study: "
            + $"each seed's initial U and V per parameterization, initialization scale and width (`{Folder}/{LivniBonusCommand.ReplayFolder}/seed<s>-init-<parameterization>-x<scale>-r<r>-U.csv`, `-V.csv`, one matrix row per line), "
            + $"its first mini-batches for each batch size m ({SgdSweep.ReplaySamples} samples' worth, `{Folder}/{LivniBonusCommand.ReplayFolder}/seed<s>-m<m>-batches.csv`, steps counted from 1) "
            + $"and every run's mini-batch objective before each of those steps with its optimizer, parameterization, output scale alpha, batch size and eta "
            + $"(`{Folder}/{LivniBonusCommand.FirstStepsCsv}`; the optimizers' constants are in `{Folder}/{LivniBonusCommand.SettingsCsv}`). ");
        if (result.TuningReplay is not null)
            md.Append($"The inner sweeps' runs, on the tuning seed, have the same files with `{LivniBonusCommand.TuningSource}` in place of `seed<s>` "
                + $"and their objectives in `{Folder}/{LivniBonusCommand.TuningFirstStepsCsv}`; the tuning seed's planted weights are the rows of {LivniBonusCommand.U0Csv} and {LivniBonusCommand.V0Csv} marked `{LivniBonusCommand.TuningSource}`. ");
        md.Append(result.Settings.Any(s => s.Pattern.Holds)
            ? "`bench/peers/livni_torch.sh` reruns the settings that reproduce the pattern in PyTorch from settings.csv.\n"
            : "`bench/peers/livni_torch.sh` reruns in PyTorch, from settings.csv, the settings that reproduce the pattern; in this run there are none.\n");
        return md.ToString();
    }

    /// <summary>
    /// What this run left out of the full study (<see cref="LivniBonusPlan.Default"/>), said before its answers, which hold
    /// for its budget only; null when it is the full study or more.
    /// </summary>
    internal static string? ShorterThanTheStudy(LivniBonusPlan plan)
    {
        LivniBonusPlan full = LivniBonusPlan.Default;
        int fullEpochs = full.Settings[0].Epochs;
        var fewer = new List<string>();
        if (plan.Settings.Count < full.Settings.Count)
            fewer.Add(string.Create(ReportFormat.Provider, $"{plan.Settings.Count} of its {full.Settings.Count} settings"));
        if (plan.Seeds < full.Seeds) fewer.Add(string.Create(ReportFormat.Provider, $"{plan.Seeds} seeds instead of {full.Seeds}"));
        int epochs = plan.Settings.Count > 0 ? plan.Settings.Max(x => x.Epochs) : fullEpochs;
        if (epochs < fullEpochs) fewer.Add(string.Create(ReportFormat.Provider, $"{epochs} epochs instead of the homework's {fullEpochs}"));
        if (plan.Settings.Any(x => x.Rule == WidthRule.Tuned) && plan.TuningEpochs < full.TuningEpochs)
            fewer.Add($"inner sweeps of {CountText.Of(plan.TuningEpochs, "epoch")} instead of {full.TuningEpochs}");
        if (fewer.Count == 0) return null;
        return $"**A shorter run than the full study** ({string.Join(", ", fewer)}): its answers are for what it ran only. They can differ from "
            + "the full study's (`engine livni-bonus`, which `engine all` runs): a setting may need more epochs than this run has to reach "
            + "near-zero error or the r = r0 final objective, and a step size tuned on short runs may not be the one that is best over the whole run.";
    }

    private static string Defined(Parameterization p) => p switch
    {
        Parameterization.Standard => "standard f = U relu(V^T x) with U ~ N(0, s^2/r)",
        Parameterization.Ntk => "NTK f = U relu(V^T x) / sqrt(r) with U ~ N(0, s^2)",
        _ => "mean-field f = U relu(V^T x) / r with U ~ N(0, s^2) and eta scaled by r/r0",
    };

    /// <summary>The largest stable candidate; at the top of the grid only a lower bound, and said so.</summary>
    internal static string Stable(TuningResult t) =>
        t.LargestStable is double top && top == t.Etas.Max() ? $"at least {Options.Format(top)} (the top of the grid)" : Format(t.LargestStable);

    private static string Format(double? v) => v is double d ? Options.Format(d) : "none (all diverged)";

    private static string FinalCell(WidthSummary w)
    {
        if (w.FinalLog10.Count == 0) return "diverged";
        string cell = w.FinalLog10.Count > 1
            ? string.Create(ReportFormat.Provider, $"{w.Final.Mean:G2} [{w.Final.Low:G2}, {w.Final.High:G2}]")
            : string.Create(ReportFormat.Provider, $"{w.Final.Mean:G2}");
        return w.Diverged > 0 ? $"{cell} ({w.Diverged} diverged)" : cell;
    }

    private static string EpochsCell(WidthSummary w)
    {
        var inv = CultureInfo.InvariantCulture;
        var e = w.EpochsToReference;
        if (e.Count == 0) return "never";
        string mean = e.Mean.ToString("F0", inv);
        return e.Count < w.Seeds ? $"{mean} ({e.Count}/{w.Seeds})" : mean;
    }
}
