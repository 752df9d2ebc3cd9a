using System.Globalization;

namespace Engine.Cli.Tests.Output;

/// <summary>Reads back a plain matrix file as the engine writes them, the way an independent checker would.</summary>
internal static class MatrixFile
{
    /// <summary>A header, then <paramref name="rows"/> lines of <paramref name="cols"/> comma-separated values (asserted).</summary>
    public static double[,] Read(string path, int rows, int cols)
    {
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(rows + 1, lines.Length);
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            Assert.Equal(cols, cells.Length);
            for (int j = 0; j < cols; j++) m[i, j] = double.Parse(cells[j], CultureInfo.InvariantCulture);
        }
        return m;
    }
}
