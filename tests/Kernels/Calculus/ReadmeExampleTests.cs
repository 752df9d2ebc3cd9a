using Engine.Kernels.Calculus;

namespace Engine.Tests.Kernels.Calculus;

/// <summary>The README's gradient-check example is <see cref="ReadmeExample"/>, and it does what the README says.</summary>
public class ReadmeExampleTests
{
    private const string Begin = "<!-- gradient-check example:begin (tests/Kernels/Calculus/ReadmeExample.cs is this code; ReadmeExampleTests compares them) -->";
    private const string End = "<!-- gradient-check example:end -->";
    private const string Using = "using Engine.Kernels.Calculus;";

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln"))) return File.ReadAllText(Path.Combine(dir.FullName, name)).Replace("\r\n", "\n");
        throw new FileNotFoundException(name);
    }

    /// <summary>The lines between two markers, with their common indentation removed.</summary>
    private static string[] Between(string text, string begin, string end)
    {
        int from = text.IndexOf(begin, StringComparison.Ordinal), to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"markers '{begin}' ... '{end}' not found");
        string[] lines = text[(from + begin.Length)..to].Split('\n');
        lines = lines[1..^1];
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()).ToArray();
    }

    [Fact]
    public void TheReadmeShowsExactlyTheCompiledExample()
    {
        string[] block = Between(RepositoryFile("README.md"), Begin, End);
        Assert.Equal("```csharp", block[0]);
        Assert.Equal("```", block[^1]);
        Assert.Equal(Using, block[1]);
        Assert.Equal("", block[2]);
        string[] code = Between(RepositoryFile("tests/Kernels/Calculus/ReadmeExample.cs"), "// README example begins", "// README example ends");
        Assert.Equal(code, block[3..^1]);
    }

    [Fact]
    public void TheExampleAcceptsTheRightGradientAndRejectsTheWrongOne()
    {
        var (right, wrong) = ReadmeExample.Run();
        Assert.True(right.Passed, right.ToString());
        Assert.StartsWith("PASS: 3 coordinates and 8 directions of n = 3, 0 failed;", right.Verdict());
        Assert.False(wrong.Passed, wrong.ToString());
        Assert.StartsWith("FAIL: ", wrong.ToString());
        Assert.False(wrong.CoordinateRows.Single(r => r.Index == 1).Passed);
        Assert.True(wrong.CoordinateRows.Single(r => r.Index == 0).Passed);
    }
}
