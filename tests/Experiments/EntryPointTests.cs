using Engine.Experiments.Cli;

namespace Engine.Tests.Experiments;

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
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["gradcheck", "--threads", "x"], err));
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["gradcheck", "--threads", "0"], new StringWriter()));
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
