using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests;

public class EntryPointTests
{
    [Fact]
    public void UnknownOptionIsOneLineAndExitCodeTwo()
    {
        var err = new StringWriter();
        int code = EntryPoint.Run(["gradcheck", "--no-such-option"], err);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void NonNumericThreadsIsRejected()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lr-sweep", "--threads", "x"], err));
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lr-sweep", "--threads", "0"], new StringWriter()));
    }

    [Fact]
    public void UnwritableOutputFolderIsBadInput()
    {
        // A regular file where the folder should be: creating the folder must fail on every platform.
        string file = Path.GetTempFileName();
        try
        {
            var ctx = new RunContext(Path.Combine(file, "sub"), 1, 1, quiet: true);
            var e = Assert.Throws<UsageException>(() => ctx.PrepareOutput());
            Assert.Contains("cannot write", e.Message);
        }
        finally { File.Delete(file); }
    }
}

public class EntryPointInputTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var err = new StringWriter();
        int code = EntryPoint.Run(args, err);
        return (code, err.ToString().TrimEnd());
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    public void NonFiniteRatesAreRejected(string value)
    {
        var (code, error) = Run("homogeneity", "--lambda", value, "--out", Path.GetTempPath());
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(error.Split('\n'));
    }

    [Fact]
    public void MistypedCommandNamesTheUnrecognizedToken()
    {
        var (code, error) = Run("lasso-pth");
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Equal("engine: expected a command (engine --help lists them), got 'lasso-pth'.", error);
    }

    [Fact]
    public void BareEngineSaysACommandIsRequiredOnStderrAndShowsTheHelp()
    {
        var err = new StringWriter();
        var help = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run([], err, help));
        Assert.Equal("engine: expected a command (engine --help lists them), got nothing.", err.ToString().TrimEnd());
        Assert.Contains("lr-sweep", help.ToString());
    }

    // The parser's own wording ("Unrecognized command or argument", "Required argument missing") never reaches the user:
    // every refusal is one line, NAME: expected WHAT, got 'TOKEN' (or nothing).
    [Theory]
    [InlineData(new[] { "lr-sweep", "--bogus", "1" }, "engine: lr-sweep: expected one of its options (engine lr-sweep --help lists them), got '--bogus'.")]
    [InlineData(new[] { "lr-sweep", "extra" }, "engine: lr-sweep: expected one of its options (engine lr-sweep --help lists them), got 'extra'.")]
    [InlineData(new[] { "lr-sweep", "--dim" }, "engine: --dim: expected a whole number >= 1, got nothing.")]
    [InlineData(new[] { "width-sweep", "--lr" }, "engine: --lr: expected a number > 0, got nothing.")]
    [InlineData(new[] { "lr-sweep", "--lrs" }, "engine: --lrs: expected a comma-separated list of numbers > 0, got nothing.")]
    [InlineData(new[] { "lasso-path" }, "engine: --data: expected a file name, got nothing (engine lasso-path needs it).")]
    [InlineData(new[] { "lasso-path", "--data", "x.csv", "--exact", "yes" }, "engine: --exact: expected no value (it is a switch), got 'yes'.")]
    [InlineData(new[] { "lr-sweep", "--dim", "5", "6" }, "engine: --dim: expected one value, got a second, '6'.")]
    [InlineData(new[] { "lr-sweep", "--lrs", "0.1", "0.2" }, "engine: --lrs: expected one value, got a second, '0.2' (a list is one value, its items comma-separated).")]
    [InlineData(new[] { "--bogus" }, "engine: expected a command (engine --help lists them), got '--bogus'.")]
    // No response files: "@name" is not read as a file of arguments (a missing one gave the parser's "Response file not found").
    [InlineData(new[] { "lr-sweep", "@no-such-file.rsp" }, "engine: lr-sweep: expected one of its options (engine lr-sweep --help lists them), got '@no-such-file.rsp'.")]
    public void ParserErrorsAreInTheProjectsWords(string[] args, string expected)
    {
        var (code, error) = Run(args);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void An_internal_error_from_a_parallel_loop_names_its_cause_not_the_aggregate()
    {
        var inner = new InvalidOperationException("Simplex: pivot limit reached.");
        var nested = new AggregateException(new AggregateException(inner, new InvalidOperationException("second")));
        Assert.Equal("Simplex: pivot limit reached.", EntryPoint.InnermostMessage(nested));
        Assert.Equal("plain", EntryPoint.InnermostMessage(new InvalidOperationException("plain")));
    }

    [Fact]
    public void EmptyOutputFolderIsRejected()
    {
        var (code, error) = Run("homogeneity", "--out", "");
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains("--out", error);
    }

    [Fact]
    public void An_option_in_place_of_a_folder_or_file_name_is_rejected_and_writes_nothing()
    {
        string cwd = Environment.CurrentDirectory;
        var (code, error) = Run("min-norm", "--out", "--quiet");
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains("--out: expected a folder name, got '--quiet' (an option, not a name", error);
        Assert.False(Directory.Exists(Path.Combine(cwd, "--quiet")));
        Assert.Equal(EntryPoint.BadInput, Run("lasso-path", "--data", "--intercept").Code);
    }

    [Fact]
    public void AbsurdMonteCarloSizesAreRejected()
    {
        Assert.Equal(EntryPoint.BadInput, Run("dropout-variant", "--ms", "1e10").Code);
        Assert.Equal(EntryPoint.BadInput, Run("dropout-variant", "--ms", "2.5").Code);
        Assert.Equal(EntryPoint.BadInput, Run("dropout-variant", "--trials", "100000").Code);
    }
}
