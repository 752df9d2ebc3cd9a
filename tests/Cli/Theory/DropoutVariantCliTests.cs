namespace Engine.Cli.Tests.Theory;

public class DropoutVariantCliTests
{
    /// <summary>
    /// Two draws per check at m = 2 (the QA report's command): some check draws the same pair of factors twice, so its
    /// standard error is zero and z is not defined. The run must finish, leave that z cell empty, and not call the
    /// closed form refuted.
    /// </summary>
    [Fact]
    public void Two_equal_draws_leave_z_empty_instead_of_failing()
    {
        using var temporary = new TemporaryFolder("dropout-two-draws-", create: false);
        string dir = temporary.Path;
        var err = new StringWriter();
        var output = new StringWriter();
        int code = EntryPoint.Run(["dropout-variant", "--samples", "2", "--ms", "2", "--quiet", "--out", dir], err, output);
        Assert.True(code == 0, err.ToString());
        string[] lines = File.ReadAllLines(Path.Combine(dir, "dropout-variant", "monte-carlo.csv"));
        int z = Array.IndexOf(lines[0].Split(','), "z_score");
        int stdError = Array.IndexOf(lines[0].Split(','), "monte_carlo_std_error");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Contains(rows, row => row[stdError] == "0" && row[z] == "");
        Assert.All(rows, row => Assert.Equal(row[stdError] == "0", row[z] == ""));
        Assert.DoesNotContain("NOT", output.ToString());
    }

    [Fact]
    public void Every_check_names_its_instance()
    {
        using var temporary = new TemporaryFolder("dropout-trials-", create: false);
        string dir = temporary.Path;
        var err = new StringWriter();
        var output = new StringWriter();
        int code = EntryPoint.Run(["dropout-variant", "--samples", "200", "--ms", "2,3", "--trials", "2", "--quiet", "--out", dir], err, output);
        Assert.True(code == 0, err.ToString());
        string[] lines = File.ReadAllLines(Path.Combine(dir, "dropout-variant", "monte-carlo.csv"));
        Assert.StartsWith("instance,m,", lines[0]);
        // Two instances times two m, instance-major, matching the instance<i>_*.csv files.
        Assert.Equal(["0,2", "0,3", "1,2", "1,3"], lines.Skip(1).Select(l => string.Join(',', l.Split(',')[..2])));
        Assert.Contains("| instance | m | Monte Carlo mean |", output.ToString());
        Assert.Contains("| 1 | 3 |", output.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "dropout-variant", "instance1_X.csv")));
    }
}
