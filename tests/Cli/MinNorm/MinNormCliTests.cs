namespace Engine.Cli.Tests.MinNorm;

public class MinNormCliTests
{
    [Theory]
    [InlineData("--rows", "100000", "--cols", "100001")]
    [InlineData("--rows", "10", "--cols", "2000000000")]
    [InlineData("--rows", "3000", "--cols", "900000")]
    [InlineData("--rows", "40", "--cols", "40")]
    public void Oversized_or_square_problems_are_bad_input(string o1, string v1, string o2, string v2)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), "min-norm-bad-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["min-norm", o1, v1, o2, v2, "--out", dir], err));
        string message = err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.True(message.Contains(o1) || message.Contains(o2), message);
        Assert.False(Directory.Exists(dir));
    }
}
