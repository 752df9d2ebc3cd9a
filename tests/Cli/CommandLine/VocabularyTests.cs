using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests.CommandLine;

/// <summary>The README's table of options is the vocabulary the commands use, word for word.</summary>
public class VocabularyTests
{
    private const string Begin = "<!-- options:begin (tests/Cli/CommandLine/VocabularyTests.cs checks this table) -->";
    private const string End = "<!-- options:end -->";

    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Engine.sln"))) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("README.md above the test's folder");
    }

    [Fact]
    public void TheReadmeTableIsTheVocabulary()
    {
        string readme = Readme().Replace("\r\n", "\n");
        int begin = readme.IndexOf(Begin, StringComparison.Ordinal), end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md lacks the options table markers");
        string table = readme[(begin + Begin.Length)..end].Trim('\n') + "\n";
        string expected = Vocabulary.MarkdownTable(EntryPoint.CreateRoot());
        Assert.True(expected == table, "README.md's options table differs from the vocabulary; paste this between the markers:\n" + expected);
    }

    [Fact]
    public void EveryWordIsUsedAndNamedOnce()
    {
        var root = EntryPoint.CreateRoot();
        Assert.Equal(Vocabulary.All.Count, Vocabulary.All.Select(w => w.Name).Distinct().Count());
        foreach (OptionWord word in Vocabulary.All)
            Assert.True(root.Subcommands.Any(c => c.Options.Any(o => o.Name == word.Name)), $"{word.Name} is in the vocabulary but no command uses it");
    }
}
