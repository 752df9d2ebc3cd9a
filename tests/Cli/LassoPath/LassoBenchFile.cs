namespace Engine.Cli.Tests.LassoPath;

/// <summary>
/// Writes a problem in <c>lasso-bench</c>'s binary format (rows n and columns p as 64-bit integers, then X by rows and y
/// as doubles), for tests that feed the command files of their own, well formed or not.
/// </summary>
internal static class LassoBenchFile
{
    /// <summary>Writes the header and <paramref name="values"/> as they are: fewer or more than n p + n makes a bad file.</summary>
    public static void Write(string path, long rows, long columns, IEnumerable<double> values)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows);
        writer.Write(columns);
        foreach (double value in values) writer.Write(value);
    }
}
