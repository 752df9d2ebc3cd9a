using System.Globalization;

namespace Engine.Kernels.Calculus;

/// <summary>
/// One probe of a derivative check: the analytic derivative along a coordinate or a random direction against its
/// finite-difference estimate, with the tolerance derived for this probe.
/// </summary>
/// <param name="Kind">Whether <paramref name="Index"/> names a coordinate or a direction.</param>
/// <param name="Index">The coordinate i, or the number of the direction (0, 1, ...).</param>
/// <param name="Output">The output component this row reports: 0 for a scalar function; for a vector function, the
/// component whose difference is largest relative to its tolerance.</param>
/// <param name="Analytic">The claimed derivative (<c>g_i</c>, or <c>g^T d</c> along the direction the differences
/// actually probed).</param>
/// <param name="Numeric">The finite-difference estimate (Richardson-extrapolated central differences).</param>
/// <param name="Step">The largest step of the differences that were kept: in the coordinate's units for a coordinate
/// row, and as the multiple of the direction for a direction row.</param>
/// <param name="Truncation">The truncation estimate: the gap between the two Richardson levels (it also contains the
/// evaluation noise actually present).</param>
/// <param name="Rounding">The rounding allowance: the effect of the stated evaluation noise on the estimate, plus that
/// noise on the analytic value.</param>
/// <param name="Bound">The absolute tolerance: <c>Safety * (Truncation + Rounding)</c>.</param>
/// <param name="Error">The relative error <c>|Analytic - Numeric| / max(|Analytic|, |Numeric|, floor)</c>, where the floor
/// is the rounding allowance, so entries that are zero or tiny are measured on the scale the differences can resolve.</param>
/// <param name="Tolerance">The bound on the same relative scale as <paramref name="Error"/>.</param>
public readonly record struct DerivativeCheckRow(
    DerivativeCheckKind Kind,
    int Index,
    int Output,
    double Analytic,
    double Numeric,
    double Step,
    double Truncation,
    double Rounding,
    double Bound,
    double Error,
    double Tolerance)
{
    /// <summary>Whether <c>|Analytic - Numeric| &lt;= Bound</c> (equivalently <c>Error &lt;= Tolerance</c>); false when either is NaN.</summary>
    public bool Passed => Math.Abs(Analytic - Numeric) <= Bound;

    /// <summary><c>|Analytic - Numeric| / Bound</c>: at most 1 for a passing row; the margin a check had.</summary>
    public double Ratio
    {
        get
        {
            double difference = Math.Abs(Analytic - Numeric);
            if (double.IsNaN(difference)) return double.PositiveInfinity;
            if (difference == 0) return 0;
            return difference / Bound;
        }
    }

    /// <summary>A fixed-width line for tables: kind, index, output, analytic, numeric, error, tolerance, step, verdict.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Kind == DerivativeCheckKind.Coordinate ? "coordinate" : "direction"),-10} {Index,7} {Output,5} {Analytic,14:0.000000e+0} {Numeric,14:0.000000e+0} {Error,9:0.00e+0} {Tolerance,9:0.00e+0} {Step,9:0.00e+0}  {(Passed ? "pass" : "FAIL")}");

    /// <summary>The header that matches <see cref="ToString"/>.</summary>
    public static string Header { get; } =
        $"{"probe",-10} {"index",7} {"out",5} {"analytic",14} {"numeric",14} {"error",9} {"tolerance",9} {"step",9}  verdict";
}
