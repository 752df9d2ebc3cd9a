using Engine.Experiments.Cli;
using Engine.Experiments.GradCheck;
using Engine.Experiments.MatrixCompletion;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.MatrixCompletion;

public class MatrixCompletionTests
{
    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        var check = new MatrixCompletionGradientCheck();
        for (ulong trial = 0; trial < 3; trial++)
            foreach (GradientBlockCheck block in check.Run(new NormalSampler(5).Split(trial)))
                Assert.True(block.Passed, $"{block.Block}: max relative error {block.MaxRelativeError:E2}");
        Assert.Contains(GradientChecks.All, c => c is MatrixCompletionGradientCheck);
    }

    [Fact]
    public void InstanceIsSymmetricPsdWithTheRequestedPattern()
    {
        const int d = 12;
        var instance = CompletionInstance.Draw(d, 3, 0.4, new NormalSampler(3));
        Assert.Equal((int)Math.Round(0.4 * d * (d + 1) / 2), instance.ObservedPairs);
        int ordered = 0;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                Assert.Equal(instance.Observed[i * d + j], instance.Observed[j * d + i]);
                Assert.Equal(instance.Y[i * d + j], instance.Y[j * d + i]);
                if (instance.Observed[i * d + j]) ordered += i == j ? 2 : 1;
            }
        Assert.Equal(2 * instance.ObservedPairs, ordered);
        double[] w = Engine.Kernels.Linalg.SymmetricEigenSolver.Of(instance.Y, d).Eigenvalues;
        Assert.Equal(1, w[d - 1], 12);
        Assert.True(w[d - 4] < 1e-12 && w[0] > -1e-12, "Y is not PSD of rank 3");
        Assert.True(w[d - 3] > 1e-6);
    }

    [Fact]
    public void GradientDescentOnAFullyObservedInstanceReachesY()
    {
        const int d = 5;
        var instance = CompletionInstance.Draw(d, 2, 1.0, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        GdRun run = new FactorizedGradientDescent(instance).Run(u0, alpha: 1e-3, eta: 0.1, maxSteps: 20_000, tolerance: 1e-13);
        Assert.Equal(GdOutcome.Converged, run.Outcome);
        Assert.True(MatrixDistance.Relative(run.X, instance.Y) < 1e-5, $"distance {MatrixDistance.Relative(run.X, instance.Y):E2}");
    }

    [Fact]
    public void GradientDescentStepsAllocateNothing()
    {
        const int d = 9;
        var instance = CompletionInstance.Draw(d, 2, 0.5, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        var gd = new FactorizedGradientDescent(instance);
        gd.Run(u0, 1e-3, 0.05, 50, 0); // warm up the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        gd.Run(u0, 1e-3, 0.05, 10, 0);
        long few = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        gd.Run(u0, 1e-3, 0.05, 2000, 0);
        long many = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(few, many);
    }

    [Fact]
    public void TooLargeAStepIsReportedAsDivergence()
    {
        const int d = 5;
        var instance = CompletionInstance.Draw(d, 2, 1.0, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        GdRun run = new FactorizedGradientDescent(instance).Run(u0, alpha: 1, eta: 50, maxSteps: 1000, tolerance: 1e-12);
        Assert.Equal(GdOutcome.Diverged, run.Outcome);
    }

    [Fact]
    public void StepBudgetIsReportedWhenExhausted()
    {
        const int d = 5;
        var instance = CompletionInstance.Draw(d, 2, 0.5, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        GdRun run = new FactorizedGradientDescent(instance).Run(u0, alpha: 1e-3, eta: 1e-3, maxSteps: 7, tolerance: 1e-12);
        Assert.Equal(GdOutcome.BudgetExhausted, run.Outcome);
        Assert.Equal(7, run.Steps);
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
            Assert.Contains("certified accuracy", summary);
            Assert.Contains("equals Y", verdicts[1].Sentence);
        }
        finally
        {
            foreach (string f in new[] { folder, folder + "-2" })
                if (Directory.Exists(f)) Directory.Delete(f, recursive: true);
        }
    }

    [Fact]
    public void RunsWithNonFiniteXAreReportedAsDivergedAndLeftOutOfTheConclusion()
    {
        // alpha = 1e300 makes U0 U0^T overflow: X_GD holds infinities and the eigensolver must not see it.
        var settings = new MatrixCompletionSettings(5, 1, [0.6], [1e300, 1e-2], [0.1], 200, 1e-10, 1e-6, 2000);
        string folder = Path.Combine(Path.GetTempPath(), $"mc-diverged-{Guid.NewGuid():N}");
        try
        {
            var ctx = new RunContext(folder, 4, threads: 1, quiet: true, output: TextWriter.Null);
            ctx.PrepareOutput();
            var (results, verdicts, summary) = MatrixCompletionCommand.Execute(ctx, settings);
            CompletionRun blownUp = results.Runs.Single(r => r.Alpha == 1e300);
            Assert.Equal(GdOutcome.Diverged, blownUp.Gd.Outcome);
            Assert.True(double.IsNaN(blownUp.Spectrum.NuclearNorm));
            Assert.Equal(1e-2, verdicts[0].SmallestAlpha);
            Assert.Equal(1e-2, verdicts[0].LargestAlpha);
            Assert.NotEqual(GdOutcome.Diverged, verdicts[0].Outcome);
            Assert.Contains("1 of 2 runs diverged", verdicts[0].Sentence);
            string divergedRow = File.ReadAllLines(Path.Combine(folder, "runs.csv")).Single(line => line.Contains("Diverged"));
            Assert.Equal("NaN", divergedRow.Split(',')[12]);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void HugeAlphaOnTheCommandLineEndsNormally()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mc-huge-alpha-{Guid.NewGuid():N}");
        try
        {
            var err = new StringWriter();
            int code = EntryPoint.Run(["matrix-completion", "--dim", "5", "--alphas", "1e300", "--fractions", "0.6", "--max-steps", "50",
                "--sdp-max-iterations", "500", "--out", folder, "--quiet"], err);
            Assert.Equal(0, code);
            Assert.Contains("every gradient descent run diverged", File.ReadAllText(Path.Combine(folder, "matrix-completion", "conclusion.txt")));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OverallAnswerCountsTheSeparatingRegimes()
    {
        RegimeVerdict Verdict(bool separates, bool reaches, int gdRank, int nucRank, double excess) =>
            new(0.2, 0.3, 1e-9, true, 1e-6, 1, 0.1, reaches ? 1e-3 : 0.2, 0.25, 0.6, GdOutcome.Converged, 100,
                excess, gdRank, nucRank, separates, reaches, "");
        Assert.Contains("can not test", MatrixCompletionConclusion.Overall([Verdict(false, false, 2, 2, 0)]));
        Assert.Contains("1 of the 1 regimes", MatrixCompletionConclusion.Overall([Verdict(true, true, 2, 2, 0), Verdict(false, true, 2, 2, 0)]));
        string missed = MatrixCompletionConclusion.Overall([Verdict(true, false, 3, 7, 0.004), Verdict(true, true, 2, 2, 0)]);
        Assert.Contains("1 of the 2 regimes", missed);
        Assert.Contains("0.4%", missed);
        Assert.Contains("biased towards low rank", missed);
        Assert.DoesNotContain("biased", MatrixCompletionConclusion.Overall([Verdict(true, false, 8, 7, 0.01)]));
    }

    [Theory]
    [InlineData("--dim", "1")]
    [InlineData("--rank", "0")]
    [InlineData("--fractions", "0")]
    [InlineData("--fractions", "1.5")]
    [InlineData("--alphas", "-1")]
    [InlineData("--step-sizes", "abc")]
    [InlineData("--max-steps", "0")]
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
    }

    [Fact]
    public void RepeatedAlphaIsRejected()
    {
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["matrix-completion", "--alphas", "1e-3,1e-3", "--quiet"], err));
        Assert.Contains("--alphas", err.ToString());
    }

    [Fact]
    public void RunsWhoseResultsExceedTheMemoryLimitAreRejected()
    {
        // 3 fractions x 200 alphas x 10 step sizes = 6000 runs, each keeping two 400 x 400 matrices: about 14 GiB.
        string alphas = string.Join(",", Enumerable.Range(1, 200).Select(i => (i * 1e-3).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string etas = string.Join(",", Enumerable.Range(1, 10).Select(i => (i * 1e-2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["matrix-completion", "--dim", "400", "--alphas", alphas, "--step-sizes", etas,
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
}
