using Engine.Cli.Tests.LassoPath;

namespace Engine.Cli.Tests;

/// <summary>Messages a newcomer meets: they name the user's paths and mistakes, never temporary files or .NET types.</summary>
public class MessagesTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("messages");
    private readonly string _dir;

    public MessagesTests() => _dir = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private static (int Code, string Error) Run(params string[] args)
    {
        var err = new StringWriter();
        int code = EntryPoint.Run(args, err, TextWriter.Null);
        return (code, err.ToString().TrimEnd());
    }

    [Fact]
    public void OutAsAnExistingFileSaysSo()
    {
        string file = Path.Combine(_dir, "results");
        File.WriteAllText(file, "");
        var (code, error) = Run("min-norm", "--out", file);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains($"'{file}' is an existing file, not a folder (--out names a folder)", error);
    }

    [Fact]
    public void A_file_where_the_commands_own_folder_goes_is_not_blamed_on_out()
    {
        File.WriteAllText(Path.Combine(_dir, "homogeneity"), "");
        var (code, error) = Run("homogeneity", "--out", _dir);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains($"'{Path.Combine(_dir, "homogeneity")}' is an existing file, not a folder (the results go in a folder of that name inside '{_dir}', the --out folder)", error);
        Assert.DoesNotContain("--out names a folder", error);
    }

    [Fact]
    public void AnUnwritableFileIsNamedWithoutTheTemporaryFile()
    {
        string data = Path.Combine(_dir, "p.bin");
        LassoBenchFile.Write(data, 3, 2, [1, 2, 3, 4, 5, 6.5, 1, 2, 0.5]);
        string blocker = Path.Combine(_dir, "blocker");
        File.WriteAllText(blocker, "");
        var (code, error) = Run("lasso-bench", "--data", data, "--gaps-out", Path.Combine(blocker, "gaps.csv"));
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(error.Split('\n'));
        Assert.Contains($"'{blocker}' is an existing file, not a folder", error);
        Assert.DoesNotContain(".tmp", error);
    }

    [Theory]
    [InlineData(';', "semicolons")]
    [InlineData('\t', "tabs")]
    public void ASemicolonOrTabSeparatedFileGetsAHint(char separator, string named)
    {
        string file = Path.Combine(_dir, "data.csv");
        File.WriteAllText(file, string.Join(separator, "a", "b", "y") + "\n" + string.Join(separator, "1,5", "2", "3") + "\n");
        var (code, error) = Run("lasso-path", "--data", file, "--out", _dir);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains($"its values are separated by {named}, but the file must be comma-separated", error);
    }

    [Fact]
    public void NoMessageNamesADotNetType()
    {
        foreach (string[] args in new[] { new[] { "lr-sweep", "--seed", "abc" }, ["matrix-completion", "--steps", "x"], ["lr-sweep", "--quiet", "x"] })
        {
            var (code, error) = Run(args);
            Assert.Equal(EntryPoint.BadInput, code);
            Assert.DoesNotContain("System.", error);
        }
    }
}
