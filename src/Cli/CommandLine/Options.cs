using System.CommandLine;
using System.Globalization;

namespace Engine.Cli.CommandLine;

/// <summary>
/// Small factories for validated options, so every command rejects a negative size or a non-positive rate
/// with one clear line (exit code 2) instead of failing deep inside a run.
/// </summary>
public static class Options
{
    public static Option<int> Int(string name, int defaultValue, string description, int min = 1, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        AddValidators(option, min, max);
        return option;
    }

    public static Option<double> Double(string name, double defaultValue, string description,
        double min = 0, bool minExclusive = true, double max = double.PositiveInfinity)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out double v)) return;
            bool tooSmall = minExclusive ? !(v > min) : !(v >= min);
            if (!double.IsFinite(v))
                result.AddError($"{name} must be a finite number, got {Format(v)}.");
            else if (tooSmall || !(v <= max))
                result.AddError($"{name} must be {(minExclusive ? ">" : ">=")} {Format(min)}{(double.IsPositiveInfinity(max) ? "" : $" and <= {Format(max)}")}, got {Format(v)}.");
        });
        return option;
    }

    /// <summary>A comma-separated list of numbers, e.g. <c>--lrs 1e-4,1e-3,1e-2</c>.</summary>
    public static Option<double[]> DoubleList(string name, double[] defaultValue, string description,
        double min = 0, bool minExclusive = true)
    {
        var option = new Option<double[]>(name)
        {
            Description = description + $" (comma-separated; default {string.Join(",", defaultValue.Select(Format))})",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var values = new List<double>();
                foreach (var token in result.Tokens)
                {
                    foreach (string part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                        {
                            result.AddError($"{name}: '{part}' is not a number.");
                            return [];
                        }
                        bool tooSmall = minExclusive ? !(v > min) : !(v >= min);
                        if (tooSmall)
                        {
                            result.AddError($"{name}: every value must be {(minExclusive ? ">" : ">=")} {Format(min)}, got {Format(v)}.");
                            return [];
                        }
                        values.Add(v);
                    }
                }
                if (values.Count == 0) result.AddError($"{name} needs at least one value.");
                return values.ToArray();
            },
        };
        return option;
    }

    internal static void AddValidators(Option<int> option, int min, int max = int.MaxValue)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out int v)) return;
            if (v < min || v > max)
                result.AddError($"{option.Name} must be {(max == int.MaxValue ? $">= {min}" : $"between {min} and {max}")}, got {v}.");
        });
    }

    // Validators run even when the token could not be converted; that error is already reported, so skip.
    private static bool TryGetValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    public static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
