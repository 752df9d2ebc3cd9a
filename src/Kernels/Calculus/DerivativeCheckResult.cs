using System.Globalization;
using System.Text;

namespace Engine.Kernels.Calculus;

/// <summary>
/// The outcome of <see cref="GradientCheck"/> or <see cref="JacobianCheck"/>: one row per coordinate and per random
/// direction probed, the worst rows, and a verdict that passes when every row does.
/// </summary>
public sealed class DerivativeCheckResult
{
    internal DerivativeCheckResult(DerivativeCheckRow[] rows, int inputs, int outputs, int evaluations, DerivativeCheckOptions options,
        double noiseLevel, double measuredNoise, double relativeStep)
    {
        NoiseLevel = noiseLevel;
        MeasuredNoise = measuredNoise;
        RelativeStep = relativeStep;
        Rows = rows;
        Inputs = inputs;
        Outputs = outputs;
        Evaluations = evaluations;
        Options = options;
        CoordinateRows = Array.FindAll(rows, r => r.Kind == DerivativeCheckKind.Coordinate);
        DirectionRows = Array.FindAll(rows, r => r.Kind == DerivativeCheckKind.Direction);
        Failures = Array.FindAll(rows, r => !r.Passed).Length;
        Worst = WorstOf(rows);
        WorstCoordinate = WorstOf(CoordinateRows);
        WorstDirection = WorstOf(DirectionRows);
    }

    /// <summary>Every row: the coordinates in the order checked, then the directions.</summary>
    public IReadOnlyList<DerivativeCheckRow> Rows { get; }

    /// <summary>The rows that probed a coordinate axis.</summary>
    public IReadOnlyList<DerivativeCheckRow> CoordinateRows { get; }

    /// <summary>The rows that probed a random direction.</summary>
    public IReadOnlyList<DerivativeCheckRow> DirectionRows { get; }

    /// <summary>n, the number of coordinates of the point.</summary>
    public int Inputs { get; }

    /// <summary>m, the number of outputs (1 for a gradient check).</summary>
    public int Outputs { get; }

    /// <summary>How many times the function was evaluated.</summary>
    public int Evaluations { get; }

    /// <summary>The options the check ran with.</summary>
    public DerivativeCheckOptions Options { get; }

    /// <summary>
    /// The relative noise per evaluation the tolerances assumed: the larger of the stated
    /// <see cref="DerivativeCheckOptions.NoiseLevel"/> and <see cref="MeasuredNoise"/> (the largest over outputs).
    /// </summary>
    public double NoiseLevel { get; }

    /// <summary>The relative noise measured at the point (0 when not measured or not visible).</summary>
    public double MeasuredNoise { get; }

    /// <summary>The first step relative to each coordinate's scale: the stated one, or <c>NoiseLevel^(1/5)</c>.</summary>
    public double RelativeStep { get; }

    /// <summary>The number of rows that failed.</summary>
    public int Failures { get; }

    /// <summary>True when every row passed (also when there were no rows, for a point with no coordinates).</summary>
    public bool Passed => Failures == 0;

    /// <summary>The row with the largest <see cref="DerivativeCheckRow.Ratio"/>; null when there are no rows.</summary>
    public DerivativeCheckRow? Worst { get; }

    /// <summary>The coordinate row with the largest ratio; null when no coordinate was checked.</summary>
    public DerivativeCheckRow? WorstCoordinate { get; }

    /// <summary>The direction row with the largest ratio; null when no direction was checked.</summary>
    public DerivativeCheckRow? WorstDirection { get; }

    /// <summary>The <paramref name="count"/> rows with the largest ratios, worst first.</summary>
    public IReadOnlyList<DerivativeCheckRow> WorstRows(int count) =>
        Rows.OrderByDescending(r => r.Ratio).Take(Math.Max(0, count)).ToArray();

    /// <summary>
    /// A compact report for a console: the verdict line, the worst coordinate and the worst direction (and every
    /// failing row, up to ten), and the settings that produced the tolerances.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(Verdict());
        var shown = new List<DerivativeCheckRow>();
        if (WorstCoordinate is DerivativeCheckRow c) shown.Add(c);
        if (WorstDirection is DerivativeCheckRow d) shown.Add(d);
        foreach (DerivativeCheckRow r in WorstRows(10))
            if (!r.Passed && !shown.Contains(r)) shown.Add(r);
        if (shown.Count > 0)
        {
            text.AppendLine(DerivativeCheckRow.Header);
            foreach (DerivativeCheckRow r in shown) text.AppendLine(r.ToString());
        }
        text.Append(Settings());
        return text.ToString();
    }

    /// <summary>Every row as a table under <see cref="DerivativeCheckRow.Header"/>, then the settings line.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine(Verdict());
        text.AppendLine(DerivativeCheckRow.Header);
        foreach (DerivativeCheckRow r in Rows) text.AppendLine(r.ToString());
        text.Append(Settings());
        return text.ToString();
    }

    /// <summary>One line: PASS or FAIL, what was probed, the failures, and the worst ratio of error to tolerance.</summary>
    public string Verdict()
    {
        string worst = Worst is DerivativeCheckRow w
            ? string.Create(CultureInfo.InvariantCulture,
                $"; worst error/tolerance {w.Ratio:G3} ({(w.Kind == DerivativeCheckKind.Coordinate ? "coordinate" : "direction")} {w.Index})")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{(Passed ? "PASS" : "FAIL")}: {CoordinateRows.Count} coordinates and {DirectionRows.Count} directions of n = {Inputs}, {Failures} failed{worst}");
    }

    private string Settings() => string.Create(CultureInfo.InvariantCulture,
        $"noise level {NoiseLevel:0.00e+0} per evaluation (stated {Options.NoiseLevel:0.00e+0}, measured {MeasuredNoise:0.00e+0}), safety factor {Options.Safety:G3}, first relative step {RelativeStep:0.00e+0}, seed {Options.Seed}, {Evaluations} evaluations");

    private static DerivativeCheckRow? WorstOf(IReadOnlyList<DerivativeCheckRow> rows)
    {
        DerivativeCheckRow? worst = null;
        foreach (DerivativeCheckRow r in rows)
            if (worst is null || r.Ratio > worst.Value.Ratio) worst = r;
        return worst;
    }
}
