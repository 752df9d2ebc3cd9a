using System.Globalization;

namespace Engine.Experiments.Text;

/// <summary>
/// A measured number printed as a bound ("at most x", "at least x", "within x") is rounded outward, so that the printed
/// bound still holds: a smallest distance of 0.25992 printed with three decimals is "at least 0.259", not the 0.260 that
/// rounding to nearest gives, which would be false.
/// </summary>
/// <remarks>
/// Formats are named as the standard numeric ones that fix the digits: E<i>n</i> and G<i>n</i> (significant digits) and
/// F<i>n</i> (decimals). E<i>n</i> prints as the rest of the reports print exponents, 6.0e-6 rather than .NET's 6.0E-006.
/// </remarks>
public static class BoundText
{
    /// <summary><paramref name="x"/> in <paramref name="format"/>, rounded up: the printed value is at least <paramref name="x"/>.</summary>
    public static string AtMost(double x, string format) => Outward(x, format, up: true);

    /// <summary><paramref name="x"/> in <paramref name="format"/>, rounded down: the printed value is at most <paramref name="x"/>.</summary>
    public static string AtLeast(double x, string format) => Outward(x, format, up: false);

    private static string Outward(double x, string format, bool up)
    {
        string text = ReportFormat.Number(x, format);
        if (!double.IsFinite(x)) return text;
        double printed = double.Parse(text, CultureInfo.InvariantCulture);
        if (up ? printed >= x : printed <= x) return text;
        // Rounding to nearest moved the value by less than one unit of the last printed digit: one unit the other way
        // lands on the outward rounding.
        return ReportFormat.Number(up ? printed + LastDigit(printed, format) : printed - LastDigit(printed, format), format);
    }

    /// <summary>The value of one unit in the last digit <paramref name="format"/> prints of <paramref name="value"/>.</summary>
    private static double LastDigit(double value, string format)
    {
        char kind = char.ToUpperInvariant(format[0]);
        int digits = format.Length > 1 ? int.Parse(format.AsSpan(1), CultureInfo.InvariantCulture) : 6;
        if (kind == 'F') return Math.Pow(10, -digits);
        if (kind is not ('E' or 'G')) throw new ArgumentException($"Bounds are printed in E, F or G formats, not '{format}'.", nameof(format));
        int significant = kind == 'E' ? digits + 1 : Math.Max(1, digits);
        int exponent = value == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return Math.Pow(10, exponent - significant + 1);
    }
}
