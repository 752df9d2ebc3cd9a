using System.Globalization;
using System.Text;
using Engine.Kernels.Threading;

namespace Engine.Cli.Output;

/// <summary>
/// CSV output in the invariant culture, numbers round-trippable ("R"), written atomically. A CSV holds NaN or an
/// infinity (spelled NaN, inf, -inf, as pandas reads them) only in the row of a run that diverged and says so: the
/// writers refuse any other non-finite value, so a NaN can not reach a file unnoticed. A value that is not defined
/// (a run that stopped early, a quantity with no meaning at that point) is an empty cell, written on purpose.
/// </summary>
public static class Csv
{
    /// <summary>
    /// Writes columns under a header row; a shorter column leaves its last cells empty (a run that stopped early).
    /// Every value must be finite.
    /// </summary>
    public static void WriteColumns(string path, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<double>> columns)
    {
        if (header.Count != columns.Count) throw new ArgumentException("CSV: one header per column.");
        int rows = columns.Count == 0 ? 0 : columns.Max(c => c.Count);
        var sb = new StringBuilder();
        AppendRow(sb, header.Select(Quote));
        for (int r = 0; r < rows; r++)
        {
            var cells = new string[columns.Count];
            for (int c = 0; c < columns.Count; c++)
                cells[c] = r < columns[c].Count ? Finite(columns[c][r], path, r, header[c]) : "";
            AppendRow(sb, cells);
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Writes rows of already formatted cells (use <see cref="Number"/> for numbers) under a header. A row may hold
    /// NaN or an infinity only when it says its run diverged, in <paramref name="divergedColumn"/>: a cell that starts
    /// with "diverged" (an outcome column), or any value in a column whose name starts with "diverged" (say, the
    /// epoch it diverged at).
    /// </summary>
    public static void WriteRows(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? divergedColumn = null)
    {
        int marker = divergedColumn is null ? -1 : IndexOf(header, divergedColumn);
        var sb = new StringBuilder();
        AppendRow(sb, header.Select(Quote));
        int r = 0;
        foreach (var row in rows)
        {
            bool diverged = marker >= 0 && SaysDiverged(header[marker], row[marker]);
            for (int c = 0; c < row.Count; c++)
                if (!diverged && IsNonFinite(row[c])) throw NotMarked(path, r, c < header.Count ? header[c] : $"#{c + 1}", row[c]);
            AppendRow(sb, row.Select(Quote));
            r++;
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Writes a dense row-major matrix, one row per line, under a header naming its columns <c>c1 .. c{cols}</c>
    /// (or <paramref name="header"/>), so a reader can check the shape. Its values must be finite unless it is the
    /// result of a run that diverged (<paramref name="fromDivergedRun"/>), which the files beside it name.
    /// </summary>
    /// <remarks>
    /// The rows are formatted straight to UTF-8 in blocks, the blocks of a batch on every core the run allows
    /// (<see cref="KernelThreads.Max"/>), and written in order: the same bytes as formatting cell by cell, with memory
    /// for one batch rather than the whole text (min-norm's A, 20 million values: 6.4 s and two copies of 400 MB
    /// of text before). A value that must be finite is checked before anything is written.
    /// </remarks>
    public static void WriteMatrix(string path, ReadOnlyMemory<double> values, int rows, int cols, IReadOnlyList<string>? header = null, bool fromDivergedRun = false)
    {
        if (values.Length != rows * cols) throw new ArgumentException("CSV: the matrix has the wrong number of values.");
        if (header is not null && header.Count != cols) throw new ArgumentException("CSV: one header per column.");
        if (!fromDivergedRun)
        {
            ReadOnlySpan<double> all = values.Span;
            for (int i = 0; i < all.Length; i++)
                if (!double.IsFinite(all[i])) throw NotMarked(path, i / cols, $"#{i % cols + 1}", Number(all[i]));
        }
        var sb = new StringBuilder();
        AppendRow(sb, header?.Select(Quote) ?? Enumerable.Range(1, cols).Select(j => "c" + j.ToString(CultureInfo.InvariantCulture)));
        byte[] head = new UTF8Encoding(false).GetBytes(sb.ToString());
        // About 256 KiB of text a block (at most 25 bytes a cell), a few blocks per thread a batch.
        long rowBytes = (long)cols * MaxCellBytes + 1;
        if (rowBytes > Array.MaxLength) throw new ArgumentException($"CSV: a row of {cols} values is too long to write.");
        int blockRows = (int)Math.Max(1, (256 << 10) / rowBytes);
        int threads = KernelThreads.Max, batchBlocks = 4 * threads;
        var buffers = new byte[batchBlocks][];
        var lengths = new int[batchBlocks];
        AtomicFile.Write(path, stream =>
        {
            stream.Write(head);
            for (int first = 0; first < rows; first += batchBlocks * blockRows)
            {
                int batchStart = first, blocks = Math.Min(batchBlocks, (rows - first + blockRows - 1) / blockRows);
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
                {
                    int r0 = batchStart + b * blockRows, r1 = Math.Min(rows, r0 + blockRows);
                    byte[] buffer = buffers[b] ??= new byte[blockRows * rowBytes];
                    lengths[b] = FormatRows(values.Span, cols, r0, r1, buffer);
                });
                for (int b = 0; b < blocks; b++) stream.Write(buffers[b], 0, lengths[b]);
            }
        });
    }

    /// <summary>The longest cell <see cref="FormatRows"/> writes, a comma included: "-2.2250738585072014E-308," is 25 bytes.</summary>
    private const int MaxCellBytes = 25;

    /// <summary>Rows [r0, r1) as CSV lines in UTF-8, each cell as <see cref="Number"/> spells it; returns the bytes written.</summary>
    private static int FormatRows(ReadOnlySpan<double> values, int cols, int r0, int r1, Span<byte> buffer)
    {
        int at = 0;
        for (int i = r0; i < r1; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                if (j > 0) buffer[at++] = (byte)',';
                double v = values[i * cols + j];
                if (double.IsFinite(v))
                {
                    v.TryFormat(buffer[at..], out int written, "R", CultureInfo.InvariantCulture);
                    at += written;
                }
                else
                    at += Encoding.ASCII.GetBytes(Number(v), buffer[at..]);
            }
            buffer[at++] = (byte)'\n';
        }
        return at;
    }

    /// <summary>A number as a cell: round-trippable, and NaN, inf or -inf when not finite (see <see cref="WriteRows"/>).</summary>
    public static string Number(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
        : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Finite(double v, string path, int row, string column) =>
        double.IsFinite(v) ? Number(v) : throw NotMarked(path, row, column, Number(v));

    private static bool IsNonFinite(string cell) =>
        cell is "NaN" or "inf" or "-inf"
        || (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsFinite(v));

    private static bool SaysDiverged(string column, string cell) =>
        cell.StartsWith("diverged", StringComparison.OrdinalIgnoreCase)
        || (column.StartsWith("diverged", StringComparison.OrdinalIgnoreCase) && cell.Length > 0);

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (int c = 0; c < header.Count; c++) if (header[c] == column) return c;
        throw new ArgumentException($"CSV: no column named '{column}' to mark diverged runs.");
    }

    private static InvalidOperationException NotMarked(string path, int row, string column, string cell) =>
        new($"'{Path.GetFileName(path)}', data row {row + 1}, column '{column}': {cell} in a run that is not marked as diverged; a CSV holds NaN or inf only for a run that diverged and says so.");

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    private static void AppendRow(StringBuilder sb, IEnumerable<string> cells)
    {
        sb.AppendJoin(',', cells);
        sb.Append('\n');
    }
}
