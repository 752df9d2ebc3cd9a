using Engine.Experiments.Context;
using Engine.Experiments.Theory;

namespace Engine.Tests.Experiments.Theory;

/// <summary>The answers of homework 2 problem 1 and homework 3 problem 1 follow the numbers, both ways.</summary>
public class TheoryConclusionTests
{
    [Fact]
    public void HomogeneityAnswersAreStatedWhenTheNumbersBackThem()
    {
        var r = HomogeneityExperiment.Run(new ExperimentContext(2019, 1), HomogeneityExperiment.DefaultLambda);
        Assert.True(HomogeneityConclusion.LossConstant(r));
        Assert.True(HomogeneityConclusion.Balanced(r));
        Assert.EndsWith("every minimizer lies on an unbounded curve of minimizers", HomogeneityConclusion.Unbounded(r));
        Assert.StartsWith("As the reasons below prove for any data, a global minimizer must be balanced", HomogeneityConclusion.BalancedAnswer(r));
        Assert.EndsWith("Balanced exactly when c = 1/4.", HomogeneityConclusion.Unbalanced(r));
    }

    [Fact]
    public void HomogeneityAnswersTurnWhenTheNumbersDoNotBackThem()
    {
        var r = HomogeneityExperiment.Run(new ExperimentContext(2019, 1), HomogeneityExperiment.DefaultLambda);
        var broken = r with
        {
            MaxLossDeviation = 1e-3,
            Balance = r.Balance.Select(b => (b.InitialRatio, b.OptimalRatio * 1.1, b.ObjectiveBefore, b.ObjectiveAfter)).ToList(),
            Unbalanced = r.Unbalanced.Select(u => (u.C, u.NumericRatio, u.PredictedRatio * 1.1)).ToList(),
        };
        Assert.Contains("NOT constant", HomogeneityConclusion.Unbounded(broken));
        Assert.Contains("do NOT show", HomogeneityConclusion.BalancedAnswer(broken));
        Assert.Contains("do NOT confirm", HomogeneityConclusion.Unbalanced(broken));
    }

    [Fact]
    public void DropoutVariantAnswersFollowTheChecks()
    {
        var r = DropoutVariantExperiment.Run(new ExperimentContext(2019, 2), [2, 5], instances: 1, samples: 20_000);
        Assert.Equal(MonteCarloVerdict.Confirmed, DropoutVariantConclusion.Verdict(r));
        Assert.Equal("", DropoutVariantConclusion.MonteCarloCaveat(r));
        Assert.EndsWith("which is the claim of (a).", DropoutVariantConclusion.Answer(r));
        Assert.StartsWith("The missing part is the score-function term", DropoutVariantConclusion.BiasAnswer(r));

        Assert.True(DropoutVariantConclusion.ExactlyShown(r));
        Assert.EndsWith("which is rounding.", DropoutVariantConclusion.ExactFinding(r));

        var wrong = r with { Checks = r.Checks.Select(c => c with { ClosedForm = c.ClosedForm + 2 * DropoutVariantConclusion.HalfWidth(r, c) }).ToList() };
        Assert.Contains("far beyond rounding", DropoutVariantConclusion.ExactFinding(wrong));
        Assert.Equal(MonteCarloVerdict.Refuted, DropoutVariantConclusion.Verdict(wrong));
        Assert.EndsWith("the closed form is NOT confirmed", DropoutVariantConclusion.MonteCarloCaveat(wrong));
        Assert.EndsWith("These numbers do NOT confirm the claim of (a).", DropoutVariantConclusion.Answer(wrong));
        var unbiased = r with { Bias = r.Bias.Select(b => (b.M, 1e-6)).ToList() };
        Assert.StartsWith("At this size the bias is negligible", DropoutVariantConclusion.BiasAnswer(unbiased));
    }

    /// <summary>
    /// Five draws per check (the QA report's seeds 1 to 3): the t statistic of so few draws of a skewed loss reached
    /// 9.7 and the answer claimed a refutation of a closed form that is right. Such a handful of draws can neither
    /// confirm nor refute it, and the Monte Carlo clause must say exactly that; the answer rests on the exact sums.
    /// </summary>
    [Theory]
    [InlineData(1ul)]
    [InlineData(2ul)]
    [InlineData(3ul)]
    public void AHandfulOfDrawsNeitherConfirmsNorRefutes(ulong seed)
    {
        var r = DropoutVariantExperiment.Run(new ExperimentContext(seed, 1), DropoutVariantExperiment.DefaultMs,
            DropoutVariantExperiment.DefaultInstances, samples: 5);
        Assert.Equal(MonteCarloVerdict.TooFewDraws, DropoutVariantConclusion.Verdict(r));
        Assert.DoesNotContain("NOT", DropoutVariantConclusion.MonteCarloCaveat(r) + DropoutVariantConclusion.Answer(r));
        Assert.EndsWith("which is the claim of (a).", DropoutVariantConclusion.Answer(r));
    }

    [Fact]
    public void WithoutExactSumsAHandfulOfDrawsLeavesTheClaimOpen()
    {
        // m = 40 has C(45, 5) multisets of draws, too many to sum, so only the five draws speak, and they cannot decide.
        var r = DropoutVariantExperiment.Run(new ExperimentContext(1, 1), [40], instances: 1, samples: 5);
        Assert.Empty(DropoutVariantConclusion.Enumerated(r));
        Assert.StartsWith("No check was summed exactly: m = 40 has more than", DropoutVariantConclusion.ExactFinding(r));
        Assert.Equal(MonteCarloVerdict.TooFewDraws, DropoutVariantConclusion.Verdict(r));
        Assert.EndsWith("neither confirm nor refute the claim of (a).", DropoutVariantConclusion.Answer(r));
    }
}
