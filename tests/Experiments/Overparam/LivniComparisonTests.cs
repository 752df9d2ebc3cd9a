using Engine.Experiments.Overparam;

namespace Engine.Tests.Experiments.Overparam;

public class LivniComparisonTests
{
    private static TrainingCurve Curve(int r, params double[] objective) =>
        new(new TrainingSettings(r, 0.01, 10, objective.Length), objective, null, objective[0]);

    [Fact]
    public void WiderFasterAndLowerAgreesWithLivni()
    {
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2), Curve(240, 0.3, 0.2, 0.1)]);
        Assert.True(c.LowerWhenWider);
        Assert.True(c.FasterWhenWider);
        Assert.Equal([3, 2, 1], c.EpochsToNarrowestFinal.Select(e => e!.Value));
        Assert.Contains("agrees with Livni", c.Sentence());
        Assert.Contains("0.1 at r/r0 = 4", c.Sentence());
    }

    [Fact]
    public void WiderButHigherDoesNotAgree()
    {
        var c = LivniComparison.Of([1, 2], [Curve(60, 1, 0.2, 0.1), Curve(120, 1, 0.5, 0.4)]);
        Assert.False(c.LowerWhenWider);
        Assert.False(c.FasterWhenWider);
        Assert.Contains("does not reproduce", c.Sentence());
        Assert.Contains("never", c.Sentence());
    }

    [Fact]
    public void OverParameterizedBetterButNotMonotoneIsPartialAgreement()
    {
        // The pattern of the default run: every wider network beats r0, but the middle width ends lowest.
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.2, 0.05), Curve(240, 1, 0.3, 0.1)]);
        Assert.False(c.LowerWhenWider);
        Assert.True(c.EveryWiderEndsLower);
        Assert.True(c.EveryWiderIsFaster);
        Assert.Contains("partly agrees", c.Sentence());
        Assert.Contains("r/r0 = 2 ends lowest", c.Sentence());
    }

    [Fact]
    public void LowerButNotFasterSaysWhichHalfHolds()
    {
        // One epoch each (engine width-sweep --epochs 1): every width reaches r0's final objective in its only epoch,
        // so none is faster, while the final objective falls strictly with width.
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 0.9), Curve(120, 0.8), Curve(240, 0.7)]);
        Assert.True(c.LowerWhenWider);
        Assert.True(c.EveryWiderEndsLower);
        Assert.False(c.EveryWiderIsFaster);
        string sentence = c.Sentence();
        Assert.Contains("only in part: every wider network ends lower than the r = r0 one, but not every one reaches", sentence);
        Assert.DoesNotContain("not monotone", sentence);
    }

    [Fact]
    public void FasterButNotLowerNamesTheLowestWidth()
    {
        // Both wider networks pass r0's final objective (0.4) an epoch earlier, but the widest ends above r0.
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2), Curve(240, 1, 0.35, 0.45)]);
        Assert.True(c.EveryWiderIsFaster);
        Assert.False(c.EveryWiderEndsLower);
        string sentence = c.Sentence();
        Assert.Contains("fewer epochs, but not every one ends lower than it", sentence);
        Assert.Contains("does not fall with every step in width: r/r0 = 2 ends lowest", sentence);
    }

    [Fact]
    public void LowerWithEveryWidthButNotFasterWithEveryWidthIsPartialAgreement()
    {
        // Every wider network is faster and lower than r0, and the final objective falls with width, but r/r0 = 4
        // needs more epochs than r/r0 = 2.
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 0.3, 0.2, 0.1), Curve(240, 1, 0.2, 0.05)]);
        Assert.True(c.LowerWhenWider);
        Assert.False(c.FasterWhenWider);
        Assert.True(c.EveryWiderIsFaster);
        string sentence = c.Sentence();
        Assert.Contains("partly agrees", sentence);
        Assert.Contains("the epochs needed do not fall with every step in width", sentence);
        Assert.DoesNotContain("ends lowest", sentence);
    }

    [Fact]
    public void TiedFinalsAreNotCalledUnordered()
    {
        // r/r0 = 2 and 4 end at the same objective: the finals do not fall with every step, and both end lowest.
        var c = LivniComparison.Of([1, 2, 4], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2), Curve(240, 1, 0.3, 0.2)]);
        Assert.False(c.LowerWhenWider);
        Assert.Contains("r/r0 = 2 and r/r0 = 4 end lowest, tied", c.Sentence());
        Assert.DoesNotContain("monotone", c.Sentence());
        var three = LivniComparison.Of([1, 2, 4, 8], [Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2), Curve(240, 1, 0.3, 0.2), Curve(480, 1, 0.3, 0.2)]);
        Assert.Contains("r/r0 = 2, r/r0 = 4 and r/r0 = 8 end lowest, tied", three.Sentence());
    }

    [Fact]
    public void TheReferenceIsTheNarrowestWidthThatRan()
    {
        // Widths 2, 4 and 8 only (engine width-sweep --widths 2,4,8): no run has r = r0.
        var c = LivniComparison.Of([2, 4, 8], [Curve(120, 1, 0.5, 0.4), Curve(240, 1, 0.3, 0.35), Curve(480, 1, 0.45, 0.3)]);
        Assert.Contains("than the r/r0 = 2 one", c.Sentence());
        Assert.DoesNotContain("r = r0", c.Sentence());
    }

    [Fact]
    public void DivergedWidthIsLeftOutOfTheComparison()
    {
        var diverged = new TrainingCurve(new TrainingSettings(240, 0.01, 10, 3), [], 1, 1);
        var c = LivniComparison.Of([4, 1, 2], [diverged, Curve(60, 1, 0.5, 0.4), Curve(120, 1, 0.3, 0.2)]);
        Assert.Equal([1.0, 2.0], c.Multiples);
        Assert.Equal(1, c.Diverged);
        Assert.Contains("1 run diverged and is left out.", c.Sentence());
    }

    [Fact]
    public void Too_few_widths_are_named_by_why()
    {
        // One width asked for is not a failure to converge; one of two left after a divergence is.
        Assert.Equal("Only one width was run, so there is no comparison across widths with Livni et al.",
            LivniComparison.Of([1], [Curve(60, 1, 0.5)]).Sentence());
        var diverged = new TrainingCurve(new TrainingSettings(120, 0.01, 10, 3), [], 1, 1);
        Assert.Equal("Only 1 of the 2 widths ran without diverging, so the runs cannot be compared with Livni et al.",
            LivniComparison.Of([1, 2], [Curve(60, 1, 0.5), diverged]).Sentence());
        var alsoDiverged = new TrainingCurve(new TrainingSettings(60, 0.01, 10, 3), [], 1, 1);
        Assert.Equal("All 2 widths diverged, so the runs cannot be compared with Livni et al.",
            LivniComparison.Of([1, 2], [alsoDiverged, diverged]).Sentence());
    }

    [Fact]
    public void ADivergedRunsStepIsCountedWithinItsEpochAndFromTheRunsStart()
    {
        // 10 steps an epoch: step 6 of epoch 2 is the run's 16th.
        var curve = new TrainingCurve(new TrainingSettings(4, 0.1, 10, 5, EpochSize: 100), [1.0], 2, 1.0, 6, "objective grew 1e6-fold");
        Assert.Equal(16, curve.DivergedAtRunStep);
        Assert.Null(new TrainingCurve(new TrainingSettings(4, 0.1, 10, 5, EpochSize: 100), [1.0, 0.5], null, 1.0).DivergedAtRunStep);
    }
}
