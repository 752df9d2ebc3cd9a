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
        using var temporary = new TemporaryFolder("min-norm-one-step-", create: false);
        string dir = temporary.Path;
        Assert.Equal(0, EntryPoint.Run(["min-norm", "--steps", "1", "--out", dir], err, output));
        string text = output.ToString();
        Assert.DoesNotContain("NaN", text);
        Assert.Contains("not measurable from 1 step", text);
        string answer = Engine.Experiments.MinNorm.MinNormConclusion.Answer(
            Engine.Experiments.MinNorm.MinNormExperiment.Run(20, 40, 1, new Engine.Kernels.Random.NormalSampler(1)));
        Assert.DoesNotContain("NaN", answer);
        Assert.Contains("not measurable from 1 step", answer);
    }

    private static string Summary(params string[] options)
    {
        var err = new StringWriter();
        var output = new StringWriter();
        using var temporary = new TemporaryFolder("min-norm-summary-", create: false);
        string dir = temporary.Path;
        Assert.Equal(0, EntryPoint.Run(["min-norm", .. options, "--out", dir, "--quiet"], err, output));
        return output.ToString();
    }

    [Fact]
    public void One_row_says_gradient_descent_converged_in_one_step()
    {
        string text = Summary("--rows", "1", "--cols", "2");
        Assert.Contains("from 0 converged to rounding in 1 step; from random converged to rounding in 1 step;", text);
        Assert.DoesNotContain("not measurable", text);
        Assert.DoesNotContain("(s)", text);
    }

    [Fact]
    public void A_two_step_rate_is_given_with_its_window_and_said_to_be_still_growing()
    {
        string text = Summary("--steps", "2");
        Assert.Contains("from 0 0.727330 (steps 0 to 2, still growing: ", text);
        Assert.DoesNotContain("observed rate per step", text);
        // The default run's rate is settled: no "still growing".
        string full = Summary();
        Assert.Contains("from 0 0.966615 (steps ", full);
        Assert.DoesNotContain("still growing", full);
    }

    [Fact]
    public void The_console_block_is_labelled_a_b_c_d_in_order_and_states_6()
    {
        string[] lines = Summary().Split('\n');
        string[] labels = lines.Where(l => l.StartsWith('(')).Select(l => l[..3]).ToArray();
        Assert.Equal(["(a)", "(b)", "(c)", "(d)"], labels);
        Assert.Contains(lines, l => l.StartsWith("(b) smoothness (6), f(w) <= f(x) + <grad f(x), w - x> + ||w - x||^2/(2 eta)", StringComparison.Ordinal));
    }
}
