using Engine.Cli.Output;

namespace Engine.Cli.Tests.Output;

public class WriteFailureTests
{
    [Fact]
    public void TheRuntimesPathSuffixIsNotRepeatedAfterThePathTheLineNames()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"write-failure-{Guid.NewGuid():N}");
        string target = Path.Combine(folder, "runs.csv"), temporary = Path.Combine(folder, ".runs.csv.1.tmp");
        // The message the runtime gives on Linux when the disk is full while the temporary file is written.
        var full = new IOException($"No space left on device : '{temporary}'");
        Assert.Equal("No space left on device", WriteFailure.Reason(full, folder, temporary, target));
        Assert.Equal("Input/output error", WriteFailure.Reason(new IOException("Input/output error."), folder));
    }
}
