using System.Globalization;
using System.Text;
using Engine.Experiments.Overparam.Optimizers;
using Engine.Experiments.Text;

namespace Engine.Experiments.Overparam;

/// <summary>The answers of the bonus study as sentences; every statement is chosen, and every number taken, from the runs.</summary>
public static class LivniBonusConclusion
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string G(double v) => ReportFormat.Number(v, "G2");

    /// <summary>A ratio to two significant digits, written out in full from 100 up (140 and 25,000, not 1.4e+2 and 2.5e+4).</summary>
    private static string Times(double v)
    {
        if (!(v >= 100)) return G(v);
        double unit = Math.Pow(10, Math.Floor(Math.Log10(v)) - 1);
        return (Math.Round(v / unit) * unit).ToString("N0", Inv);
    }

    private static string Widths(SettingResult s, Func<WidthSummary, string> cell) =>
        string.Join(", ", s.Summaries.Select(w => $"{cell(w)} at r/r0 = {w.Multiple.ToString("G3", Inv)}"));

    private static string Names(IEnumerable<SettingResult> settings) => string.Join(", ", settings.Select(s => $"*{s.Setting.Name}*"));

    /// <summary>
    /// Each setting's reason for failing the criterion, named when there are several. A reason lists its parts with
    /// semicolons, so with several settings the parts are joined with commas and the settings with semicolons.
    /// </summary>
    private static string Reasons(IReadOnlyList<SettingResult> settings) =>
        settings.Count == 1 ? settings[0].Pattern.Reason
            : string.Join("; ", settings.Select(s => $"*{s.Setting.Name}*: {s.Pattern.Reason.Replace("; ", ", ", StringComparison.Ordinal)}"));

    /// <summary>
    /// Where the speed test fails, the spread of the level it measures against: each seed's r = r0 final objective, which
    /// the wider networks of that seed have to reach. Empty where the speed test passed, since the spread does not bear on
    /// the reason given then.
    /// </summary>
    private static string ReferenceSpread(SettingResult setting)
    {
        if (setting.Pattern.FasterWhenWider) return "";
        var narrowest = setting.Curves.Select(seed => seed[0].Final).ToArray();
        string low = G(narrowest.Min()), high = G(narrowest.Max());
        // Said as what the speed is measured against, so that the figures explain the clause they follow.
        return narrowest.Length == 1 ? $" (speed is measured to the r = r0 run's final objective, {low})"
            : low == high ? $" (speed is measured to each seed's r = r0 final objective, {low} in every seed)"
            : $" (speed is measured to each seed's r = r0 final objective, from {low} to {high} over the seeds)";
    }

    /// <summary>Answer (1): which settings show Livni et al.'s pattern by the stated criterion, and how the others fall short.</summary>
    public static string Pattern(LivniBonusResult result)
    {
        var text = new StringBuilder();
        var settings = result.Settings;
        var holds = settings.Where(s => s.Pattern.Holds).ToList();
        SettingResult? closest = null;
        if (holds.Count > 0)
        {
            SettingResult first = holds[0];
            var sums = first.Summaries;
            text.Append($"Yes: the pattern holds with *{first.Setting.Name}* ({first.Setting.Describe()}): the final objective falls with width, ");
            text.Append(Widths(first, w => G(w.Final.Mean)));
            text.Append(string.Create(ReportFormat.Provider, $", and the widest network reaches the r = r0 network's final objective in {sums[^1].EpochsToReference.Mean:F0} epochs on average against {sums[0].EpochsToReference.Mean:F0}. "));
            if (holds.Count > 1) text.Append($"It also holds with {string.Join(", ", holds.Skip(1).Select(s => $"*{s.Setting.Name}*"))}. ");
        }
        else
        {
            text.Append("No setting meets the criterion. ");
            // Closest: the most seeds in width order, then the widest network quickest to the r = r0 level.
            closest = settings.Where(s => s.Pattern.SeedsOrdered > 0)
                .OrderByDescending(s => s.Pattern.SeedsOrdered).ThenBy(s => s.Summaries[^1].EpochsToReference.Mean).FirstOrDefault();
            if (closest is not null)
            {
                // "Closest" by a descriptive measure, not by the criterion's tests, and said so: a setting can pass one of
                // the two tests (named after it) and still be further from the pattern in its seeds.
                text.Append($"Closest by the seeds in width order (a description, not the criterion; then the widest network's epochs) is *{closest.Setting.Name}* ({closest.Setting.Describe()}): its final objective falls strictly with width in "
                    + $"{closest.Pattern.SeedsOrdered} of {closest.Seeds} seeds ({Widths(closest, w => G(w.Final.Mean))}), but {closest.Pattern.Reason}"
                    + $"{ReferenceSpread(closest)}. ");
                var alike = settings.Where(s => s != closest && s.Pattern.SeedsOrdered == closest.Pattern.SeedsOrdered).ToList();
                if (alike.Count > 0)
                    text.Append($"The final objective is in width order in as many seeds with {string.Join(", ", alike.Select(s => $"*{s.Setting.Name}*"))}. ");
            }
        }

        var lowerOnly = settings.Where(s => !s.Pattern.Holds && s.Pattern.LowerWhenWider && s != closest).ToList();
        // Settings named above are not repeated.
        // Both halves are the criterion's: "significantly", and each setting's own reason for the half that fails.
        if (lowerOnly.Count > 0)
            text.Append($"The final objective falls significantly from each width to the next with {Names(lowerOnly)}, but the wider networks do not "
                + $"pass the criterion's faster-when-wider test there ({Reasons(lowerOnly)}). ");
        var fasterOnly = settings.Where(s => !s.Pattern.Holds && s.Pattern.FasterWhenWider && s != closest).ToList();
        if (fasterOnly.Count > 0)
            text.Append($"Wider networks are significantly faster with {Names(fasterOnly)}, but the final objective does not fall significantly from each "
                + $"width to the next ({Reasons(fasterOnly)}). ");

        // Where the order breaks: the width that ends lowest, among settings whose every run converged.
        var converged = settings.Where(s => s.Diverged == 0 && !s.Pattern.LowerWhenWider).ToList();
        if (converged.Count > 0)
        {
            var best = converged.GroupBy(s => s.Summaries.MinBy(w => w.Final.Mean)!.Multiple).OrderByDescending(g => g.Count()).First();
            if (best.Key < settings[0].Multiples[^1])
                text.Append(converged.Count == 1
                    ? string.Create(ReportFormat.Provider, $"With *{converged[0].Setting.Name}*, in which no run diverged but whose final objective does not fall significantly with width, r/r0 = {best.Key:G3} ends lowest and the wider networks end higher. ")
                    : string.Create(ReportFormat.Provider, $"Of the {converged.Count} settings in which no run diverged but whose final objective does not fall significantly with width, {best.Count()} {(best.Count() == 1 ? "ends" : "end")} lowest at r/r0 = {best.Key:G3}, with the wider networks ending higher. "));
        }
        var diverged = settings.Where(s => s.Diverged > 0).ToList();
        if (diverged.Count > 0)
            text.Append($"Runs diverged with {string.Join(", ", diverged.Select(s => $"*{s.Setting.Name}* ({s.Diverged})"))}, which rules them out. ");
        return text.ToString().TrimEnd();
    }

    /// <summary>Answer (2): which setting gets every width to near-zero error, and how fast.</summary>
    public static string Converse(LivniBonusResult result)
    {
        var text = new StringBuilder();
        string level = string.Create(ReportFormat.Provider, $"{result.Plan.NearZeroFraction:G3} E||y||^2");
        var qualifying = result.Settings.Where(s => s.NearZero.Holds).OrderBy(s => s.NearZero.SlowestMeanEpochs).ToList();
        if (qualifying.Count > 0)
        {
            SettingResult fastest = qualifying[0];
            // Settings whose slowest width is exactly as fast tie (settings that share their r = r0 run do): each is
            // named, with its epochs per width, which is where they differ.
            var fastestTied = qualifying.TakeWhile(s => s.NearZero.SlowestMeanEpochs == fastest.NearZero.SlowestMeanEpochs).ToList();
            string Epochs(SettingResult s) => Widths(s, w => w.EpochsToNearZero.Mean.ToString("F0", Inv));
            if (fastestTied.Count == 1)
            {
                // A constant eta is in the description already; a rule or tuning gives each width its own.
                string etas = fastest.Setting.Rule == WidthRule.Constant ? "" : $", eta per width {string.Join(", ", fastest.Etas.Select(G))}";
                text.Append($"*{fastest.Setting.Name}* ({fastest.Setting.Describe()}{etas}) gets every width below {level} in every seed; ");
                text.Append("mean epochs to get there: " + Epochs(fastest));
                text.Append(string.Create(ReportFormat.Provider, $"; final objectives (geometric means): {Widths(fastest, w => G(w.Final.Mean))}. "));
            }
            else
            {
                string names = string.Join(", ", fastestTied.SkipLast(1).Select(s => $"*{s.Setting.Name}*")) + $" and *{fastestTied[^1].Setting.Name}*";
                text.Append(string.Create(ReportFormat.Provider, $"{names} tie as the fastest: each gets every width below {level} in every seed, its slowest width in {fastest.NearZero.SlowestMeanEpochs:F0} epochs on average. "));
                text.Append("Mean epochs to get there: " + string.Join("; ", fastestTied.Select(s => $"*{s.Setting.Name}* {Epochs(s)}")) + ". ");
            }
            if (qualifying.Count > fastestTied.Count)
                text.Append("Also there: " + string.Join(", ", qualifying.Skip(fastestTied.Count).Select(s =>
                    string.Create(ReportFormat.Provider, $"*{s.Setting.Name}* (slowest width {s.NearZero.SlowestMeanEpochs:F0} epochs)"))) + ".");
            return text.ToString().TrimEnd();
        }
        text.Append($"No setting gets every width below {level} in every seed. ");
        var candidates = result.Settings.Where(s => s.Diverged == 0).ToList();
        int most = candidates.Count == 0 ? 0 : candidates.Max(s => s.NearZero.RunsAtNearZero);
        // A closest setting only where one stands out: some run got there, and no other setting has as many.
        var tied = candidates.Where(s => s.NearZero.RunsAtNearZero == most).ToList();
        if (most == 0)
            text.Append("No run of a setting without divergence ends there.");
        else if (tied.Count > 1)
            text.Append($"The closest are {Names(tied)}, with {most} of {tied[0].NearZero.Runs} runs there each.");
        else
        {
            SettingResult closest = tied[0];
            var misses = closest.Summaries.Where(w => w.NearZeroAtEnd < w.Seeds).Select(w => string.Create(ReportFormat.Provider, $"r/r0 = {w.Multiple:G3} in {w.Seeds - w.NearZeroAtEnd} of {w.Seeds} seeds"));
            text.Append($"The closest is *{closest.Setting.Name}*, with {most} of {closest.NearZero.Runs} runs there; it misses at {string.Join(", ", misses)}.");
        }
        return text.ToString();
    }

    /// <summary>Why: the mechanism the measured evidence supports (see <see cref="Mechanism(MechanismEvidence)"/>).</summary>
    public static string Mechanism(LivniBonusResult result) => Mechanism(MechanismEvidence.Of(result));

    /// <summary>
    /// The mechanism sentence, chosen by the evidence: the largest stable step against width when SGD is step-limited
    /// and that step shrinks with width; SGD's noise floor set by eta/m when a tenfold batch lowers the end; otherwise
    /// that the runs single out none. Adam's noise floor is added when a tenfold batch lowers Adam's end.
    /// </summary>
    public static string Mechanism(MechanismEvidence e)
    {
        var text = new StringBuilder();
        string Steps(IReadOnlyList<double?> s) => string.Join(", ", s.Select(v => v is double d ? G(d) : "none"));
        if (e.SgdStepLimited && e.StableStepShrinks)
        {
            text.Append("What limits SGD here is the largest stable step, and how it changes with width. ");
            text.Append(string.Create(ReportFormat.Provider, $"SGD here is limited by its step, not by its noise: the same eta with ten times the batch (the same step on a mean over ten times the samples: less noise, and ten times fewer steps) ends {Times(e.SgdBatchRatio!.Value)} times higher, "));
            text.Append(string.Create(ReportFormat.Provider, $"and the step tuned per width ends {Times(e.TunedGain!.Value)} times lower than the homework's eta (geometric means over widths). "));
            // Each clause only where its own numbers hold: the trend of the stable step, the tuned steps it rules out,
            // and the criterion's speed test of the homework's single eta.
            text.Append("Under the standard parameterization the largest stable step on the tuning grid "
                + (e.StableStepNeverGrows ? "shrinks as r grows" : "is smaller at the widest width than at r = r0") + $" ({Steps(e.StableSteps!)} from r = r0 up)");
            if (e.TunedStepsAboveWidestStable > 0)
            {
                var chosen = e.ChosenSteps!;
                bool every = e.TunedStepsAboveWidestStable == chosen.Count - 1;
                // The tuned steps are listed only where they differ from the stable ones just listed.
                bool same = chosen.Select(v => (double?)v).SequenceEqual(e.StableSteps!);
                text.Append($", so the widest network cannot take {(every ? "the steps" : "some of the steps")} tuned for the narrower ones "
                    + $"(it is stable only up to {G(e.StableSteps![^1]!.Value)}{(same ? "" : $"; tuned {Steps(chosen.Select(v => (double?)v).ToList())} from r = r0 up")})");
            }
            if (e.SgdWiderFaster == false)
                // Known only where the homework's setting ran without diverging: its eta is then stable at every width.
                text.Append("; at the homework's one eta for all widths, which every width runs without diverging, the wider networks still do not pass "
                    + "the criterion's faster-when-wider test, which the stable step alone does not explain");
            text.Append(". ");
            if (e.NtkStableStepConstant)
                text.Append(e.NtkStableSteps![0] >= e.NtkGridTop
                    ? $"With the output scaled by 1/sqrt(r) (NTK) every step on the grid, up to {G(e.NtkGridTop!.Value)}, is stable at every width. "
                    : $"With the output scaled by 1/sqrt(r) (NTK) the largest stable step is the same at every width ({G(e.NtkStableSteps![0]!.Value)}). ");
        }
        else if (e.SgdNoiseFloor)
        {
            text.Append("SGD's noise floor, set by eta/m. ");
            text.Append(string.Create(ReportFormat.Provider, $"The same eta with ten times the batch ends {Times(1 / e.SgdBatchRatio!.Value)} times lower, so the final objective is where SGD's gradient noise holds it, not where the optimization stops. "));
        }
        else
        {
            text.Append("The runs single out no mechanism: ");
            text.Append(e.SgdBatchRatio is double r ? string.Create(ReportFormat.Provider, $"ten times the batch at the same eta ends {Times(r)} times the homework's final objective") : "the batch-size comparison was not run");
            text.Append(e.StableSteps is { } s ? $", and the largest stable step per width is {Steps(s)}. " : ". ");
        }
        if (e.AdamNoiseFloor)
        {
            text.Append(string.Create(ReportFormat.Provider, $"Adam, whose steps do not shrink with the gradient, ends at a noise floor instead: ten times the batch ends {Times(1 / e.AdamBatchRatio!.Value)} times lower"));
            text.Append(e.AdamScaledStep is { } a && a.SeedsOrdered * 2 > a.Seeds
                ? e.AdamScaledLowerWhenWider switch
                {
                    true => $"; a step that shrinks with width lowers that floor for the wider networks (*{a.Name}*: the final objective falls with width in {a.SeedsOrdered} of {a.Seeds} seeds).",
                    false => $"; with a step that shrinks with width (*{a.Name}*) the final objective falls with width in {a.SeedsOrdered} of {a.Seeds} seeds, but it does not end below plain Adam at every wider width.",
                    null => $"; with a step that shrinks with width (*{a.Name}*) the final objective falls with width in {a.SeedsOrdered} of {a.Seeds} seeds.",
                }
                : ".");
        }
        return text.ToString().TrimEnd();
    }
}
