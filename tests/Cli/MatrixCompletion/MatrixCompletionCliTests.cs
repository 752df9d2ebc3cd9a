using System.Globalization;
using Engine.Cli.CommandLine;
using Engine.Cli.MatrixCompletion;
using Engine.Experiments.MatrixCompletion;
using Engine.Kernels.Factorized;

namespace Engine.Cli.Tests.MatrixCompletion;

public class MatrixCompletionCliTests
{
    [Fact]
    public void UnderAllTheAdviceNamesTheCommandThatTakesTheOptions()
    {
        // Ten steps fit nothing: the advice is to raise --steps or --lrs, which engine all does not take.
        var settings = new MatrixCompletionSettings(8, 1, [0.5], [1e-3], [0.1], 10, 1e-10, 1e-7, 200);
        InTemporaryFolder("mc-test", folder =>
        {
            var ctx = new RunContext(folder, 4, threads: 1, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            var (_, _, ownSummary) = MatrixCompletionCommand.Execute(ctx, settings);
            Assert.Contains("; raise --steps or --lrs.)", ownSummary);
            Assert.DoesNotContain("run engine matrix-completion", ownSummary);
            var (results, verdicts, summary) = MatrixCompletionCommand.Execute(ctx, settings, ownOptions: false);
            Assert.Contains("; run engine matrix-completion and raise --steps or --lrs.)", summary);
            Assert.Contains("; run engine matrix-completion and raise --steps or --lrs.)", File.ReadAllText(Path.Combine(folder, "conclusion.txt")));
            string report = MatrixCompletionFiles.Report(results, verdicts, "mc").Markdown;
            Assert.Contains("; run engine matrix-completion and raise --steps or --lrs.)", report);
            // Outcomes and methods in words, not enum names.
            Assert.Contains("| used its whole budget of 10 steps |", report);
            foreach (string name in new[] { "BudgetExhausted", "Converged after", "InteriorPoint", "by Admm" })
            {
                Assert.DoesNotContain(name, report);
                Assert.DoesNotContain(name, summary);
            }
            Assert.Contains("X_nuc by the interior-point method in ", summary);
            Assert.Contains(" out of steps ", summary);
        });
    }

    [Fact]
    public void SmallSweepWritesItsFilesAndDoesNotDependOnThreads()
    {
        var settings = new MatrixCompletionSettings(8, 1, [0.3, 1.0], [1e-1, 1e-3], [0.2, 0.1], 3000, 1e-10, 1e-7, 5000);
        string folder = Path.Combine(Path.GetTempPath(), $"mc-test-{Guid.NewGuid():N}");
        try
        {
            var one = new RunContext(folder, 4, threads: 1, quiet: true, output: TextWriter.Null);
            var two = new RunContext(folder + "-2", 4, threads: 2, quiet: true, output: TextWriter.Null);
            one.PrepareOutput();
            two.PrepareOutput();
            var (a, verdicts, summary) = MatrixCompletionCommand.Execute(one, settings);
            var (b, _, _) = MatrixCompletionCommand.Execute(two, settings);
            Assert.Equal(a.Runs.Select(r => r.DistanceToNuclear), b.Runs.Select(r => r.DistanceToNuclear));
            foreach (string file in new[] { "runs.csv", "sdp_certificate.csv", "relative_distance.csv", "relative_distance.png",
                         "conclusion.txt", "summary.txt", "Y_fraction0.3.csv", "omega_fraction0.3.csv", "X_nuc_fraction0.3.csv", "X_gd_fraction1.csv" })
                Assert.True(File.Exists(Path.Combine(folder, file)), file);
            Assert.Equal(1 + 2 * 2 * 2, File.ReadAllLines(Path.Combine(folder, "runs.csv")).Length);
            // Fully observed: the minimum nuclear-norm completion is Y itself, and the certificate holds.
            CompletionRegime full = a.Regimes[1];
            Assert.True(full.Nuclear.Certificate.Converged);
            Assert.True(full.NuclearToTruth < 1e-5);
            Assert.Contains("SDP certified, worst measure", summary);
            Assert.Contains("Y is itself a minimum nuclear-norm completion", verdicts[1].Sentence);
        }
        finally
        {
            foreach (string f in new[] { folder, folder + "-2" })
                if (Directory.Exists(f)) Directory.Delete(f, recursive: true);
        }
    }

    /// <summary>
    /// The run each X_gd file holds, rerun from the written files alone (U0, Y, omega and settings.csv) by plain loops
    /// over the loss as settings.csv states it: its steps and outcome (in runs.csv) and its X.
    /// </summary>
    [Fact]
    public void Gradient_descent_reruns_from_its_files_with_the_loss_settings_csv_states()
    {
        var settings = new MatrixCompletionSettings(8, 1, [0.5], [1e-3], [0.2], 3000, 1e-10, 1e-7, 5000);
        InTemporaryFolder("mc-rerun", folder =>
        {
            var ctx = new RunContext(folder, 6, threads: 2, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            MatrixCompletionCommand.Execute(ctx, settings);
            var set = File.ReadAllLines(Path.Combine(folder, "settings.csv")).Skip(1).Select(l => l.Split(',', 2))
                .ToDictionary(f => f[0], f => f[1].Trim('"'));
            Assert.Contains("over ordered (i, j)", set["loss"]);
            Assert.Equal("gradient descent at alpha = 0.001 and eta = 0.2, the run the answer quotes", set["X_gd_fraction0.5.csv"]);
            double Read(string key) => double.Parse(set[key], CultureInfo.InvariantCulture);
            int d = (int)Read("D"), maxSteps = (int)Read("max_steps");
            double alpha = 1e-3, eta = 0.2, stop = Read("stop_below_loss");
            double[,] u0 = Matrix(Path.Combine(folder, "U0.csv"), d), y = Matrix(Path.Combine(folder, "Y_fraction0.5.csv"), d),
                omega = Matrix(Path.Combine(folder, "omega_fraction0.5.csv"), d), written = Matrix(Path.Combine(folder, "X_gd_fraction0.5.csv"), d);
            var u = new double[d, d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) u[i, j] = alpha * u0[i, j];
            int steps = 0;
            double[,] x;
            while (true)
            {
                x = new double[d, d];
                var sres = new double[d, d];
                double loss = 0;
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++)
                    {
                        for (int k = 0; k < d; k++) x[i, j] += u[i, k] * u[j, k];
                        sres[i, j] = omega[i, j] * (x[i, j] - y[i, j]);
                        loss += 0.5 * sres[i, j] * sres[i, j];
                    }
                if (loss < stop || steps == maxSteps) break;
                var next = new double[d, d];
                for (int i = 0; i < d; i++)
                    for (int k = 0; k < d; k++)
                    {
                        double g = 0;
                        for (int j = 0; j < d; j++) g += sres[i, j] * u[j, k];
                        next[i, k] = u[i, k] - 2 * eta * g;
                    }
                u = next;
                steps++;
            }
            string[] run = File.ReadAllLines(Path.Combine(folder, "runs.csv"))[1].Split(',');
            Assert.Equal(steps.ToString(CultureInfo.InvariantCulture), run[4]);
            Assert.Equal(steps < maxSteps ? "Converged" : "BudgetExhausted", run[3]);
            double scale = 0;
            foreach (double v in written) scale = Math.Max(scale, Math.Abs(v));
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    Assert.True(Math.Abs(x[i, j] - written[i, j]) <= 1e-9 * scale, $"X[{i}, {j}]: written {written[i, j]}, rerun {x[i, j]}");
        });
    }

    private static double[,] Matrix(string path, int d) => Matrix(path, d, d);

    private static double[,] Matrix(string path, int rows, int cols) => Output.MatrixFile.Read(path, rows, cols);

    /// <summary>
    /// The 'certified' verdict checked from the files alone, with plain loops and a Cholesky factorization: the dual point
    /// is zero off Omega, P has orthonormal columns, P^T (I - Lambda) P + tol I has a Cholesky factor (so its least
    /// eigenvalue is at least -tol), and <Lambda, Y> is within the tolerance of trace(X_nuc), which fits Y on Omega.
    /// </summary>
    [Fact]
    public void The_certificate_of_each_regime_checks_from_its_files()
    {
        // 0.5 of the pairs of a rank-1 8 x 8 matrix: Slater fails in one regime, not in the fully observed one.
        var settings = new MatrixCompletionSettings(8, 1, [0.5, 1.0], [1e-3], [0.2], 500, 1e-10, 1e-9, 5000);
        InTemporaryFolder("mc-certificate", folder =>
        {
            var ctx = new RunContext(folder, 3, threads: 2, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            var (results, _, _) = MatrixCompletionCommand.Execute(ctx, settings);
            const int d = 8;
            foreach (CompletionRegime g in results.Regimes)
            {
                Assert.True(g.Certified);
                double tol = g.Nuclear.Certificate.Tolerance;
                string tag = "fraction" + g.Instance.Fraction.ToString("G4", CultureInfo.InvariantCulture);
                string F(string name) => Path.Combine(folder, $"{name}_{tag}.csv");
                double[,] lambda = Matrix(F("dual_lambda"), d), y = Matrix(F("Y"), d), omega = Matrix(F("omega"), d), x = Matrix(F("X_nuc"), d);
                int r = File.ReadAllLines(F("face_basis"))[1].Split(',').Length;
                double[,] p = Matrix(F("face_basis"), d, r);
                double dual = 0, trace = 0, misfit = 0;
                for (int i = 0; i < d; i++)
                {
                    trace += x[i, i];
                    for (int j = 0; j < d; j++)
                    {
                        if (omega[i, j] == 0) Assert.Equal(0, lambda[i, j]);
                        dual += omega[i, j] * lambda[i, j] * y[i, j];
                        misfit = Math.Max(misfit, omega[i, j] * Math.Abs(x[i, j] - y[i, j]));
                    }
                }
                Assert.True(misfit <= tol, $"{tag}: X_nuc misses Y on Omega by {misfit}");
                Assert.True(Math.Abs(trace - dual) / (1 + Math.Abs(trace) + Math.Abs(dual)) <= tol, $"{tag}: trace {trace}, dual {dual}");
                var slack = new double[r, r];
                for (int a = 0; a < r; a++)
                    for (int b = 0; b < r; b++)
                    {
                        double s = 0, gram = 0;
                        for (int i = 0; i < d; i++)
                        {
                            gram += p[i, a] * p[i, b];
                            for (int j = 0; j < d; j++) s += p[i, a] * ((i == j ? 1 : 0) - lambda[i, j]) * p[j, b];
                        }
                        Assert.Equal(a == b ? 1 : 0, gram, 1e-12);
                        slack[a, b] = s + (a == b ? tol : 0);
                    }
                Assert.True(Cholesky(slack, r), $"{tag}: P^T (I - Lambda) P has an eigenvalue below -{tol}");
            }
            Assert.Contains(results.Regimes, g => g.Nuclear.Face.SlaterFailed);
        });
    }

    /// <summary>Whether the symmetric matrix has a Cholesky factor (is positive definite), by the textbook loop.</summary>
    private static bool Cholesky(double[,] a, int n)
    {
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j, j];
            for (int k = 0; k < j; k++) diagonal -= l[j, k] * l[j, k];
            if (!(diagonal > 0)) return false;
            l[j, j] = Math.Sqrt(diagonal);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return true;
    }

    [Fact]
    public void An_uncertified_sdp_says_not_certified_on_the_console_in_summary_txt_and_in_the_report()
    {
        var settings = new MatrixCompletionSettings(10, 2, [0.5], [1e-3], [0.1], 2000, 1e-10, 1e-9, 1);
        InTemporaryFolder("mc-uncertified", folder =>
        {
            var ctx = new RunContext(folder, 5, threads: 1, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            var (results, verdicts, summary) = MatrixCompletionCommand.Execute(ctx, settings);
            string report = MatrixCompletionFiles.Report(results, verdicts, "matrix-completion").Markdown;
            foreach (string text in new[] { summary, File.ReadAllText(Path.Combine(folder, "summary.txt")), report, File.ReadAllText(Path.Combine(folder, "conclusion.txt")) })
            {
                Assert.Contains("NOT certified", text);
                Assert.DoesNotContain("certified to", text);
                Assert.DoesNotContain("is certified", text);
            }
            Assert.Equal("0", File.ReadAllLines(Path.Combine(folder, "sdp_certificate.csv"))[1].Split(',')[4]);
        });
    }

    [Fact]
    public void RunsWithNonFiniteXAreReportedAsDivergedAndLeftOutOfTheConclusion()
    {
        // alpha = 1e300 makes U0 U0^T overflow: X_GD holds infinities and the eigensolver must not see it.
        var settings = new MatrixCompletionSettings(5, 1, [0.6], [1e300, 1e-2], [0.1], 200, 1e-10, 1e-6, 2000);
        InTemporaryFolder("mc-diverged", folder =>
        {
            var ctx = new RunContext(folder, 4, threads: 1, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            var (results, verdicts, summary) = MatrixCompletionCommand.Execute(ctx, settings);
            CompletionRun blownUp = results.Runs.Single(r => r.Alpha == 1e300);
            Assert.Equal(DescentOutcome.Diverged, blownUp.Gd.Outcome);
            Assert.True(double.IsNaN(blownUp.Spectrum.NuclearNorm));
            Assert.Equal(1e-2, verdicts[0].SmallestAlpha);
            Assert.Equal(1e-2, verdicts[0].LargestAlpha);
            Assert.NotEqual(DescentOutcome.Diverged, verdicts[0].Outcome);
            Assert.Contains("1 of 2 runs diverged", verdicts[0].Sentence);
            string divergedRow = File.ReadAllLines(Path.Combine(folder, "runs.csv")).Single(line => line.Contains("Diverged"));
            Assert.Equal("NaN", divergedRow.Split(',')[12]);
            // The console says n/a where the CSV's diverged row may say NaN.
            Assert.DoesNotContain("NaN", summary);
            // Every run diverging, the quoted run is a diverged one: named so, its undefined distance n/a.
            var allDiverge = settings with { Alphas = [1e300] };
            var (_, _, both) = MatrixCompletionCommand.Execute(ctx, allDiverge);
            Assert.Contains("eta = 0.1 (diverged): distance to the optimal set n/a", both);
            Assert.DoesNotContain("NaN", both);
        });
    }

    [Fact]
    public void LargestInitScaleOnTheCommandLineEndsNormallyAsDiverged()
    {
        InTemporaryFolder("mc-huge-alpha", folder =>
        {
            var err = new StringWriter();
            int code = EntryPoint.Run(["matrix-completion", "--dim", "5", "--init-scales", "1000", "--fractions", "0.6", "--steps", "50",
                "--sdp-iterations", "500", "--out", folder, "--quiet"], err);
            Assert.Equal(0, code);
            Assert.Contains("Every gradient descent run diverged", File.ReadAllText(Path.Combine(folder, "matrix-completion", "conclusion.txt")));
        });
    }

    [Theory]
    [InlineData("--dim", "1")]
    [InlineData("--rank", "0")]
    [InlineData("--fractions", "0")]
    [InlineData("--fractions", "1.5")]
    [InlineData("--init-scales", "-1")]
    [InlineData("--init-scales", "1e300")]
    [InlineData("--lrs", "abc")]
    [InlineData("--steps", "0")]
    [InlineData("--tol", "0")]
    [InlineData("--sdp-tol", "0.5")]
    [InlineData("--tol", "Infinity")]
    [InlineData("--dim", "2000000000")]
    [InlineData("--rank", "2000000000")]
    public void BadOptionsExitWithTwo(string option, string value)
    {
        var err = new StringWriter();
        int code = EntryPoint.Run(["matrix-completion", option, value, "--out", Path.Combine(Path.GetTempPath(), "never-written"), "--quiet"], err);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Contains(option, err.ToString());
    }

    [Fact]
    public void RepeatedAlphaIsRejected()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["matrix-completion", "--init-scales", "1e-3,1e-3", "--quiet"], err));
        Assert.Contains("--init-scales", err.ToString());
    }

    [Fact]
    public void RunsWhoseResultsExceedTheMemoryLimitAreRejected()
    {
        // 3 fractions x 200 alphas x 10 step sizes = 6000 runs, each keeping two 400 x 400 matrices: about 14 GiB.
        string alphas = string.Join(",", Enumerable.Range(1, 200).Select(i => (i * 1e-3).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string etas = string.Join(",", Enumerable.Range(1, 10).Select(i => (i * 1e-2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["matrix-completion", "--dim", "400", "--init-scales", alphas, "--lrs", etas,
            "--out", Path.Combine(Path.GetTempPath(), "never-written"), "--quiet"], err));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.Contains("GiB", err.ToString());
    }

    [Fact]
    public void RankAboveDimensionIsRejected()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["matrix-completion", "--dim", "4", "--rank", "5", "--quiet"], err));
        Assert.Contains("--rank", err.ToString());
    }

    /// <summary>Runs <paramref name="test"/> on a fresh folder under the temporary path, removed afterwards whatever the test did.</summary>
    private static void InTemporaryFolder(string prefix, Action<string> test)
    {
        using var temporary = new TemporaryFolder($"{prefix}-", create: false);
        string folder = temporary.Path;
        test(folder);
    }
}
