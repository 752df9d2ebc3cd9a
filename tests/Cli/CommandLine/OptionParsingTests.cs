using System.CommandLine;
using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests.CommandLine;

/// <summary>
/// Every option of every command is parsed by the same factories: a bad token is one line on stderr, exit code 2,
/// in the form "--name: expected WHAT, got 'TOKEN'", with no .NET type name, no stack trace and no largest double.
/// </summary>
public class OptionParsingTests
{
    /// <summary>Tokens no option of the kind accepts.</summary>
    private static readonly Dictionary<OptionKind, string[]> BadTokens = new()
    {
        [OptionKind.WholeNumber] = ["abc", "", "1.5", "1e3", "99999999999"],
        [OptionKind.Number] = ["abc", "", "Inf", "Infinity", "NaN", "1e400", "1,2"],
        [OptionKind.Numbers] = ["abc", "", "0.5,,0.25", "0.5,0.5", "0.5,x", "1e400"],
        [OptionKind.WholeNumbers] = ["abc", "", "2,,3", "3,3", "2.5"],
        [OptionKind.Names] = ["", ",", "a,,b", "a,a", "a,"],
        [OptionKind.Seed] = ["abc", "", "1.5", "99999999999999999999999"],
        [OptionKind.Text] = [""],
        [OptionKind.File] = ["", "--quiet"],
        [OptionKind.Folder] = ["", "--quiet"],
    };

    public static TheoryData<string, string, string> EveryOptionAndBadToken()
    {
        var data = new TheoryData<string, string, string>();
        foreach (Command command in EntryPoint.CreateRoot().Subcommands)
            foreach (Option option in command.Options)
            {
                OptionWord? word = Vocabulary.All.SingleOrDefault(w => w.Name == option.Name);
                if (word is null || !BadTokens.TryGetValue(word.Kind, out string[]? tokens)) continue;
                foreach (string token in tokens) data.Add(command.Name, option.Name, token);
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOptionAndBadToken))]
    public void ABadTokenIsOneClearLineAndExitCodeTwo(string command, string option, string token)
    {
        // Required options get a value, so that the only error is the one under test.
        string[] args = command is "lasso-path" or "lasso-bench" && option != "--data" ? [command, "--data", "x.csv", option, token] : [command, option, token];
        var err = new StringWriter();
        int code = EntryPoint.Run(args, err, TextWriter.Null);
        string message = err.ToString().TrimEnd();
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(message.Split('\n'));
        Assert.StartsWith($"engine: {option}: expected ", message);
        Assert.Contains($"got '{token}'", message);
        foreach (string never in new[] { "System.", "Exception", "1.79769", "   at " })
            Assert.DoesNotContain(never, message);
    }

    [Theory]
    [InlineData("abc", "")]
    [InlineData("Inf", " (not a finite number)")]
    [InlineData("-inf", " (not a finite number)")]
    [InlineData("Infinity", " (not a finite number)")]
    [InlineData("", "")]
    public void WidthSweepLrIsRejectedWithoutAStackTrace(string token, string detail)
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["width-sweep", "--lr", token], err, TextWriter.Null));
        Assert.Equal($"engine: --lr: expected a number > 0, got '{token}'{detail}.", err.ToString().TrimEnd());
    }

    [Fact]
    public void ListMessagesNameTheBadItem()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lr-sweep", "--lrs", "0.01,,0.1"], err, TextWriter.Null));
        Assert.Equal("engine: --lrs: expected a comma-separated list of numbers > 0, got '0.01,,0.1' (item 2 is empty).", err.ToString().TrimEnd());
        err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["matrix-completion", "--fractions", "0.5,1.5"], err, TextWriter.Null));
        Assert.Equal("engine: --fractions: expected a comma-separated list of numbers > 0 and <= 1, got '0.5,1.5' (item 2, '1.5', is out of range).",
            err.ToString().TrimEnd());
    }

    [Theory]
    [InlineData("lr-sweep", "--init-scale", "-1", "expected a number from 0 to 1000")]
    [InlineData("lr-sweep", "--init-scale", "1e300", "expected a number from 0 to 1000")]
    [InlineData("implicit-l1", "--init-scale", "1e300", "expected a number > 0 and <= 1000")]
    [InlineData("matrix-completion", "--init-scales", "1e300", "numbers > 0 and <= 1000")]
    [InlineData("lr-sweep", "--seed", "abc", "expected a whole number from 0 to 18446744073709551615")]
    [InlineData("lr-sweep", "--dim", "3000000000", "(at most 2147483647)")]
    [InlineData("lr-sweep", "--dim", "99999999999999999999", "(at most 2147483647)")]
    public void BoundsAreStatedAsTheUserTypesThem(string command, string option, string token, string expected)
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run([command, option, token], err, TextWriter.Null));
        Assert.Contains(expected, err.ToString());
    }

    /// <summary>A value of every kind that parses, so that the only thing wrong is the repeat.</summary>
    private static readonly Dictionary<OptionKind, string?> GoodTokens = new()
    {
        [OptionKind.WholeNumber] = "2", [OptionKind.Number] = "0.5", [OptionKind.Numbers] = "0.5", [OptionKind.WholeNumbers] = "2",
        [OptionKind.Names] = "homework", [OptionKind.Seed] = "1", [OptionKind.Text] = "x", [OptionKind.File] = "x.csv",
        [OptionKind.Folder] = "unused", [OptionKind.Flag] = null,
    };

    public static TheoryData<string, string> EveryOption()
    {
        var data = new TheoryData<string, string>();
        foreach (Command command in EntryPoint.CreateRoot().Subcommands)
            foreach (Option option in command.Options.Where(o => Vocabulary.All.Any(w => w.Name == o.Name)))
                data.Add(command.Name, option.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOption))]
    public void AnOptionGivenTwiceIsOneLineAndExitCodeTwo(string command, string option)
    {
        string? token = GoodTokens[Vocabulary.All.Single(w => w.Name == option).Kind];
        string[] once = token is null ? [option] : [option, token];
        // Were the repeat let through, a missing data file or an --out that is a file would still end the run at once.
        string blocker = Path.GetTempFileName();
        try
        {
            Command c = EntryPoint.CreateRoot().Subcommands.Single(s => s.Name == command);
            List<string> args = [command];
            if (option != "--data" && c.Options.Any(o => o.Name == "--data")) args.AddRange(["--data", blocker + ".missing.csv"]);
            if (option != "--out" && c.Options.Any(o => o.Name == "--out")) args.AddRange(["--out", blocker]);
            var err = new StringWriter();
            int code = EntryPoint.Run([.. args, .. once, .. once], err, TextWriter.Null);
            string message = err.ToString().TrimEnd();
            Assert.Equal(EntryPoint.BadInput, code);
            Assert.Single(message.Split('\n'));
            Assert.StartsWith($"engine: {option}: given twice", message);
        }
        finally { File.Delete(blocker); }
    }

    [Fact]
    public void ARepeatedListSaysHowToWriteOne()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lr-sweep", "--lrs", "0.1", "--lrs", "0.2"], err, TextWriter.Null));
        Assert.Equal("engine: --lrs: given twice ('0.1', then '0.2'); give a list once, comma-separated: --lrs 0.1,0.2.", err.ToString().TrimEnd());
        // A second value after a list is not one of its items either: before, the last of them was the whole list.
        err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lr-sweep", "--lrs", "0.1", "0.2"], err, TextWriter.Null));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Contains("'0.2'", err.ToString());
    }

    [Fact]
    public void AFlagTakesNoValue()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", "x.csv", "--exact", "yes"], err, TextWriter.Null));
        Assert.Contains("'yes'", err.ToString());
    }

    [Fact]
    public void EveryOptionIsInTheVocabularyWithItsKind()
    {
        foreach (Command command in EntryPoint.CreateRoot().Subcommands)
            foreach (Option option in command.Options.Where(o => o.Name != "--help"))
            {
                OptionWord word = Vocabulary.All.Single(w => w.Name == option.Name);
                Assert.Equal(Vocabulary.HelpName(word.Kind), option.HelpName);
            }
        Assert.Throws<InvalidOperationException>(() => Options.Int("--no-such-option", 1, "x"));
        Assert.Throws<InvalidOperationException>(() => Options.Int("--lr", 1, "a whole-number --lr"));
    }

    [Theory]
    [InlineData("planted-check", "--init-scale")]
    [InlineData("planted-check", "--epoch-size")]
    [InlineData("planted-check", "--threads")]
    [InlineData("gradcheck", "--out")]
    [InlineData("gradcheck", "--threads")]
    [InlineData("gradcheck", "--quiet")]
    [InlineData("selfcheck", "--seed")]
    [InlineData("lasso-path", "--quiet")]
    [InlineData("lasso-bench", "--out")]
    [InlineData("homogeneity", "--threads")]
    [InlineData("min-norm", "--threads")]
    public void HelpListsOnlyTheOptionsACommandUses(string command, string unused)
    {
        Command c = EntryPoint.CreateRoot().Subcommands.Single(s => s.Name == command);
        Assert.DoesNotContain(c.Options, o => o.Name == unused);
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run([command, unused, "1"], err, TextWriter.Null));
        Assert.Equal($"engine: {command}: expected one of its options (engine {command} --help lists them), got '{unused}'.", err.ToString().TrimEnd());
    }
}
