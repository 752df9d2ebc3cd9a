using System.Globalization;
using System.Text;
using Engine.Experiments.Context;

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

/// <summary>The width sweeps of the bonus question, one per setting, and the answer they give.</summary>
public sealed record LivniBonusResult(IReadOnlyList<LivniVariant> Variants)
{
    /// <summary>
    /// Which settings show Livni et al.'s full pattern, which only partly, which diverge, and whether the batch size
    /// matters beyond the ratio eta/m; every statement is drawn from the sweeps.
    /// </summary>
    public string Answer()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var full = Variants.Where(v => v.FullPattern).Select(v => v.Name).ToList();
        text.Append(full.Count > 0
            ? $"Livni et al.'s full pattern (final objective decreasing in width, wider networks reaching the narrowest one's final level sooner) appears with: {string.Join("; ", full)}. "
            : "None of these settings shows Livni et al.'s full pattern (final objective decreasing in width and wider networks faster). ");
        var partial = Variants.Where(v => !v.FullPattern && v.Comparison.Diverged == 0 && v.Comparison.EveryWiderEndsLower).Select(v => v.Name).ToList();
        if (partial.Count > 0) text.Append($"Every over-parameterized network still ends below the r = r0 one with: {string.Join("; ", partial)}. ");
        var diverged = Variants.Where(v => v.Comparison.Diverged > 0).Select(v => v.Name).ToList();
        // Widths are swept in increasing order; when only the widest runs diverge, the stable step shrinks with width.
        bool widestDiverge = Variants.Where(v => v.Comparison.Diverged > 0)
            .All(v => v.Sweep.Curves.SkipWhile(c => !c.Diverged).All(c => c.Diverged));
        if (diverged.Count > 0)
            text.Append($"Some widths diverge with: {string.Join("; ", diverged)}{(widestDiverge ? " (always the widest ones: the wider the network, the smaller the stable step)" : "")}. ");
        // Same eta/m ratio: SGD follows nearly the same gradient-flow time per epoch, so the curves should nearly coincide.
        LivniVariant? small = Variants.FirstOrDefault(v => v.Name == "eta / 10"), big = Variants.FirstOrDefault(v => v.Name == "batch 100");
        if (small is not null && big is not null && small.Comparison.Diverged == 0 && big.Comparison.Diverged == 0)
        {
            double gap = small.Sweep.Curves.Zip(big.Sweep.Curves).Max(p => Math.Abs(p.First.Final - p.Second.Final) / p.First.Final);
            text.Append(string.Create(inv, $"Steps of eta/10 with m = 10 and of eta with m = 100 have the same ratio eta/m, and their final objectives differ by at most {100 * gap:G2}%: with small steps SGD follows the same gradient flow, so the batch size matters only through eta/m here. "));
        }
        return text.ToString();
    }
}

/// <summary>The width sweep of (d) repeated under several settings of the problem.</summary>
public static class LivniBonusExperiment
{
    public const int DefaultEpochs = 100;

    /// <summary>The initial step size of the homework setting: the best of (c).</summary>
    public const double DefaultEta = 0.01;

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

    /// <summary>Every variation of the homework setting, each swept over r/r0 = 1, 2, 4, 8 on the same planted network.</summary>
    public static LivniBonusResult Run(ExperimentContext ctx, double eta, int epochs)
    {
        var baseline = new ProblemSetting();
        var planted = SgdSweep.Planted(ctx.Sampler(), baseline);
        return new LivniBonusResult(Variations(baseline, eta)
            .Select(v => new LivniVariant(v.Name, v.Setting, v.Eta, WidthSweepExperiment.Run(ctx, v.Setting, planted, v.Eta, WidthSweepExperiment.DefaultMultiples, epochs)))
            .ToList());
    }
}
