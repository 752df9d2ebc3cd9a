using System.Globalization;

namespace Engine.Experiments.Text;

/// <summary>
/// The format provider of every sentence and table the reports print: the invariant culture's numbers, with an
/// exponent written as 1e-6 and 1.8e+3 rather than .NET's 1E-06 and 1.8E+03, so that a G format's exponent reads as the
/// E formats' custom 0.00e+0 forms do ("alpha = 1e-6 ends 2.70e-4 from Y", not "alpha = 1E-06 ends 2.70e-4").
/// </summary>
/// <remarks>
/// It applies where numbers are formatted into a string through it (interpolated strings and composite formats);
/// <c>double.ToString(format, provider)</c> does not consult a custom formatter, and CSV cells, which programs read,
/// keep their round-trip form (<c>Csv.Number</c>).
/// </remarks>
public sealed class ReportFormat : IFormatProvider, ICustomFormatter
{
    public static ReportFormat Provider { get; } = new();

    private ReportFormat() { }

    /// <summary><paramref name="value"/> in <paramref name="format"/> as the reports print it (see <see cref="PlainExponent"/>).</summary>
    public static string Number(double value, string format) => PlainExponent(value.ToString(format, CultureInfo.InvariantCulture));

    /// <summary><paramref name="text"/> formatted with <see cref="Provider"/>.</summary>
    public static string Invariant(FormattableString text) => text.ToString(Provider);

    public object? GetFormat(Type? formatType) =>
        formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

    public string Format(string? format, object? arg, IFormatProvider? formatProvider) => arg switch
    {
        double d => PlainExponent(d.ToString(format, CultureInfo.InvariantCulture)),
        float f => PlainExponent(f.ToString(format, CultureInfo.InvariantCulture)),
        IFormattable x => x.ToString(format, CultureInfo.InvariantCulture),
        null => "",
        _ => arg.ToString() ?? "",
    };

    /// <summary>"1.8E+03" as "1.8e+3" and "1E-06" as "1e-6"; text without an exponent is returned as it is.</summary>
    public static string PlainExponent(string number)
    {
        int e = number.IndexOf('E');
        if (e < 0 || e + 1 >= number.Length || number[e + 1] is not ('+' or '-')) return number;
        int digits = e + 2;
        while (digits < number.Length - 1 && number[digits] == '0') digits++;
        return string.Concat(number.AsSpan(0, e), "e", number.AsSpan(e + 1, 1), number.AsSpan(digits));
    }
}
