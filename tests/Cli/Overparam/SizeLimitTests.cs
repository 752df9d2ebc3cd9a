using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Tests.Overparam;

/// <summary>Sizes whose buffers can not exist, and non-finite values, end with one line and exit code 2 before anything runs.</summary>
public class SizeLimitTests
{
    [Theory]
    [InlineData("planted-check", "--dim", "2000000000", "array")]
    [InlineData("planted-check", "--batch-size", "2000000000", "array")]
    [InlineData("planted-check", "--r0", "2000000000", "array")]
    [InlineData("planted-check", "--outputs", "2000000000", "array")]
    [InlineData("planted-check", "--batches", "2000000000", "from 2 to 100000")]
    [InlineData("planted-check", "--r0", "50000", "--r0")]
    [InlineData("lr-sweep", "--init-scale", "Infinity", "--init-scale")]
    [InlineData("planted-check", "--batches", "1", "--batches")]
    [InlineData("lr-sweep", "--epochs", "2000000000", "--epochs")]
    [InlineData("lr-sweep", "--dim", "100000000", "array")]
    [InlineData("lr-sweep", "--r0", "2000000000", "hidden units")]
    [InlineData("lr-sweep", "--width", "1e9", "hidden units")]
    [InlineData("lr-sweep", "--lrs", "Infinity", "--lrs")]
    [InlineData("width-sweep", "--widths", "1e9", "hidden units")]
    [InlineData("width-sweep", "--epochs", "2000000000", "--epochs")]
    [InlineData("width-sweep", "--lr-sweep-epochs", "2000000000", "--lr-sweep-epochs")]
    [InlineData("width-sweep", "--lr", "NaN", "--lr")]
    [InlineData("width-sweep", "--batch-size", "2000000000", "array")]
    public void AbsurdSizesAndValuesAreRejected(string command, string option, string value, string named)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), $"overparam-limits-{Guid.NewGuid():N}");
        int code = EntryPoint.Run([command, option, value, "--out", dir], err);
        Assert.Equal(EntryPoint.BadInput, code);
        string message = err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.Contains(named, message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void ProductsOfSizesThatOverflowIntAreRejected()
    {
        var err = new StringWriter();
        int code = EntryPoint.Run(["lr-sweep", "--dim", "100000", "--batch-size", "100000", "--out", Path.GetTempPath(), "--quiet"], err);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains("--batch-size, --dim", err.ToString());
    }

    [Fact]
    public void ManyRunsThatTogetherExceedTheMemoryLimitAreRejected()
    {
        // Each width of 1e6 hidden units holds a 150 x 1e6 V (0.56 GiB): eight of them side by side exceed 4 GiB.
        var setting = new ProblemSetting();
        var error = Assert.Throws<UsageException>(() => OverparamLimits.CheckSweep(setting, Enumerable.Repeat(1_000_000, 8).ToArray(), 10, "--epochs", "--widths"));
        Assert.Contains("GiB", error.Message);
        OverparamLimits.CheckSweep(setting, [1_000_000], 100_000, "--epochs", "--widths");
    }
}
