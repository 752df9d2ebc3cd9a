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

    [Fact]
    public void One_step_says_the_rate_is_not_measurable_instead_of_printing_NaN()
    {
        var err = new StringWriter();
        var output = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), "min-norm-one-step-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, EntryPoint.Run(["min-norm", "--steps", "1", "--out", dir], err, output));
            string text = output.ToString();
            Assert.DoesNotContain("NaN", text);
            Assert.Contains("not measurable from 1 step", text);
            string answer = Engine.Experiments.MinNorm.MinNormConclusion.Answer(
                Engine.Experiments.MinNorm.MinNormExperiment.Run(20, 40, 1, new Engine.Kernels.Random.NormalSampler(1)));
            Assert.DoesNotContain("NaN", answer);
            Assert.Contains("not measurable from 1 step", answer);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
