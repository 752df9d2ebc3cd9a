using System.Globalization;
using Engine.Experiments.Text;

namespace Engine.Experiments.LassoPath;

/// <summary>A regression data set read from CSV: X row-major (n x p), y, and the feature names.</summary>
public sealed record RegressionData(double[] X, double[] Y, int Samples, int Features, string[] FeatureNames)
{
    /// <summary>
    /// Takes the feature column <paramref name="column"/> out of X as per-sample weights (they must be finite, at least
    /// zero, not all zero, and have a finite sum), returning the rest of the data and the weights.
    /// </summary>
    public (RegressionData Data, double[] Weights) WithoutWeightColumn(string column, string name)
    {
        int w = Array.IndexOf(FeatureNames, column);
        if (w < 0) throw new FormatException($"{name}: no feature column named '{column}' for the sample weights ({string.Join(", ", FeatureNames)}).");
        if (FeatureNames.Count(h => h == column) > 1) throw new FormatException($"{name}: several columns are named '{column}'; the weights must be exactly one.");
        if (Features < 2) throw new FormatException($"{name}: with the weights taken out no feature column is left.");
        int p = Features - 1;
        var x = new double[Samples * p];
        var weights = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            int k = 0;
            for (int j = 0; j < Features; j++)
            {
                double v = X[i * Features + j];
                if (j == w) weights[i] = v;
                else x[i * p + k++] = v;
            }
            if (weights[i] < 0) throw new FormatException($"{name}: sample {i + 1} has the negative weight {weights[i].ToString(CultureInfo.InvariantCulture)}.");
        }
        if (weights.All(v => v == 0)) throw new FormatException($"{name}: every sample weight is zero.");
        if (!double.IsFinite(weights.Sum()))
            throw new FormatException($"{name}: the sample weights sum to more than the largest double; only their ratios matter, so divide them by a common factor.");
        return (new RegressionData(x, Y, Samples, p, FeatureNames.Where((_, j) => j != w).ToArray()), weights);
    }
}

/// <summary>
/// Parses the lines of a numeric CSV: the target is the last column unless named; the first row is a header when
/// none of its cells is a number, and an error when some are and some are not. Anything else that is not a finite number is a <see cref="FormatException"/>
/// whose message names the file (<c>name</c>), the row and the column.
/// </summary>
public static class RegressionCsv
{
    public static RegressionData Parse(IReadOnlyList<string> lines, string name, string? target = null)
    {
        // A binary file decodes into control characters and U+FFFD (bytes that are not UTF-8): no separator found in
        // it would say anything true about the file.
        for (int i = 0; i < lines.Count; i++)
            if (lines[i].Any(ch => ch == '\uFFFD' || (char.IsControl(ch) && ch != '\t')))
                throw new FormatException($"{name}: line {i + 1} holds bytes that are not text (control characters or invalid UTF-8), so the file is not a text CSV.");
        var rows = new List<(int Line, string[] Cells)>();
        for (int i = 0; i < lines.Count; i++)
            if (lines[i].Trim().Length > 0) rows.Add((i + 1, lines[i].Split(',').Select(c => c.Trim().Trim('"')).ToArray()));
        if (rows.Count == 0) throw new FormatException($"{name}: the file is empty.");
        // A first row of names is a header, a first row of numbers data; one that mixes both is neither (a data row with
        // a missing value such as NA, taken for a header, would drop a sample and name the columns after its values).
        string[] firstRow = rows[0].Cells;
        int number = Array.FindIndex(firstRow, IsNumber), text = Array.FindIndex(firstRow, c => !IsNumber(c));
        if (number >= 0 && text >= 0)
            throw new FormatException($"{name}: row {rows[0].Line} mixes numbers and text (column {number + 1}: '{firstRow[number]}', column {text + 1}: '{firstRow[text]}'): "
                + "a header row needs a name that is not a number in every column, a data row a finite number in every column.");
        string[]? header = text >= 0 ? firstRow : null;
        if (header is not null) rows.RemoveAt(0);
        int columns = header?.Length ?? rows[0].Cells.Length;
        if (columns < 2)
        {
            string first = lines.First(l => l.Trim().Length > 0);
            char? separator = first.Contains(';') ? ';' : first.Contains('\t') ? '\t' : null;
            string hint = separator is char c
                ? $"; its values are separated by {(c == ';' ? "semicolons" : "tabs")}, but the file must be comma-separated, with '.' as the decimal point"
                : "";
            throw new FormatException($"{name}: need at least one feature column and a target column, found {CountText.Of(columns, "column")}{hint}.");
        }
        if (rows.Count == 0) throw new FormatException($"{name}: no data rows after the header.");
        if (header is not null) CheckNames(header, name);
        int targetColumn = columns - 1;
        if (target is not null)
        {
            if (header is null) throw new FormatException($"{name}: --target {target} needs a header row, but the first row is numeric.");
            targetColumn = Array.IndexOf(header, target);
            if (targetColumn < 0) throw new FormatException($"{name}: no column named '{target}' in the header ({string.Join(", ", header)}).");
        }
        int n = rows.Count, p = columns - 1;
        if ((long)n * p > Array.MaxLength) throw new FormatException($"{name}: {n} x {p} values do not fit in one array.");
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            (int line, string[] cells) = rows[i];
            if (cells.Length != columns)
                throw new FormatException($"{name}: row {line} has {cells.Length} columns, expected {columns}.");
            int feature = 0;
            for (int j = 0; j < columns; j++)
            {
                if (!double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw new FormatException($"{name}: row {line}, column {j + 1}{(header is null ? "" : $" ({header[j]})")}: '{cells[j]}' is not a finite number.");
                if (j == targetColumn) y[i] = v;
                else x[i * p + feature++] = v;
            }
        }
        string[] names = header is null
            ? Enumerable.Range(1, p).Select(j => $"x{j}").ToArray()
            : header.Where((_, j) => j != targetColumn).ToArray();
        return new RegressionData(x, y, n, p, names);
    }

    /// <summary>Every column of a header needs a name of its own: the outputs use them as their columns' names.</summary>
    private static void CheckNames(string[] header, string name)
    {
        for (int j = 0; j < header.Length; j++)
        {
            if (header[j].Length == 0) throw new FormatException($"{name}: column {j + 1} has no name in the header row.");
            if (Array.IndexOf(header, header[j]) < j) continue;
            int[] same = Enumerable.Range(0, header.Length).Where(k => header[k] == header[j]).ToArray();
            if (same.Length > 1)
                throw new FormatException($"{name}: {same.Length} columns are named '{header[j]}' in the header row (columns {string.Join(", ", same.Select(k => k + 1))}); every column needs its own name.");
        }
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
