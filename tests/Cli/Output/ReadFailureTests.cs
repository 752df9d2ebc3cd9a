using Engine.Cli.Output;

namespace Engine.Cli.Tests.Output;

public class ReadFailureTests
{
    [Fact]
    public void A_refused_read_is_named_without_the_runtimes_wording()
    {
        Assert.Equal("permission denied", ReadFailure.Reason(new UnauthorizedAccessException("Access to the path '/data/x.csv' is denied.")));
        Assert.Equal("Input/output error", ReadFailure.Reason(new IOException("Input/output error.")));
    }
}
