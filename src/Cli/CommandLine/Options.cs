using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Engine.Cli.CommandLine;

/// <summary>An option whose value is a comma-separated list; <see cref="Read"/> gives its value or its default.</summary>
/// <remarks>The default lives here rather than in a default-value factory, so that <c>--help</c> shows it the way it is typed.</remarks>
public sealed class ListOption<T> : Option<T[]>
{
    /// <remarks>A list is one token, its items comma-separated: a second token after it is not an item but a mistake.</remarks>
    public ListOption(string name, T[] defaultValue) : base(name)
    {
        Default = defaultValue;
        Arity = ArgumentArity.ExactlyOne;
    }

    public T[] Default { get; }

    public T[] Read(ParseResult parse) => parse.GetResult(this) is null ? Default : parse.GetValue(this)!;
}

/// <summary>
/// The one way <c>engine</c> reads an option: typed factories that parse the token in the invariant culture, check
/// its bounds and report bad input as one line, <c>--name: expected WHAT, got 'TOKEN' (DETAIL).</c>, before any run
/// starts. Bounds without an upper limit say so (&gt; 0, &gt;= 1) rather than print the largest double; lists reject
/// empty and repeated items; no message names a .NET type. Every name must be in the <see cref="Vocabulary"/> with the
/// factory's kind.
/// </summary>
public static class Options
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // What each option's value is, in the words of its messages; kept beside the option so that a missing value is
    // reported as a wrong one would be.
    private static readonly ConditionalWeakTable<Option, string> Expected = new();

    /// <summary>What <paramref name="option"/> expects as its value (<c>a number &gt; 0</c>), or null for a flag or an option made elsewhere.</summary>
    public static string? ExpectedOf(Option option) => Expected.TryGetValue(option, out string? expected) ? expected : null;

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Int(string name, int defaultValue, string description, int min = 1, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { DefaultValueFactory = _ => defaultValue };
        return Configure(option, OptionKind.WholeNumber, description, WholeRange(min, max), (string token, out int value, out string? detail) =>
        {
            detail = null;
            value = 0;
            string digits = token.Trim();
            bool parsed = long.TryParse(digits, NumberStyles.AllowLeadingSign, Invariant, out long v);
            // Digits too many for a long are still a number past the bound, which the message names.
            bool pastBound = parsed ? v > max : digits.Length > 0 && digits.TrimStart('+').All(char.IsAsciiDigit);
            if (pastBound && max == int.MaxValue) detail = $"at most {int.MaxValue}";
            if (!parsed || v < min || v > max) return false;
            value = (int)v;
            return true;
        });
    }

    /// <summary>A finite number above <paramref name="min"/> (or at least it) and at most <paramref name="max"/>.</summary>
    public static Option<double> Double(string name, double defaultValue, string description,
        double min = 0, bool minExclusive = true, double max = double.PositiveInfinity)
    {
        var option = new Option<double>(name) { DefaultValueFactory = _ => defaultValue };
        return Configure(option, OptionKind.Number, description, "a number " + Range(min, minExclusive, max),
            (string token, out double value, out string? detail) => Single(TryNumber(token, min, minExclusive, max, out value, out detail), ref detail));
    }

    /// <summary>As <see cref="Double"/>, with no default: the value is null when the option is not given.</summary>
    public static Option<double?> OptionalDouble(string name, string description,
        double min = 0, bool minExclusive = true, double max = double.PositiveInfinity)
    {
        var option = new Option<double?>(name);
        return Configure(option, OptionKind.Number, description, "a number " + Range(min, minExclusive, max),
            (string token, out double? value, out string? detail) =>
            {
                bool ok = Single(TryNumber(token, min, minExclusive, max, out double v, out detail), ref detail);
                value = ok ? v : null;
                return ok;
            });
    }

    /// <summary>A comma-separated list of distinct finite numbers in range, e.g. <c>--lrs 1e-4,1e-3,1e-2</c>; one run per value.</summary>
    public static ListOption<double> DoubleList(string name, double[] defaultValue, string description,
        double min = 0, bool minExclusive = true, double max = double.PositiveInfinity)
    {
        var option = new ListOption<double>(name, defaultValue);
        return Configure(option, OptionKind.Numbers, $"{description} (comma-separated; default {string.Join(",", defaultValue.Select(Format))})",
            "a comma-separated list of numbers " + Range(min, minExclusive, max),
            (string token, out double[] values, out string? detail) =>
                TryList(token, (string item, out double v, out string? why) => TryNumber(item, min, minExclusive, max, out v, out why), Format, out values, out detail));
    }

    /// <summary>A comma-separated list of distinct whole numbers in [<paramref name="min"/>, <paramref name="max"/>]; one run per value.</summary>
    public static ListOption<int> IntList(string name, int[] defaultValue, string description, int min = 1, int max = int.MaxValue)
    {
        var option = new ListOption<int>(name, defaultValue);
        return Configure(option, OptionKind.WholeNumbers, $"{description} (comma-separated; default {string.Join(",", defaultValue)})",
            "a comma-separated list of whole numbers " + WholeRange(min, max)["a whole number ".Length..],
            (string token, out int[] values, out string? detail) => TryList(token, (string item, out int v, out string? why) =>
            {
                v = 0;
                why = NotAWholeNumber;
                if (!long.TryParse(item, NumberStyles.AllowLeadingSign, Invariant, out long w)) return false;
                why = OutOfRange;
                if (w < min || w > max) return false;
                v = (int)w;
                return true;
            }, v => v.ToString(Invariant), out values, out detail));
    }

    /// <summary>
    /// A comma-separated list of distinct names, e.g. <c>--settings homework,adam</c>; empty when not given, which
    /// <paramref name="defaultMeaning"/> says the command reads as (every setting, say).
    /// </summary>
    public static ListOption<string> NameList(string name, string description, string defaultMeaning)
    {
        var option = new ListOption<string>(name, []);
        return Configure(option, OptionKind.Names, $"{description} (comma-separated; default: {defaultMeaning})", "a comma-separated list of names",
            (string token, out string[] values, out string? detail) => TryList(token, (string item, out string v, out string? why) =>
            {
                v = item;
                why = null;
                return true;
            }, v => v, out values, out detail));
    }

    /// <summary>A seed: any whole number from 0 to 2^64 - 1.</summary>
    public static Option<ulong> Seed(string name, ulong defaultValue, string description)
    {
        var option = new Option<ulong>(name) { DefaultValueFactory = _ => defaultValue };
        return Configure(option, OptionKind.Seed, description, $"a whole number from 0 to {ulong.MaxValue}",
            (string token, out ulong value, out string? detail) =>
            {
                detail = null;
                return ulong.TryParse(token.Trim(), NumberStyles.None, Invariant, out value);
            });
    }

    /// <summary>Non-empty text (a column name, say); null when not given.</summary>
    public static Option<string?> Text(string name, string description) =>
        Configure<Option<string?>, string?>(new Option<string?>(name), OptionKind.Text, description, "non-empty text", NonEmpty);

    /// <summary>The path of a file; null when not given unless <paramref name="required"/>.</summary>
    public static Option<string?> File(string name, string description, bool required = false) =>
        Configure<Option<string?>, string?>(new Option<string?>(name) { Required = required }, OptionKind.File, description, "a file name", NonEmpty);

    /// <summary>The path of a folder, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<string> Folder(string name, string defaultValue, string description)
    {
        var option = new Option<string>(name) { DefaultValueFactory = _ => defaultValue };
        return Configure(option, OptionKind.Folder, description, "a folder name", (string token, out string value, out string? detail) =>
        {
            bool ok = NonEmpty(token, out string? text, out detail);
            value = text ?? "";
            return ok;
        });
    }

    /// <summary>A switch that takes no value.</summary>
    public static Option<bool> Flag(string name, string description)
    {
        Vocabulary.Require(name, OptionKind.Flag);
        return new Option<bool>(name) { Description = description, Arity = ArgumentArity.Zero };
    }

    /// <summary>The bad-input line of an option: <c>--name: expected WHAT, got 'TOKEN' (DETAIL).</c></summary>
    public static string Message(string name, string expected, string token, string? detail = null) =>
        $"{name}: expected {expected}, got '{token}'{(detail is null ? "" : $" ({detail})")}.";

    /// <summary>A number as options and messages show it: six significant digits, invariant culture.</summary>
    public static string Format(double v) => v.ToString("G6", Invariant);

    private delegate bool TryParse<T>(string token, out T value, out string? detail);

    private static TOption Configure<TOption, T>(TOption option, OptionKind kind, string description, string expected, TryParse<T> parse)
        where TOption : Option<T>
    {
        Vocabulary.Require(option.Name, kind);
        // The help states what a value may be (its bounds above all), the same words a refusal uses.
        option.Description = kind is OptionKind.WholeNumber or OptionKind.Number or OptionKind.Numbers or OptionKind.WholeNumbers ? $"{description} [accepts {expected}]" : description;
        option.HelpName = Vocabulary.HelpName(kind);
        Expected.AddOrUpdate(option, expected);
        option.CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (parse(token, out T value, out string? detail)) return value;
            result.AddError(Message(option.Name, expected, token, detail));
            return default!;
        };
        return option;
    }

    private const string NotANumber = "not a number", NotFinite = "not a finite number", OutOfRange = "out of range",
        NotAWholeNumber = "not a whole number";

    /// <summary>Parses a number and checks its range; <paramref name="reason"/> says why it was refused.</summary>
    private static bool TryNumber(string token, double min, bool minExclusive, double max, out double value, out string? reason)
    {
        reason = NotANumber;
        if (!double.TryParse(token, NumberStyles.Float, Invariant, out value))
        {
            // .NET reads Infinity but not the common spelling inf: it is refused either way, for the same reason.
            if (token.Trim().TrimStart('+', '-').Equals("inf", StringComparison.OrdinalIgnoreCase)) reason = NotFinite;
            return false;
        }
        reason = NotFinite;
        if (!double.IsFinite(value)) return false;
        reason = OutOfRange;
        if (!((minExclusive ? value > min : value >= min) && value <= max)) return false;
        reason = null;
        return true;
    }

    // A single value's message already shows the expected form and the token; only "not finite" adds to them
    // (a token such as 1e400 reads as a number but is infinite).
    private static bool Single(bool ok, ref string? detail)
    {
        if (detail != NotFinite) detail = null;
        return ok;
    }

    private static bool TryList<T>(string token, TryParse<T> item, Func<T, string> format, out T[] values, out string? detail)
    {
        values = [];
        string[] items = token.Split(',');
        var parsed = new T[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            string text = items[i].Trim();
            if (text.Length == 0)
            {
                detail = $"item {i + 1} is empty";
                return false;
            }
            if (!item(text, out parsed[i], out string? why))
            {
                detail = $"item {i + 1}, '{text}', is {why}";
                return false;
            }
            int first = Array.FindIndex(parsed, 0, i, p => EqualityComparer<T>.Default.Equals(p, parsed[i]));
            if (first >= 0)
            {
                detail = $"{format(parsed[i])} appears twice; every value is one run";
                return false;
            }
        }
        values = parsed;
        detail = null;
        return true;
    }

    /// <summary>
    /// A file or folder name: not blank, and not an option's name, which is what a forgotten value leaves in its place
    /// (<c>--out --quiet</c> would otherwise write to a folder named --quiet and run without --quiet).
    /// </summary>
    private static bool NonEmpty(string token, out string? value, out string? detail)
    {
        detail = null;
        value = token;
        if (token.StartsWith("--", StringComparison.Ordinal) || token is "-h" or "-?")
        {
            detail = "an option, not a name; a value was left out before it, or, for a name that starts with '-', write ./ before it";
            return false;
        }
        return token.Trim().Length > 0;
    }

    private static string WholeRange(int min, int max) =>
        max == int.MaxValue ? $"a whole number >= {min}" : $"a whole number from {min} to {max}";

    private static string Range(double min, bool minExclusive, double max)
    {
        // double.MaxValue and infinity both mean "no upper bound": no message prints 1.79769E+308.
        if (!(max < double.MaxValue)) return $"{(minExclusive ? ">" : ">=")} {Format(min)}";
        return minExclusive ? $"> {Format(min)} and <= {Format(max)}" : $"from {Format(min)} to {Format(max)}";
    }
}
