namespace Engine.Cli.Tests.ImplicitL1;

public class ImplicitL1CliTests
{
    [Theory]
    [InlineData("--rows", "40", "--cols", "40")]
    [InlineData("--rows", "50000", "--cols", "50001")]
    [InlineData("--steps", "100000000", "--record-every", "1")]
    [InlineData("--trials", "1000000", "--steps", "10")]
    [InlineData("--rows", "200", "--cols", "401")]
    [InlineData("--match-tol", "1e20", "--rows", "6")]
    [InlineData("--match-tol", "1e-300", "--rows", "6")]
    [InlineData("--record-every", "300001", "--steps", "300000")]
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

public class ImplicitL1FilesTests
{
    [Fact]
    public void A_diverged_run_has_n_a_in_the_console_table_not_NaN()
    {
        using var temporary = new TemporaryFolder("implicit-l1-diverged-", create: false);
        string dir = temporary.Path;
        var err = new StringWriter();
        var output = new StringWriter();
        int code = EntryPoint.Run(["implicit-l1", "--quick", "--rows", "6", "--cols", "12", "--sparsity", "3", "--steps", "300", "--lr", "1e10",
            "--record-every", "30", "--sweep-smallest", "1e-6", "--interpolation-steps", "2000", "--out", dir, "--quiet"], err, output);
        Assert.True(code == 0, err.ToString());
        string text = output.ToString();
        Assert.Contains("gradient descent's last iterate to w_inf(a)                   n/a", text);
        Assert.DoesNotContain("NaN", text);
        // The QA's --lr 10 run: an empty order list, the budget credited to runs that diverged, and a sentence on
        // "every instance" after "no conclusion".
        Assert.Contains("gradient descent diverged, no order;", text);
        Assert.DoesNotContain("gradient descent ;", text);
        Assert.DoesNotContain("after 300 steps", text);
        Assert.Contains("diverged in all 2 (its iterate stopped being finite by step ", text);
        string first = text.Split('\n').Single(l => l.StartsWith("Gradient descent on x ⊙ x diverged", StringComparison.Ordinal));
        Assert.DoesNotContain("instance", first);
        string signed = text.Split('\n').Single(l => l.StartsWith("For the signed model, ", StringComparison.Ordinal));
        Assert.DoesNotContain("The same holds", signed);
        Assert.Contains("no conclusion. Over 2 instances at a = 0.001: gradient descent on u ⊙ u - v ⊙ v diverged in all 2", signed);
    }

    [Fact]
    public void The_instance_files_reproduce_the_flow_limit_and_every_figure_has_its_data()
    {
        using var temporary = new TemporaryFolder("implicit-l1-files-", create: false);
        string dir = temporary.Path;
        var err = new StringWriter();
        int code = EntryPoint.Run(["implicit-l1", "--quick", "--rows", "6", "--cols", "12", "--sparsity", "3", "--steps", "3000",
            "--record-every", "30", "--sweep-smallest", "1e-12", "--interpolation-steps", "200000", "--out", dir, "--quiet"], err);
        Assert.True(code == 0, err.ToString());
        string folder = Path.Combine(dir, "implicit-l1");
        foreach (string png in Directory.GetFiles(folder, "*.png"))
            Assert.True(File.Exists(Path.ChangeExtension(png, ".csv")), $"{Path.GetFileName(png)} has no CSV beside it");

        // Read the instance and the limit back from the files alone, as an independent solver would.
        string trial = Path.Combine(folder, "trial0");
        double[][] a = ReadRows(Path.Combine(trial, "A.csv"));
        double[] y = ReadRows(Path.Combine(trial, "y.csv")).Select(r => r[0]).ToArray();
        var limit = ReadColumns(Path.Combine(trial, "flow_limit.csv"));
        double scale = double.Parse(ReadColumns(Path.Combine(folder, "settings.csv"), byRow: true)["a"][0], System.Globalization.CultureInfo.InvariantCulture);
        double[] w = limit["w_inf"];
        int n = a.Length, m = w.Length;
        Assert.Equal(12, m);
        // Feasibility: A w = y.
        double yNorm = Math.Sqrt(y.Sum(v => v * v));
        double residual = Math.Sqrt(Enumerable.Range(0, n).Sum(i => Math.Pow(Enumerable.Range(0, m).Sum(j => a[i][j] * w[j]) - y[i], 2)));
        Assert.True(residual <= 1e-10 * yNorm, $"||A w - y|| = {residual}");
        // Stationarity of the entropic projection: log(w / a^2) lies in the row space of A, over the coordinates
        // that can be positive (y on a face of the cone A R^m_+ forces the others to exactly zero).
        int[] free = Enumerable.Range(0, m).Where(j => w[j] > 0).ToArray();
        double[][] aFree = a.Select(row => free.Select(j => row[j]).ToArray()).ToArray();
        double[] g = free.Select(j => Math.Log(w[j] / (scale * scale))).ToArray();
        double[] nu = LeastSquares(aFree, g);
        double off = Math.Sqrt(Enumerable.Range(0, free.Length).Sum(j => Math.Pow(Enumerable.Range(0, n).Sum(i => aFree[i][j] * nu[i]) - g[j], 2)));
        Assert.True(off <= 1e-8 * Math.Sqrt(g.Sum(v => v * v)), $"log(w/a^2) is {off} from the row space of A");
        // The signed model's last factors are written too (its flow continues from the pair), and their difference
        // is its last iterate.
        double[] u2 = limit["gd_final_u_squared_signed"], v2 = limit["gd_final_v_squared_signed"], signed = limit["gd_final_signed"];
        for (int j = 0; j < m; j++) Assert.Equal(signed[j], u2[j] - v2[j], 1e-14);
    }

    private static double[][] ReadRows(string path) => File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
        .Select(l => l.Split(',').Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();

    private static Dictionary<string, string[]> ReadColumnsText(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        return header.Select((h, k) => (h, k)).ToDictionary(x => x.h, x => lines.Skip(1).Select(l => l.Split(',')[x.k]).ToArray());
    }

    private static Dictionary<string, double[]> ReadColumns(string path) =>
        ReadColumnsText(path).ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());

    private static Dictionary<string, string[]> ReadColumns(string path, bool byRow)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0);
        return lines.Select(l => l.Split(',', 2)).ToDictionary(p => p[0], p => new[] { p[1] });
    }

    /// <summary>argmin ||A^T nu - g|| by the normal equations (A A^T) nu = A g, Gaussian elimination with partial pivoting.</summary>
    private static double[] LeastSquares(double[][] a, double[] g)
    {
        int n = a.Length, m = g.Length;
        var k = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int l = 0; l < n; l++) k[i, l] = Enumerable.Range(0, m).Sum(j => a[i][j] * a[l][j]);
            k[i, n] = Enumerable.Range(0, m).Sum(j => a[i][j] * g[j]);
        }
        for (int c = 0; c < n; c++)
        {
            int p = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(k[r, c]));
            for (int l = 0; l <= n; l++) (k[c, l], k[p, l]) = (k[p, l], k[c, l]);
            for (int r = c + 1; r < n; r++)
            {
                double f = k[r, c] / k[c, c];
                for (int l = c; l <= n; l++) k[r, l] -= f * k[c, l];
            }
        }
        var nu = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = k[r, n];
            for (int l = r + 1; l < n; l++) s -= k[r, l] * nu[l];
            nu[r] = s / k[r, r];
        }
        return nu;
    }
}
