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
        Assert.Contains("lasso-pth", error);
    }

    [Fact]
    public void EmptyOutputFolderIsRejected()
    {
        var (code, error) = Run("homogeneity", "--out", "");
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains("--out", error);
    }

    [Fact]
    public void AbsurdMonteCarloSizesAreRejected()
    {
        Assert.Equal(EntryPoint.BadInput, Run("dropout-variant", "--ms", "1e10").Code);
        Assert.Equal(EntryPoint.BadInput, Run("dropout-variant", "--ms", "2.5").Code);
        Assert.Equal(EntryPoint.BadInput, Run("dropout-variant", "--trials", "100000").Code);
    }
}
