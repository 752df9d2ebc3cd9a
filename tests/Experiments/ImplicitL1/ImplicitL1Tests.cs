using Engine.Experiments.Cli;
using Engine.Experiments.GradCheck;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Experiments.ImplicitL1;

public class ImplicitL1Tests
{
    [Theory]
    [InlineData(20, 40)]
    [InlineData(7, 13)]
    [InlineData(24, 40)]
    [InlineData(1, 1)]
    [InlineData(30, 41)]
    public void Every_variant_follows_the_scalar_reference(int rows, int cols)
    {
        var problem = ImplicitL1Problem.Generate(rows, cols, Math.Min(3, cols), new NormalSampler(21));
        var gd = new FactorizedGradientDescent(problem.A, rows, cols, problem.Y);
        const int steps = 2000, every = 7;
        var reference = Run(gd, FactorizedVariant.Scalar, steps, every);
        foreach (var width in SimdDispatch.Available)
        {
            using var forced = SimdDispatch.Force(width);
            foreach (var variant in gd.Available())
            {
                var record = Run(gd, variant, steps, every);
                for (int i = 0; i < record.Length; i++)
                    Assert.True(Math.Abs(record[i] - reference[i]) <= 1e-10 * (1 + Math.Abs(reference[i])), $"{width} {variant} element {i}: {record[i]} vs {reference[i]}");
            }
            Assert.Equal(cols <= 40 && width == VectorWidth.Vector512, gd.Available().Contains(FactorizedVariant.Avx512Gram));
        }
    }

    [Fact]
    public void Records_x0_and_every_kth_iterate()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(22));
        var gd = new FactorizedGradientDescent(problem.A, 20, 40, problem.Y);
        var record = Run(gd, gd.Fastest, 100, 10);
        Assert.Equal(11 * 40, record.Length);
        Assert.All(record.AsSpan(0, 40).ToArray(), v => Assert.Equal(1e-3, v));
        var x = Enumerable.Repeat(1e-3, 40).ToArray();
        var scratch = new double[FactorizedGradientDescent.RecordRows(30, 30) * 40];
        gd.Run(x, 1e-2, 30, 30, scratch, gd.Fastest);
        for (int j = 0; j < 40; j++) Assert.Equal(x[j], record[3 * 40 + j], 1e-15);
    }

    [Fact]
    public void Divergence_is_detected()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(23));
        foreach (var variant in new FactorizedGradientDescent(problem.A, 20, 40, problem.Y).Available())
        {
            var gd = new FactorizedGradientDescent(problem.A, 20, 40, problem.Y);
            var x = Enumerable.Repeat(3.0, 40).ToArray();
            var record = new double[FactorizedGradientDescent.RecordRows(10_000, 10) * 40];
            int done = gd.Run(x, 10, 10_000, 10, record, variant);
            Assert.True(done < 10_000, $"{variant} ran all steps");
            Assert.Contains(x, v => !double.IsFinite(v));
        }
        var result = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 1000, LearningRate: 10, Init: 3), new NormalSampler(23));
        Assert.True(result.Diverged);
        Assert.StartsWith("Gradient descent diverged", ImplicitL1Command.Verdict(result));
    }

    [Fact]
    public void Instance_has_unit_columns_a_nonnegative_sparse_x_star_and_y_equal_to_A_x_star()
    {
        var p = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(24));
        for (int j = 0; j < 40; j++) Assert.Equal(1, Enumerable.Range(0, 20).Sum(i => p.A[i * 40 + j] * p.A[i * 40 + j]), 1e-12);
        Assert.Equal(10, p.XStar.Count(v => v != 0));
        Assert.All(p.XStar, v => Assert.True(v >= 0));
        Assert.True(p.ResidualNorm(p.XStar) < 1e-14);
    }

    [Fact]
    public void Long_run_reaches_the_nonnegative_minimum_l1_solution()
    {
        // Ten times the homework's steps (3e6 steps at eta = 1e-3 with a step ten times as large: same horizon).
        var r = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 300_000, LearningRate: 1e-2), new NormalSampler(2019).Split(0));
        Assert.False(r.Diverged);
        Assert.True(r.Matches(r.MinL1Positive), ImplicitL1Command.Verdict(r));
        Assert.True(r.MinL1Positive.Residual < 1e-10 && r.MinL1Signed.Residual < 1e-10);
        Assert.True(r.MinL1Signed.L1Norm <= r.MinL1Positive.L1Norm + 1e-12);
        Assert.True(r.MinL1Positive.L1Norm <= r.XStar.L1Norm + 1e-12);
    }

    [Fact]
    public void Factorized_gradient_matches_finite_differences_and_is_registered()
    {
        Assert.Contains(GradientChecks.All, c => c is FactorizedGradientCheck);
        foreach (var block in new FactorizedGradientCheck().Run(new NormalSampler(25)))
            Assert.True(block.Passed, $"{block.Block}: {block.MaxRelativeError}");
    }

    private static double[] Run(FactorizedGradientDescent gd, FactorizedVariant variant, int steps, int every)
    {
        var x = Enumerable.Repeat(1e-3, gd.Cols).ToArray();
        var record = new double[FactorizedGradientDescent.RecordRows(steps, every) * gd.Cols];
        gd.Run(x, 1e-2, steps, every, record, variant);
        return record;
    }

    [Fact]
    public void The_last_iterate_is_recorded_when_steps_are_not_a_multiple_of_record_every()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(24));
        var gd = new FactorizedGradientDescent(problem.A, 20, 40, problem.Y);
        Assert.Equal(2, FactorizedGradientDescent.RecordRows(100, 1000));
        Assert.Equal(100, FactorizedGradientDescent.RecordedStep(1, 100, 1000));
        var x = Enumerable.Repeat(1e-3, 40).ToArray();
        var record = Enumerable.Repeat(double.NaN, FactorizedGradientDescent.RecordRows(25, 10) * 40).ToArray();
        Assert.Equal(25, gd.Run(x, 1e-2, 25, 10, record, gd.Fastest));
        Assert.Equal(4 * 40, record.Length);
        Assert.Equal(x, record.AsSpan(3 * 40, 40).ToArray());
        Assert.Equal(20, FactorizedGradientDescent.RecordedStep(2, 25, 10));
    }

    [Fact]
    public void Verdict_names_a_match_with_the_signed_solution_only()
    {
        var r = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 50), new NormalSampler(25));
        var signedOnly = r with
        {
            MinL1Signed = r.MinL1Signed with { MaxAbsDifferenceToGd = 0 },
            MinL1Positive = r.MinL1Positive with { MaxAbsDifferenceToGd = 10 * r.Scale },
        };
        Assert.StartsWith("Partly", ImplicitL1Command.Verdict(signedOnly));
        Assert.Contains("signed minimum-l1 solution", ImplicitL1Command.Verdict(signedOnly));
    }

    [Fact]
    public void Divergence_from_a_huge_init_blames_init_not_the_step_size()
    {
        var r = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 30, Init: 1e300, RecordEvery: 7), new NormalSampler(26));
        Assert.True(r.Diverged);
        string verdict = ImplicitL1Command.Verdict(r);
        Assert.Contains("lower --init", verdict);
        Assert.DoesNotContain("--lr", verdict);
        var fast = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 30, LearningRate: 1e6, RecordEvery: 7), new NormalSampler(26));
        Assert.True(fast.Diverged);
        Assert.Contains("lower --lr", ImplicitL1Command.Verdict(fast));
    }

    [Theory]
    [InlineData("--rows", "40", "--cols", "40")]
    [InlineData("--rows", "50000", "--cols", "50001")]
    [InlineData("--steps", "100000000", "--record-every", "1")]
    [InlineData("--trials", "1000000", "--steps", "10")]
    public void Oversized_or_square_problems_are_bad_input(string o1, string v1, string o2, string v2)
    {
        var err = new StringWriter();
        string dir = Path.Combine(Path.GetTempPath(), "implicit-l1-bad-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["implicit-l1", o1, v1, o2, v2, "--out", dir, "--quiet"], err));
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(dir));
    }
}
