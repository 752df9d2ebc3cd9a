namespace Engine.Experiments.Overparam;

/// <summary>How a setting's base step size eta becomes the step size of width r (r0 is the planted width).</summary>
public enum WidthRule
{
    /// <summary>eta for every width, as in the homework.</summary>
    Constant,

    /// <summary>eta r0 / r: the step shrinks as the largest stable step of the standard parameterization does.</summary>
    InverseWidth,

    /// <summary>eta sqrt(r0 / r): halfway, on a log scale, between a constant step and r0 / r.</summary>
    InverseSqrtWidth,

    /// <summary>eta r / r0: the mean-field scaling, whose output multiplier 1/r makes each unit's gradient O(1/r).</summary>
    ProportionalToWidth,

    /// <summary>The candidate of a short inner sweep (eta times each tuning factor) that ends lowest at that width.</summary>
    Tuned,
}

/// <summary>The step size each <see cref="WidthRule"/> gives, and its name in files.</summary>
public static class WidthRules
{
    /// <summary>The step size of width <paramref name="r"/>; for <see cref="WidthRule.Tuned"/> the centre of the inner sweep.</summary>
    public static double EtaAt(this WidthRule rule, double eta, int r, int r0) => rule switch
    {
        WidthRule.Constant or WidthRule.Tuned => eta,
        WidthRule.InverseWidth => eta * ((double)r0 / r),
        WidthRule.InverseSqrtWidth => eta * Math.Sqrt((double)r0 / r),
        WidthRule.ProportionalToWidth => eta * ((double)r / r0),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    /// <summary>The rule as it reads in settings.csv: "eta", "eta*r0/r", "eta*sqrt(r0/r)", "eta*r/r0" or "tuned".</summary>
    public static string Name(this WidthRule rule) => rule switch
    {
        WidthRule.Constant => "eta",
        WidthRule.InverseWidth => "eta*r0/r",
        WidthRule.InverseSqrtWidth => "eta*sqrt(r0/r)",
        WidthRule.ProportionalToWidth => "eta*r/r0",
        WidthRule.Tuned => "tuned",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
