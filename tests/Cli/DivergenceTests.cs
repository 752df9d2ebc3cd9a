using System.Globalization;
using System.Text.RegularExpressions;
using Engine.Cli.CommandLine;
using Engine.Cli.MatrixCompletion;
using Engine.Cli.Overparam;
using Engine.Experiments.MatrixCompletion;
using Engine.Experiments.MinNorm;

namespace Engine.Cli.Tests;

/// <summary>
/// A run that diverges is named (which run, the steps it stopped between, the cause), and no CSV holds NaN or an
/// infinity outside the row of a run that says it diverged.
/// </summary>
public class DivergenceTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("divergence");
    private readonly string _dir;

    public DivergenceTests() => _dir = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EntryPoint.Run([.. args, "--out", _dir], stderr, stdout);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every cell of every CSV under the folder that reads as NaN or an infinity, with its row.</summary>
    private IEnumerable<(string File, string Row, string Cell)> NonFiniteCells() =>
        from file in Directory.EnumerateFiles(_dir, "*.csv", SearchOption.AllDirectories)
        from line in File.ReadLines(file)
        from cell in line.Split(',')
        where cell is "NaN" or "inf" or "-inf" || (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsFinite(v))
        select (Path.GetFileName(file), line, cell);

    [Theory]
    [InlineData("1e300", "1000")]
    [InlineData("2147483648", "1000")]
    public void ImplicitL1NamesADivergedRunAndWritesNoNaN(string lr, string steps)
    {
        var (code, output, _) = Run("implicit-l1", "--quick", "--trials", "1", "--lr", lr, "--steps", steps, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("Gradient descent on x ⊙ x diverged (its iterate stopped being finite at a step from 1 to 10)", output);
        Assert.Contains("lower --lr", output);
        Assert.Empty(NonFiniteCells());
        string folder = Path.Combine(_dir, "implicit-l1");
        // The path ends at the last finite iterate: x0 only.
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "implicit_l1_gd_path.csv")).Length);
        Assert.DoesNotContain("gradient descent, last iterate", File.ReadAllText(Path.Combine(folder, "implicit_l1_comparison.csv")));
    }

    [Fact]
    public void ImplicitL1TrialsMarkTheDivergedRuns()
    {
        var (code, output, _) = Run("implicit-l1", "--quick", "--lr", "1e300", "--steps", "100", "--trials", "2", "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("gradient descent on x ⊙ x diverged in all 2 (its iterate stopped being finite by step ", output);
        string[] rows = File.ReadAllLines(Path.Combine(_dir, "implicit-l1", "implicit_l1_trials.csv"));
        int diverged = Array.IndexOf(rows[0].Split(','), "gd_diverged");
        Assert.All(rows.Skip(1), row => Assert.Equal("1", row.Split(',')[diverged]));
        Assert.Empty(NonFiniteCells());
    }

    [Fact]
    public void AConvergedImplicitL1RunWritesEveryRecordedRow()
    {
        var (code, _, _) = Run("implicit-l1", "--quick", "--steps", "2000", "--trials", "2", "--quiet");
        Assert.Equal(0, code);
        string[] rows = File.ReadAllLines(Path.Combine(_dir, "implicit-l1", "implicit_l1_trials.csv"));
        int diverged = Array.IndexOf(rows[0].Split(','), "gd_diverged");
        Assert.All(rows.Skip(1), row => Assert.Equal("0", row.Split(',')[diverged]));
        Assert.Equal(1 + 2000 / 10 + 1, File.ReadAllLines(Path.Combine(_dir, "implicit-l1", "implicit_l1_gd_path.csv")).Length);
        Assert.Empty(NonFiniteCells());
    }

    [Fact]
    public void SgdNamesTheEpochStepAndCauseOfADivergedRun()
    {
        var (code, output, _) = Run("lr-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40",
            "--epochs", "2", "--lrs", "0.01,1000", "--quiet");
        Assert.Equal(0, code);
        var said = Regex.Match(output, @"eta = 1000 +diverged at epoch 1, step (\d+) \((objective grew \d(\.\d)?e\d+-fold; limit 1e6-fold|objective not finite|weights not finite)\)");
        Assert.True(said.Success, output);
        Assert.Empty(NonFiniteCells());
        // The summary CSV holds the same step and cause the console names.
        string[] rows = File.ReadAllLines(Path.Combine(_dir, OverparamCommand.Name, OverparamFiles.LearningRateSummaryCsv));
        string[] header = rows[0].Split(',');
        string[] diverged = rows.Skip(1).Select(r => r.Split(',')).Single(r => r[Array.IndexOf(header, "eta")] == "1000");
        Assert.Equal("1", diverged[Array.IndexOf(header, "diverged_at_epoch")]);
        Assert.Equal(said.Groups[1].Value, diverged[Array.IndexOf(header, "diverged_at_step_in_epoch")]);
        Assert.Equal(said.Groups[2].Value, diverged[Array.IndexOf(header, "divergence_cause")]);
        string[] converged = rows.Skip(1).Select(r => r.Split(',')).Single(r => r[Array.IndexOf(header, "eta")] == "0.01");
        Assert.Equal("", converged[Array.IndexOf(header, "diverged_at_step_in_epoch")]);
    }

    [Fact]
    public void MatrixCompletionNamesEveryDivergedRunAndMarksItsRows()
    {
        var settings = new MatrixCompletionSettings(5, 1, [0.6], [1e300, 1e-2], [0.1], 200, 1e-10, 1e-6, 2000);
        var ctx = new RunContext(_dir, 4, threads: 1, quiet: true, output: TextWriter.Null);
        ctx.PrepareOutput();
        var (_, _, summary) = MatrixCompletionCommand.Execute(ctx, settings);
        Assert.Contains("diverged: fraction 0.6, alpha = 1e+300, eta = 0.1, at step 0 (the loss is not finite)", summary);
        var cells = NonFiniteCells().ToList();
        Assert.NotEmpty(cells);
        Assert.All(cells, c => Assert.True(c.Row.Contains(",Diverged"), $"{c.File}: {c.Row}"));
    }

    [Fact]
    public void MinNormNamesARunWhoseErrorIsNotFinite()
    {
        double[] error = [1, 0.5, double.PositiveInfinity, double.NaN];
        var r = new MinNormResult(2, 3, 1, 1, 0.5, 1, 3, 0, 0, 0, 0, 0, error, [1, 0.5, 0.25, 0.125], [], [], []);
        Assert.Equal(2, r.DivergedAtStep);
        Assert.Contains("diverged: its error is not finite from step 2 on", MinNormConclusion.Answer(r));
        Assert.Null((r with { ErrorFromZero = [1, 0.5, 0.25, 0.125] }).DivergedAtStep);
    }

    [Fact]
    public void TheExactLassoPathLeavesTheUndefinedGapAtAlphaZeroEmpty()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "Data", "lasso", "wide.csv");
        var (code, output, _) = Run("lasso-path", "--data", data, "--exact");
        Assert.Equal(0, code);
        string[] rows = File.ReadAllLines(Path.Combine(_dir, "lasso-path", "lasso_path_exact.csv"));
        Assert.StartsWith("0,", rows[^1]);
        Assert.EndsWith(",", rows[^1]);
        Assert.All(rows.Skip(1).SkipLast(1), row => Assert.False(row.EndsWith(','), row));
        Assert.Empty(NonFiniteCells());
        var match = System.Text.RegularExpressions.Regex.Match(output, @"duality gap is not defined \(its cell is empty\); least-squares stationarity there: max_j \|x_j\^T \(y - X w\)\| / n = (\S+)\.");
        Assert.True(match.Success, output);
        Assert.True(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) < 1e-8);
    }
}
