namespace Engine.Cli.Tests.ImplicitL1;

public class ImplicitL1CliTests
{
    [Theory]
    [InlineData("--rows", "40", "--cols", "40")]
    [InlineData("--rows", "50000", "--cols", "50001")]
    [InlineData("--steps", "100000000", "--record-every", "1")]
    [InlineData("--trials", "1000000", "--steps", "10")]
    public void Oversized_or_square_problems_are_bad_input(string o1, string v1, string o2, string v2)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), "implicit-l1-bad-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["implicit-l1", o1, v1, o2, v2, "--out", dir, "--quiet"], err));
        string message = err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.True(message.Contains(o1) || message.Contains(o2), message);
        Assert.False(Directory.Exists(dir));
    }
}
