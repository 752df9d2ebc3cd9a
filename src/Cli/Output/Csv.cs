using System.Globalization;
using System.Text;

namespace Engine.Cli.Output;

/// <summary>
/// CSV output in the invariant culture, numbers round-trippable ("R"), NaN and infinities spelled as .NET and
/// pandas read them (NaN, inf, -inf). Written atomically.
/// </summary>
public static class Csv
{
    /// <summary>Writes columns of equal length under a header row.</summary>
    public static void WriteColumns(string path, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<double>> columns)
    {
        if (header.Count != columns.Count) throw new ArgumentException("CSV: one header per column.");
        int rows = columns.Count == 0 ? 0 : columns.Max(c => c.Count);
        var sb = new StringBuilder();
        AppendRow(sb, header.Select(Quote));
        for (int r = 0; r < rows; r++)
            AppendRow(sb, columns.Select(c => r < c.Count ? Number(c[r]) : ""));
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes rows of already formatted cells (use <see cref="Number"/> for numbers) under a header.</summary>
    public static void WriteRows(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder();
        AppendRow(sb, header.Select(Quote));
        foreach (var row in rows) AppendRow(sb, row.Select(Quote));
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Writes a dense row-major matrix, one row per line, under a header naming its columns <c>c1 .. c{cols}</c>
    /// (or <paramref name="header"/>), so a reader can check the shape.
    /// </summary>
    public static void WriteMatrix(string path, ReadOnlySpan<double> values, int rows, int cols, IReadOnlyList<string>? header = null)
    {
        if (values.Length != rows * cols) throw new ArgumentException("CSV: the matrix has the wrong number of values.");
        if (header is not null && header.Count != cols) throw new ArgumentException("CSV: one header per column.");
        var sb = new StringBuilder();
        AppendRow(sb, header?.Select(Quote) ?? Enumerable.Range(1, cols).Select(j => "c" + j.ToString(CultureInfo.InvariantCulture)));
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                if (j > 0) sb.Append(',');
                sb.Append(Number(values[i * cols + j]));
            }
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    public static string Number(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
        : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    private static void AppendRow(StringBuilder sb, IEnumerable<string> cells)
    {
        sb.AppendJoin(',', cells);
        sb.Append('\n');
    }
}
