using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The measured numbers the "why" of the bonus study is chosen from. Each is null when the plan lacks the settings it
/// compares. Ratios of final objectives are geometric means over the widths of the per-width geometric means over seeds.
/// </summary>
/// <param name="SgdBatchRatio">Final objective of SGD with ten times the batch at the same eta (eta/m ten times smaller, ten times fewer steps) over that of the homework setting: above 1 means the end of training is limited by the steps taken, below 1 by SGD's noise, which scales with eta/m.</param>
/// <param name="AdamBatchRatio">The same ratio for Adam.</param>
/// <param name="TunedGain">Final objective of the homework setting over that of the setting whose eta is tuned per width: above 1 means steps chosen per width end lower.</param>
/// <param name="StableSteps">The largest stable step per width on the tuning grid of the standard, SGD, tuned setting (narrowest width first; null entries diverged at every candidate).</param>
/// <param name="NtkStableSteps">The same for the NTK-parameterized tuned setting.</param>
/// <param name="ChosenSteps">The step the standard SGD tuned setting chose per width.</param>
/// <param name="NtkGridTop">The largest step of the NTK setting's tuning grid: a stable step equal to it is only a lower bound.</param>
/// <param name="AdamScaledStep">The Adam setting whose step shrinks with width (r0/r or sqrt(r0/r)) with the most seeds in width order, and that count.</param>
/// <param name="SgdWiderFaster">Whether the homework's SGD setting passes the criterion's "faster when wider" test; null when it is missing or a run diverged.</param>
/// <param name="AdamScaledLowerWhenWider">Whether <paramref name="AdamScaledStep"/>'s setting ends lower than plain Adam at every width wider than r0 (geometric means over seeds).</param>
public sealed record MechanismEvidence(double? SgdBatchRatio, double? AdamBatchRatio, double? TunedGain,
    IReadOnlyList<double?>? StableSteps, IReadOnlyList<double?>? NtkStableSteps, IReadOnlyList<double>? ChosenSteps,
    (string Name, int SeedsOrdered, int Seeds)? AdamScaledStep = null, double? NtkGridTop = null, bool? SgdWiderFaster = null,
    bool? AdamScaledLowerWhenWider = null)
{
    /// <summary>The largest stable step falls from the narrowest to the widest width (both measured).</summary>
    public bool StableStepShrinks => StableSteps is { Count: > 1 } s && s[0] is double a && s[^1] is double b && b < a;

    /// <summary>The largest stable step is measured at every width and never grows from one width to the next.</summary>
    public bool StableStepNeverGrows => StableSteps is { Count: > 1 } s && s.All(v => v is not null)
        && Enumerable.Range(1, s.Count - 1).All(i => s[i] <= s[i - 1]);

    /// <summary>How many narrower widths were tuned to a step above the widest width's largest stable step (0 when either is not measured).</summary>
    public int TunedStepsAboveWidestStable => StableSteps is { Count: > 1 } s && s[^1] is double top && ChosenSteps is { } c && c.Count == s.Count
        ? c.Take(c.Count - 1).Count(eta => eta > top)
        : 0;

    /// <summary>Under the NTK parameterization the largest stable step is the same at every width.</summary>
    public bool NtkStableStepConstant => NtkStableSteps is { Count: > 1 } s && s.All(v => v is not null) && s.Distinct().Count() == 1;

    /// <summary>SGD's end is limited by its steps (a tenfold batch at the same eta ends higher) and a tuned step ends lower.</summary>
    public bool SgdStepLimited => SgdBatchRatio > 1 && TunedGain > 1;

    /// <summary>SGD's end is its noise floor: a tenfold batch at the same eta ends lower.</summary>
    public bool SgdNoiseFloor => SgdBatchRatio < 1;

    /// <summary>Adam's end is its noise floor: a tenfold batch at the same eta ends lower.</summary>
    public bool AdamNoiseFloor => AdamBatchRatio < 1;

    public static MechanismEvidence Of(LivniBonusResult result)
    {
        var settings = result.Settings;
        SettingResult? Find(Func<BonusSetting, bool> f) => settings.FirstOrDefault(s => f(s.Setting));
        static bool Plain(BonusSetting s, OptimizerKind k) => s.Optimizer == k && s.Parameterization == Parameterization.Standard
            && s.InitScale == 1 && s.Rule == WidthRule.Constant;
        SettingResult? sgd = Find(s => Plain(s, OptimizerKind.Sgd) && s.Batch == 10);
        SettingResult? sgdBig = sgd is null ? null : Find(s => Plain(s, OptimizerKind.Sgd) && s.Batch == 10 * sgd.Setting.Batch && s.Eta == sgd.Setting.Eta);
        SettingResult? adam = Find(s => Plain(s, OptimizerKind.Adam) && s.Batch == 10);
        SettingResult? adamBig = adam is null ? null : Find(s => Plain(s, OptimizerKind.Adam) && s.Batch == 10 * adam.Setting.Batch && s.Eta == adam.Setting.Eta);
        SettingResult? tuned = Find(s => s.Optimizer == OptimizerKind.Sgd && s.Parameterization == Parameterization.Standard && s.InitScale == 1 && s.Rule == WidthRule.Tuned);
        SettingResult? ntk = Find(s => s.Optimizer == OptimizerKind.Sgd && s.Parameterization == Parameterization.Ntk && s.Rule == WidthRule.Tuned);
        SettingResult? scaled = settings.Where(s => s.Setting.Optimizer == OptimizerKind.Adam
            && s.Setting.Rule is WidthRule.InverseWidth or WidthRule.InverseSqrtWidth).MaxBy(s => s.Pattern.SeedsOrdered);
        return new MechanismEvidence(Ratio(sgdBig, sgd), Ratio(adamBig, adam), Ratio(sgd, tuned),
            tuned?.Tuning.Select(t => t.LargestStable).ToArray(), ntk?.Tuning.Select(t => t.LargestStable).ToArray(), tuned?.Etas.ToArray(),
            scaled is null ? null : (scaled.Setting.Name, scaled.Pattern.SeedsOrdered, scaled.Seeds),
            ntk?.Tuning.Count > 0 ? ntk.Tuning[0].Etas.Max() : null,
            // A setting with a diverged run never reaches the speed test, so it says nothing about speed.
            sgd is { Diverged: 0 } ? sgd.Pattern.FasterWhenWider : null, LowerAtEveryWiderWidth(scaled, adam));
    }

    /// <summary>Whether <paramref name="a"/> ends below <paramref name="b"/> at every width but the first (geometric means over seeds); null when either is missing or a width has no converged run.</summary>
    private static bool? LowerAtEveryWiderWidth(SettingResult? a, SettingResult? b) =>
        LogGaps(a, b) is { Length: > 1 } gaps ? gaps.Skip(1).All(g => g < 0) : null;

    /// <summary>
    /// The geometric mean over widths of final(a) / final(b), each the geometric mean over seeds; null when either is
    /// missing or a width has no converged run in one of them.
    /// </summary>
    public static double? Ratio(SettingResult? a, SettingResult? b) =>
        LogGaps(a, b) is { } gaps ? Math.Pow(10, gaps.Sum() / gaps.Length) : null;

    /// <summary>Per width, log10 of final(a) / final(b), each the geometric mean over seeds; null when either is missing, their widths differ or a width has no converged run in one of them.</summary>
    private static double[]? LogGaps(SettingResult? a, SettingResult? b)
    {
        if (a is null || b is null || a.Widths.Count != b.Widths.Count) return null;
        var gaps = new double[a.Widths.Count];
        for (int w = 0; w < gaps.Length; w++)
        {
            var fa = a.Summary(w).FinalLog10;
            var fb = b.Summary(w).FinalLog10;
            if (fa.Count == 0 || fb.Count == 0) return null;
            gaps[w] = fa.Mean - fb.Mean;
        }
        return gaps;
    }
}
