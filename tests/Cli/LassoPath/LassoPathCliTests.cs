namespace Engine.Cli.Tests.LassoPath;

public class LassoPathCliTests
{
    [Theory]
    [InlineData("a,b,y\n1,2,3\n4,x,5\n", "row 3, column 2 (b): 'x' is not a finite number")]
    [InlineData("1,2,3\n4,5\n", "row 2 has 2 columns, expected 3")]
    [InlineData("a,b,y\n1,2,3\n4,NaN,5\n", "row 3, column 2")]
    [InlineData("a,b,y\n", "no data rows")]
    [InlineData("1,NA,3\n4,5,6\n7,8,9\n10,11,13\n", "row 1 mixes numbers and text (column 1: '1', column 2: 'NA')")]
    [InlineData("", "empty")]
    public void Malformed_file_is_one_line_naming_the_place_and_exit_code_2(string content, string expected)
    {
        using var temporary = new TemporaryFolder("lasso-cli");
        string dir = temporary.Path;
        string file = Path.Combine(dir, "data.csv");
        File.WriteAllText(file, content);
        var err = new StringWriter();
        int code = EntryPoint.Run(["lasso-path", "--data", file, "--out", dir], err);
        Assert.Equal(EntryPoint.BadInput, code);
        string message = err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_file_of_random_bytes_is_said_not_to_be_a_text_csv()
    {
        using var temporary = new TemporaryFolder("lasso-cli");
        string dir = temporary.Path;
        string file = Path.Combine(dir, "random.csv");
        var bytes = new byte[4096];
        new System.Random(7).NextBytes(bytes);
        File.WriteAllBytes(file, bytes);
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", file, "--out", dir], err));
        string message = err.ToString().TrimEnd();
        Assert.Single(message.Split('\n'));
        Assert.Contains("is not a text CSV", message);
        Assert.DoesNotContain("separated by", message);
    }

    [Fact]
    public void Missing_file_and_unknown_target_are_bad_input()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", "/nonexistent/data.csv"], err));
        Assert.Contains("does not exist", err.ToString());
        err = new StringWriter();
        string data = Path.Combine(AppContext.BaseDirectory, "Data", "lasso", "tall.csv");
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", data, "--target", "nope"], err));
        Assert.Contains("no column named 'nope'", err.ToString());
    }

    [Fact]
    public void Writes_the_path_csv_with_one_column_per_feature_and_a_png()
    {
        using var temporary = new TemporaryFolder("lasso-cli");
        string dir = temporary.Path;
        string data = Path.Combine(AppContext.BaseDirectory, "Data", "lasso", "tall.csv");
        Assert.Equal(0, EntryPoint.Run(["lasso-path", "--data", data, "--out", dir, "--n-alphas", "12"], new StringWriter()));
        Assert.Equal(0, EntryPoint.Run(["lasso-path", "--data", data, "--out", dir, "--exact", "--positive"], new StringWriter()));
        string[] lines = File.ReadAllLines(Path.Combine(dir, "lasso-path", "lasso_path.csv"));
        Assert.Equal("alpha,x1,x2,x3,x4,x5,x6,x7,x8,duality_gap", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.True(new FileInfo(Path.Combine(dir, "lasso-path", "lasso_path.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(dir, "lasso-path", "lasso_path_exact.csv")));
    }

    [Fact]
    public void Directory_duplicate_target_and_huge_grid_are_bad_input()
    {
        using var temporary = new TemporaryFolder("lasso-cli");
        string dir = temporary.Path;
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", dir, "--out", dir], err));
        Assert.Contains("is a directory", err.ToString());
        string file = Path.Combine(dir, "dup.csv");
        File.WriteAllText(file, "a,a,y\n1,2,3\n4,5,7\n");
        err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", file, "--target", "a", "--out", dir], err));
        Assert.Contains("2 columns are named 'a'", err.ToString());
        string data = Path.Combine(AppContext.BaseDirectory, "Data", "lasso", "tall.csv");
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-path", "--data", data, "--n-alphas", "1000000000", "--out", dir], new StringWriter()));
    }

    [Theory]
    [InlineData(3, 2, true, "X[1, 0] = NaN is not a finite number")]
    [InlineData(0, 5, false, "at least one sample and one feature")]
    [InlineData(1L << 40, 1L << 40, false, "does not match")]
    public void Lasso_bench_rejects_a_bad_binary_file_with_one_line(long n, long p, bool nanInX, string expected)
    {
        using var temporary = new TemporaryFolder("lasso-bench");
        string dir = temporary.Path;
        string file = Path.Combine(dir, "problem.bin");
        LassoBenchFile.Write(file, n, p, nanInX ? Enumerable.Range(0, (int)(n * p + n)).Select(i => i == p ? double.NaN : 1.0 + i) : []);
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-bench", "--data", file], err));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Contains(expected, err.ToString());
    }
}

public class LassoBenchOutputTests
{
    [Fact]
    public void Lasso_bench_refuses_to_write_its_gaps_over_the_data_file()
    {
        using var temporary = new TemporaryFolder("lasso-bench-out");
        string dir = temporary.Path;
        string file = Path.Combine(dir, "problem.bin");
        LassoBenchFile.Write(file, 3, 1, [1.0, 2.0, 4.0, 1.0, 3.0, 3.5]);
        byte[] before = File.ReadAllBytes(file);
        var err = new StringWriter();
        // The same file named two ways: through a relative path with a detour.
        string other = Path.Combine(dir, "..", Path.GetFileName(dir), "problem.bin");
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-bench", "--data", file, "--gaps-out", other], err, new StringWriter()));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Contains("is the --data file", err.ToString());
        Assert.Equal(before, File.ReadAllBytes(file));
    }
    [Fact]
    public void Lasso_bench_says_when_a_path_did_not_converge_and_bounds_the_tolerance()
    {
        using var temporary = new TemporaryFolder("lasso-bench-conv");
        string dir = temporary.Path;
        // 30 samples, 60 features: at the smallest tolerance the interpolating end of the path stops above the gap bound.
        string file = Path.Combine(dir, "problem.bin");
        var sampler = new Engine.Kernels.Random.NormalSampler(4);
        LassoBenchFile.Write(file, 30, 60, Enumerable.Range(0, 30 * 60 + 30).Select(_ => sampler.NextNormal()));
        foreach (string tol in new[] { "1e-8", "1e-15" })
        {
            var output = new StringWriter();
            Assert.Equal(0, EntryPoint.Run(["lasso-bench", "--data", file, "--tol", tol], new StringWriter(), output));
            string text = output.ToString();
            double Field(string name) => double.Parse(text.Split(' ', '\n').Single(t => t.StartsWith(name + "=")).Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
            bool above = Field("largest_gap") > Field("gap_bound");
            Assert.Equal(above, text.Contains("NOT converged at "));
            if (tol == "1e-15") Assert.True(above, "the smallest tolerance was expected to be out of reach on this problem");
        }
        foreach (string tol in new[] { "1e-300", "1e20" })
        {
            var err = new StringWriter();
            Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-bench", "--data", file, "--tol", tol], err, new StringWriter()));
            Assert.Contains("--tol: expected a number from 1E-15 to 1", err.ToString());
        }
    }
}

public class LassoPathOptionsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("lasso-options");
    private readonly string _dir;

    public LassoPathOptionsTests() => _dir = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private string Data()
    {
        // y = 2 x1 - x2 + noise-free intercept 3; w is a weight column, x3 is irrelevant.
        var lines = new List<string> { "x1,x2,x3,w,y" };
        var sampler = new Engine.Kernels.Random.NormalSampler(5);
        for (int i = 0; i < 60; i++)
        {
            double a = sampler.NextNormal(), b = sampler.NextNormal(), c = sampler.NextNormal();
            lines.Add(FormattableString.Invariant($"{a},{b},{c},{1 + i % 3},{3 + 2 * a - b + 0.1 * sampler.NextNormal()}"));
        }
        string path = Path.Combine(_dir, "data.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EntryPoint.Run([.. args, "--out", _dir], stderr, stdout);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Cross_validation_writes_its_curve_and_both_choices()
    {
        var (code, output, err) = Run("lasso-path", "--data", Data(), "--intercept", "--standardize", "--weights", "w", "--cv", "5", "--seed", "3");
        Assert.True(code == 0, err);
        Assert.Contains("5-fold cross-validation: alpha_min = ", output);
        string folder = Path.Combine(_dir, "lasso-path");
        string[] curve = File.ReadAllLines(Path.Combine(folder, "lasso_cv.csv"));
        Assert.Equal("alpha,mean_error,standard_error,fold1_error,fold2_error,fold3_error,fold4_error,fold5_error", curve[0]);
        Assert.Equal(101, curve.Length);
        Assert.True(File.Exists(Path.Combine(folder, "lasso_cv.png")));
        string[] models = File.ReadAllLines(Path.Combine(folder, "lasso_cv_models.csv"));
        Assert.Equal("choice,alpha,intercept,x1,x2,x3", models[0]);
        // At the least-error alpha the fit recovers the intercept 3 and the slopes 2 and -1 to the noise level.
        double[] best = models[1].Split(',')[2..].Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.InRange(best[0], 2.8, 3.2);
        Assert.InRange(best[1], 1.8, 2.2);
        Assert.InRange(best[2], -1.2, -0.8);
        Assert.StartsWith("alpha,intercept,x1,x2,x3,duality_gap", File.ReadAllLines(Path.Combine(folder, "lasso_path.csv"))[0]);
        // The folds are written row by row, numbered as the curve's fold columns: the seed's assignment, every fold used.
        string[] folds = File.ReadAllLines(Path.Combine(folder, "lasso_cv_folds.csv"));
        Assert.Equal("row,fold", folds[0]);
        int[] expected = Engine.Kernels.Lasso.CrossValidationFolds.Assign(60, 5, 3);
        Assert.Equal(expected.Select((f, i) => $"{i + 1},{f + 1}"), folds[1..]);
        Assert.Equal([1, 2, 3, 4, 5], folds[1..].Select(line => int.Parse(line.Split(',')[1])).Distinct().Order());
        // The grid-end sentence appears exactly when the least mean error is in the curve's last row.
        double[] means = curve[1..].Select(line => double.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Array.IndexOf(means, means.Min()) == means.Length - 1, output.Contains("alpha_min is the smallest alpha of the grid"));
    }

    [Fact]
    public void A_least_error_at_the_end_of_the_grid_is_named()
    {
        // Noise-free y = 2 x1 - x2: the held-out error keeps falling as alpha shrinks, so the least is at the grid's end.
        var lines = new List<string> { "x1,x2,y" };
        var sampler = new Engine.Kernels.Random.NormalSampler(8);
        for (int i = 0; i < 40; i++)
        {
            double a = sampler.NextNormal(), b = sampler.NextNormal();
            lines.Add(FormattableString.Invariant($"{a},{b},{2 * a - b}"));
        }
        string data = Path.Combine(_dir, "exact.csv");
        File.WriteAllLines(data, lines);
        var (code, output, err) = Run("lasso-path", "--data", data, "--cv", "4");
        Assert.True(code == 0, err);
        Assert.Contains("alpha_min is the smallest alpha of the grid, so the held-out error may fall further below it: a smaller --eps extends the grid.", output);
        string[] curve = File.ReadAllLines(Path.Combine(_dir, "lasso-path", "lasso_cv.csv"));
        double[] means = curve[1..].Select(line => double.Parse(line.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(means.Length - 1, Array.IndexOf(means, means.Min()));
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds()
    {
        string data = Data();
        Assert.Equal(0, Run("lasso-path", "--data", data, "--cv", "4", "--seed", "9").Code);
        string first = File.ReadAllText(Path.Combine(_dir, "lasso-path", "lasso_cv.csv"));
        Assert.Equal(0, Run("lasso-path", "--data", data, "--cv", "4", "--seed", "9", "--threads", "1").Code);
        Assert.Equal(first, File.ReadAllText(Path.Combine(_dir, "lasso-path", "lasso_cv.csv")));
    }

    [Theory]
    [InlineData("--exact --intercept", "--exact computes the plain Lasso path")]
    [InlineData("--cv 1", "--cv needs at least 2 folds")]
    [InlineData("--weights nope", "no feature column named 'nope'")]
    [InlineData("--precompute fast", "--precompute: expected auto, gram or residual")]
    [InlineData("--l1-ratio 0", "--l1-ratio")]
    [InlineData("--exact --n-alphas 7 --eps 0.5", "--exact computes the plain Lasso path at its breakpoints (no grid, preprocessing, elastic net or cross-validation), so it does not combine with --n-alphas and --eps.")]
    [InlineData("--exact --eps 0.5", "so it does not combine with --eps.")]
    [InlineData("--exact --tol 0.1", "--exact solves every breakpoint exactly and has no stopping tolerance")]
    [InlineData("--tol 1e20", "--tol: expected a number from 1E-15 to 1")]
    [InlineData("--exact --cv 0", "so it does not combine with --cv.")]
    [InlineData("--seed 5", "--seed only draws the cross-validation folds, so it needs --cv K")]
    public void Bad_combinations_are_one_line_and_exit_code_two(string options, string message)
    {
        var (code, _, err) = Run(["lasso-path", "--data", Data(), .. options.Split(' ')]);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains(message, err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_dir, "lasso-path")));
    }

    [Fact]
    public void A_conflict_of_options_is_named_before_the_data_is_read()
    {
        // A weight column with a negative entry: were the file read first, the line would be about the weight.
        string file = Path.Combine(_dir, "negative.csv");
        File.WriteAllLines(file, ["x1,age,y", "1,-2,3", "2,1,1", "3,4,2"]);
        foreach (string data in new[] { file, Path.Combine(_dir, "missing.csv") })
        {
            var (code, _, err) = Run("lasso-path", "--data", data, "--exact", "--weights", "age");
            Assert.Equal(EntryPoint.BadInput, code);
            Assert.Equal("engine: --exact computes the plain Lasso path at its breakpoints (no grid, preprocessing, elastic net or cross-validation), so it does not combine with --weights.", err.TrimEnd());
        }
    }
}
