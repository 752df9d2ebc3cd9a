using Engine.Experiments;
using Engine.Experiments.GradCheck;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.ImplicitL1;

public class ImplicitL1Tests
{
    [Fact]
    public void A_diverged_run_is_reported_as_such_by_the_verdict()
    {
        var result = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 1000, LearningRate: 10, Init: 3), new NormalSampler(23));
        Assert.True(result.Diverged);
        Assert.StartsWith("Gradient descent diverged", ImplicitL1Conclusion.Verdict(result));
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
        Assert.True(r.Matches(r.MinL1Positive), ImplicitL1Conclusion.Verdict(r));
        Assert.True(r.MinL1Positive.Residual < 1e-10 && r.MinL1Signed.Residual < 1e-10);
        Assert.True(r.MinL1Signed.L1Norm <= r.MinL1Positive.L1Norm + 1e-12);
        Assert.True(r.MinL1Positive.L1Norm <= r.XStar.L1Norm + 1e-12);
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
        Assert.StartsWith("Partly", ImplicitL1Conclusion.Verdict(signedOnly));
        Assert.Contains("signed minimum-l1 solution", ImplicitL1Conclusion.Verdict(signedOnly));
    }

    [Fact]
    public void Divergence_from_a_huge_init_blames_init_not_the_step_size()
    {
        var r = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 30, Init: 1e300, RecordEvery: 7), new NormalSampler(26));
        Assert.True(r.Diverged);
        string verdict = ImplicitL1Conclusion.Verdict(r);
        Assert.Contains("lower --init", verdict);
        Assert.DoesNotContain("--lr", verdict);
        var fast = ImplicitL1Experiment.Run(new ImplicitL1Settings(Steps: 30, LearningRate: 1e6, RecordEvery: 7), new NormalSampler(26));
        Assert.True(fast.Diverged);
        Assert.Contains("lower --lr", ImplicitL1Conclusion.Verdict(fast));
    }
}
