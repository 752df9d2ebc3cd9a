using Engine.Experiments.MatrixCompletion;
using Engine.Kernels.Completion;
using Engine.Kernels.Factorized;

namespace Engine.Tests.Experiments.MatrixCompletion;

/// <summary>Each matrix-completion sentence on numbers that make it true and on numbers that make it false.</summary>
public class MatrixCompletionSentenceTests
{
    private static readonly SdpFigures Certified = new(true, 1.375657, 1e-16, 0, 1e-15, 1e-9, false, [], 0, true, 0, 0);

    private static RegimeFigures Figures(SdpFigures? sdp = null, double truthToSet = 5e-2, double toSet = 5e-2, double toY = 2e-3,
        double observed = 3e-4, double accuracy = 1e-12, bool bestDiverged = false, DescentOutcome outcome = DescentOutcome.Converged) =>
        new(0.2, 30, 2, sdp ?? Certified, truthToSet, 14, bestDiverged ? [(1e-6, 0.1)] : [], bestDiverged, 1e-6, 1, 0.1,
            toSet, toSet, toY, 0.6, toSet, 1e-6, 1.3794, 0.0027, 1.3797, 2, 6, 1e-15, accuracy, observed, outcome, 500, 1e-9);

    [Fact]
    public void Closer_to_y_than_to_the_optimal_set_is_against_the_conjecture()
    {
        string s = MatrixCompletionConclusion.Sentence(Figures());
        Assert.Contains("closer to Y than to any minimum nuclear-norm completion, against the conjecture", s);
        Assert.Contains("the remaining gap is real", s);
        Assert.Contains("0.27 % above the certified minimum", s);
    }

    [Fact]
    public void A_run_out_of_steps_away_from_the_optimal_set_draws_no_conclusion()
    {
        // The QA's seed 7: the run used its 20,000 steps with its loss still falling and its iterate still moving, so
        // where it stopped is not where gradient descent goes: not "against the conjecture".
        string s = MatrixCompletionConclusion.Sentence(Figures(outcome: DescentOutcome.BudgetExhausted));
        Assert.Contains("closer to Y than to any minimum nuclear-norm completion; that is where its budget of steps ran out, not a limit, so this regime draws no conclusion about the conjecture until a run converges", s);
        Assert.DoesNotContain("against the conjecture", s);
        // Out of steps but at the optimal set: it got there, and says so.
        Assert.Contains("it converges to a minimum nuclear-norm completion, not to Y.", MatrixCompletionConclusion.Sentence(Figures(toSet: 1e-13, toY: 5e-2, outcome: DescentOutcome.BudgetExhausted)));
    }

    [Fact]
    public void A_trend_quoting_runs_out_of_steps_says_so()
    {
        // The review's 25 % regime: the alpha = 1 and alpha = 0.1 runs at eta = 0.1 used their whole budget.
        string s = MatrixCompletionConclusion.Sentence(Figures() with { LargestAlphaOutOfSteps = true, ClosestAlpha = 0.1, ClosestDistance = 1.6e-2, ClosestOutOfSteps = true });
        Assert.Contains("goes from 6.00e-1 at alpha = 1 (out of steps) to 5.00e-2 at alpha = 1e-6 (closest, 1.60e-2, at alpha = 0.1, out of steps)", s);
        Assert.DoesNotContain("out of steps", MatrixCompletionConclusion.Sentence(Figures()));
    }

    [Fact]
    public void A_distance_that_has_levelled_off_and_does_not_depend_on_the_step_is_said_so()
    {
        // The review: "goes from 4.88e-1 at alpha = 1 to 2.07e-1 at alpha = 1e-6" read as if a smaller alpha would close
        // the gap; at the next larger alpha the distance was already 2.06e-1, and eta = 0.2 ended at the same point.
        string s = MatrixCompletionConclusion.Sentence(Figures() with { NextAlpha = 1e-5, DistanceAtNextAlpha = 0.0505, OtherEta = 0.2, OtherEtaDistance = 0.05 });
        Assert.Contains("to 5.00e-2 at alpha = 1e-6, where it has levelled off (5.05e-2 at alpha = 1e-5); with eta = 0.2 the run from alpha = 1e-6 ends 5.00e-2 from the set;", s);
        // Still falling by more than 5 %: no such clause.
        Assert.DoesNotContain("levelled off", MatrixCompletionConclusion.Sentence(Figures() with { NextAlpha = 1e-5, DistanceAtNextAlpha = 0.1 }));
    }

    [Fact]
    public void Near_the_optimal_set_and_far_from_y_is_convergence_to_it()
    {
        string s = MatrixCompletionConclusion.Sentence(Figures(toSet: 1e-4, toY: 5e-2));
        Assert.Contains("it converges to a minimum nuclear-norm completion, not to Y", s);
        Assert.DoesNotContain("against the conjecture", s);
    }

    [Fact]
    public void Near_the_optimal_set_but_above_the_solvers_accuracy_has_not_converged()
    {
        // 5e-2 from the set is ten times closer than Y's 0.6, but a hundred times the worst accuracy (the fit, 1e-4) is
        // only 1e-2: the gap is real, so the run has not converged to a minimum nuclear-norm completion.
        string s = MatrixCompletionConclusion.Sentence(Figures(toSet: 5e-2, toY: 0.6, truthToSet: 0.6, observed: 1e-4));
        Assert.Contains("it ends ten times closer to a minimum nuclear-norm completion than to Y, but the gap to it is above the solvers' accuracy, so it has not converged to one.", s);
        Assert.DoesNotContain("it converges to", s);
        Assert.Contains("the remaining gap is real", s);
        // With the observed entries fit only to 1e-3, the same gap is within a hundred times the accuracy: converged.
        string loose = MatrixCompletionConclusion.Sentence(Figures(toSet: 5e-2, toY: 0.6, truthToSet: 0.6, observed: 1e-3));
        Assert.Contains("it converges to a minimum nuclear-norm completion, not to Y", loose);
        Assert.Contains("the remaining gap is at the level of the solvers' accuracy", loose);
    }

    [Fact]
    public void Distances_are_compared_on_one_scale()
    {
        // 0.1125 of ||X_nuc||_F is 0.09 of ||Y||_F when ||X_nuc||_F = 0.8 ||Y||_F: nearer the optimal set than Y (0.1).
        string s = MatrixCompletionConclusion.Sentence(Figures(toSet: 0.1125, toY: 0.1) with { NuclearToTruthNorm = 0.8 });
        Assert.Contains("closer to the minimum nuclear-norm completions than to Y", s);
        Assert.DoesNotContain("closer to Y than", s);
        // Ten times closer to the set than to Y only on the common scale: 0.012 of ||X_nuc||_F is 0.0096 of ||Y||_F.
        Assert.Contains("it converges to a minimum nuclear-norm completion, not to Y",
            MatrixCompletionConclusion.Sentence(Figures(toSet: 0.012, toY: 0.1, truthToSet: 0.1) with { NuclearToTruthNorm = 0.8 }));
    }

    [Fact]
    public void Far_from_both_is_said_so()
    {
        string s = MatrixCompletionConclusion.Sentence(Figures(toSet: 3e-2, toY: 4e-2));
        Assert.Contains("not close to either", s);
    }

    [Fact]
    public void A_gap_below_the_solvers_accuracy_is_not_called_real()
    {
        string s = MatrixCompletionConclusion.Sentence(Figures(toSet: 1e-4, observed: 1e-5, truthToSet: 2e-4, toY: 3e-4));
        Assert.Contains("at the level of the solvers' accuracy", s);
        Assert.DoesNotContain("is real", s);
    }

    [Fact]
    public void When_y_is_optimal_recovery_is_no_test_of_the_conjecture()
    {
        string recovers = MatrixCompletionConclusion.Sentence(Figures(truthToSet: 1e-15, toSet: 2.6e-4));
        Assert.Contains("Y is itself a minimum nuclear-norm completion", recovers);
        Assert.Contains("it recovers Y, consistent with the conjecture but not a test", recovers);
        string misses = MatrixCompletionConclusion.Sentence(Figures(truthToSet: 1e-15, toSet: 0.2, toY: 0.2));
        Assert.Contains("does not recover Y even though nuclear-norm minimization does", misses);
    }

    [Fact]
    public void When_y_is_one_of_several_optima_recovery_is_read_off_the_distance_to_y()
    {
        // The optimal set has dimension 11 and holds Y: gradient descent ends on the set, but 3e-2 from Y.
        SdpFigures open = Certified with { UniqueOptimum = false, AffineDimension = 11, RelativeSpread = 3.2e-2, ProbeAccuracy = 5e-15 };
        string other = MatrixCompletionConclusion.Sentence(Figures(open, truthToSet: 1e-15, toSet: 1e-4, toY: 3e-2));
        Assert.Contains("it ends at a minimum nuclear-norm completion other than Y", other);
        Assert.DoesNotContain("recovers Y", other);
        // A unique minimum: a run 2e-2 from Y is not said to be at another optimal completion, whatever its set distance.
        string unique = MatrixCompletionConclusion.Sentence(Figures(truthToSet: 5e-4, toSet: 9.5e-3, toY: 2e-2));
        Assert.Contains("it does not recover Y even though nuclear-norm minimization does (the minimum is unique)", unique);
        Assert.DoesNotContain("other than Y", unique);
        // A probe that found the minimum unique but did not reach its accuracy decides nothing.
        SdpFigures undecided = Certified with { ProbeAccuracy = 2e-6 };
        string unsure = MatrixCompletionConclusion.Sentence(Figures(undecided, truthToSet: 1e-15, toSet: 1e-4, toY: 3e-2));
        Assert.Contains("it ends at a minimum nuclear-norm completion other than Y, consistent with the conjecture; whether the optimal set holds more than Y was not decided.", unsure);
        Assert.DoesNotContain("even though nuclear-norm minimization does", unsure);
        string neither = MatrixCompletionConclusion.Sentence(Figures(open, truthToSet: 1e-15, toSet: 0.2, toY: 0.2));
        Assert.Contains("it recovers neither Y nor any other minimum nuclear-norm completion", neither);
        Assert.DoesNotContain("even though nuclear-norm minimization does", neither);
    }

    [Fact]
    public void An_uncertified_sdp_draws_no_conclusion_and_quotes_no_accuracy()
    {
        var sdp = Certified with { Certified = false, DualityGap = 3.1e-5, UniqueOptimum = null };
        string s = MatrixCompletionConclusion.Sentence(Figures(sdp: sdp, toSet: double.NaN, truthToSet: double.NaN));
        Assert.Contains("the SDP is NOT certified", s);
        Assert.Contains("duality gap 3.1e-5 against the tolerance 1e-9", s);
        Assert.Contains("draws no conclusion", s);
        Assert.DoesNotContain("certified to", s);
        Assert.DoesNotContain("minimum is unique", s);
    }

    [Fact]
    public void Slater_failure_and_non_uniqueness_are_named_only_when_true()
    {
        var failing = Certified with { SlaterFailed = true, ObservedSingularBlocks = [[6, 12, 17]], ForcedNullDirections = 1, UniqueOptimum = false, AffineDimension = 11, RelativeSpread = 3.2e-2 };
        string s = MatrixCompletionConclusion.SdpSentence(failing);
        Assert.Contains("Slater's condition fails: 1 fully observed principal block of Y is singular (rows and columns {6, 12, 17}, 0-based)", s);
        Assert.Contains("The minimum is not unique: the optimal set has dimension 11", s);
        Assert.DoesNotContain("determine", s);
        string withDetermined = MatrixCompletionConclusion.SdpSentence(failing with { DeterminedSingularBlocks = 1 });
        Assert.Contains("1 fully observed principal block of Y is singular (rows and columns {6, 12, 17}, 0-based), and 1 more block, fully known only once the unobserved entries that the observed ones fix are filled in, is singular too, which forces 1 null direction", withDetermined);
        // The QA's 60 % regime: the fully observed blocks force all 12 directions, and the determined block adds none.
        string addsNone = MatrixCompletionConclusion.SdpSentence(failing with { DeterminedSingularBlocks = 1, ForcedNullDirections = 12, ObservedBlockDirections = 12 });
        Assert.Contains("0-based), which forces 12 null directions on every feasible X; 1 more block, fully known only once the unobserved entries that the observed ones fix are filled in, is singular too but adds no null direction; the SDP", addsNone);
        string addsSome = MatrixCompletionConclusion.SdpSentence(failing with { DeterminedSingularBlocks = 2, ForcedNullDirections = 12, ObservedBlockDirections = 8 });
        Assert.Contains("0-based), which forces 8 null directions, and 2 more blocks, fully known only once the unobserved entries that the observed ones fix are filled in, are singular too and force 4 more: 12 null directions on every feasible X; the SDP", addsSome);
        string onlyDetermined = MatrixCompletionConclusion.SdpSentence(failing with { ObservedSingularBlocks = [], DeterminedSingularBlocks = 2 });
        Assert.Contains("Slater's condition fails: 2 principal blocks of Y, complete only with unobserved entries that the observed ones determine, are singular, which forces", onlyDetermined);
        Assert.DoesNotContain("fully observed", onlyDetermined);
        Assert.Contains("the SDP is solved on that face. The minimum", s);
        // With the whole space's gap of the face's dual point known, the sentence says the certificate is the face's.
        string lifted = MatrixCompletionConclusion.SdpSentence(failing with { FullSpaceRelativeGap = 3.67e-5 });
        Assert.Contains("the SDP is solved on that face, and the certificate is the face's: its dual point, lifted to the whole space, leaves a relative gap of 3.7e-5 there", lifted);
        Assert.DoesNotContain("lifted", MatrixCompletionConclusion.SdpSentence(failing with { FullSpaceRelativeGap = 3.67e-5, Certified = false }));
        string plain = MatrixCompletionConclusion.SdpSentence(Certified with { FullSpaceRelativeGap = 1e-15 });
        Assert.DoesNotContain("Slater", plain);
        Assert.DoesNotContain("lifted", plain);
        Assert.Contains("The minimum is unique.", plain);
    }

    [Fact]
    public void A_search_that_stopped_early_counts_its_blocks_as_a_lower_bound()
    {
        var failing = Certified with { SlaterFailed = true, ObservedSingularBlocks = [[6, 12, 17], [1, 2, 3], [4, 5, 6], [7, 8, 9]], ForcedNullDirections = 233 };
        string complete = MatrixCompletionConclusion.SdpSentence(failing);
        Assert.Contains("Slater's condition fails: 4 fully observed principal blocks of Y are singular", complete);
        Assert.DoesNotContain("search", complete);
        string saturated = MatrixCompletionConclusion.SdpSentence(failing with { Search = SingularBlockSearch.Saturated });
        Assert.Contains("Slater's condition fails: at least 4 fully observed principal blocks of Y are singular", saturated);
        Assert.Contains("which forces 233 null directions on every feasible X (the search for singular blocks stopped there: no block can force more); the SDP is solved on that face", saturated);
        string truncated = MatrixCompletionConclusion.SdpSentence(failing with { Search = SingularBlockSearch.Truncated });
        Assert.Contains("at least 4 fully observed", truncated);
        Assert.Contains("(the search for singular blocks stopped at its work limit, so more directions may be forced)", truncated);
        // Cut before it found any singular block: nothing is forced, and the sentence says Slater may still fail.
        string none = MatrixCompletionConclusion.SdpSentence(Certified with { Search = SingularBlockSearch.Truncated });
        Assert.Contains("Facial reduction's search for singular blocks stopped at its work limit before it found one, so Slater's condition may fail unseen", none);
        Assert.DoesNotContain("Facial reduction", MatrixCompletionConclusion.SdpSentence(Certified));
    }

    [Fact]
    public void An_optimal_set_too_large_to_describe_draws_no_conclusion()
    {
        const string why = "the optimal face has rank 100, so its 76190 observations as constraints would hold 3.85e+8 numbers, more than the 6.71e+7 allowed";
        var sdp = Certified with { UniqueOptimum = null, OptimalSetTooLarge = why };
        string s = MatrixCompletionConclusion.Sentence(Figures(sdp: sdp, toSet: double.NaN, truthToSet: double.NaN));
        Assert.Contains($"The optimal set is not described: {why}.", s);
        Assert.Contains("without a description of the set of minimum nuclear-norm completions this regime draws no conclusion about the conjecture", s);
        Assert.DoesNotContain("NaN", s);
        Assert.DoesNotContain("goes from", s);
        Assert.DoesNotContain("not described", MatrixCompletionConclusion.Sentence(Figures()));
    }

    [Fact]
    public void A_distance_is_printed_to_the_digits_its_certificate_supports()
    {
        // Certified far below half a unit of the third digit: three digits.
        Assert.Equal("5.36e-2", MatrixCompletionConclusion.SetDistance(5.36e-2, 1e-9));
        // A width of 3.8e-2 leaves even the first digit open: the interval is printed instead.
        Assert.Equal("[5.93e-1, 6.31e-1] (its certified interval)", MatrixCompletionConclusion.SetDistance(0.631, 0.038));
        // Half a unit of the third digit of 9.99e-1 is 5e-4: a width of 6e-4 is above it, 4e-4 below.
        Assert.StartsWith("[", MatrixCompletionConclusion.SetDistance(0.999, 6e-4));
        Assert.Equal("9.99e-1", MatrixCompletionConclusion.SetDistance(0.999, 4e-4));
        // The sentence prints the coarse run's interval where its own accuracy is wide.
        string s = MatrixCompletionConclusion.Sentence(Figures() with { DistanceAtLargestAlpha = 0.631, AccuracyAtLargestAlpha = 0.038 });
        Assert.Contains("[5.93e-1, 6.31e-1] (its certified interval) at alpha = ", s);
    }

    [Fact]
    public void A_diverged_best_run_says_nothing_about_the_conjecture()
    {
        string s = MatrixCompletionConclusion.Sentence(Figures(bestDiverged: true, outcome: DescentOutcome.Diverged));
        Assert.Contains(". Every gradient descent run diverged", s);
        Assert.DoesNotContain("remaining gap", s);
    }

    [Fact]
    public void A_run_that_used_its_budget_says_so()
    {
        Assert.Contains("used its whole budget of 500 steps", MatrixCompletionConclusion.Sentence(Figures(outcome: DescentOutcome.BudgetExhausted)));
        Assert.DoesNotContain("whole budget", MatrixCompletionConclusion.Sentence(Figures()));
    }

    [Fact]
    public void A_run_that_has_not_fit_the_observed_entries_draws_no_conclusion()
    {
        // The QA instance: 10 steps from alpha = 0.1 leave the observed entries unfit, and the nuclear norm far below the minimum.
        var f = Figures(toSet: 0.976, toY: 1.0, observed: 1.0, outcome: DescentOutcome.BudgetExhausted) with { NuclearExcess = -0.982, Steps = 10 };
        string s = MatrixCompletionConclusion.Sentence(f);
        Assert.Contains(". Gradient descent from alpha = 1e-6 (eta = 0.1) has not fit the observed entries after 10 steps (relative residual 1.00e+0", s);
        Assert.Contains("draws no conclusion about the conjecture", s);
        Assert.DoesNotContain(" % above", s);
        Assert.DoesNotContain("solvers' accuracy", s);
        Assert.False(MatrixCompletionConclusion.Fits(f));
        Assert.True(MatrixCompletionConclusion.Fits(Figures()));
        Assert.Contains("having used its whole budget of 10 steps", s);
        Assert.DoesNotContain("would let it fit", s);
        // Stopped by its loss tolerance with the entries still unfit: the tolerance, not the budget, is named.
        string loose = MatrixCompletionConclusion.Sentence(Figures(observed: 0.5, outcome: DescentOutcome.Converged));
        Assert.Contains("its loss below the tolerance yet the observed entries not fit to 1e-2: the loss tolerance is too loose for this test", loose);
        Assert.DoesNotContain("budget", loose);
    }

    [Fact]
    public void The_overall_sentence_counts_an_unfit_regime_as_no_test()
    {
        var unfit = new RegimeVerdict(0.01, 1, 0.927, true, 7e-16, 0.1, 0.1, 0.1, 0.998, 0.976, 1.0, 0.976, DescentOutcome.BudgetExhausted, 10,
            -0.982, 95, 22, Separates: false, ReachesNuclear: false, "", Fits: false);
        string s = MatrixCompletionConclusion.Overall([unfit]);
        Assert.Contains("can not test the conjecture", s);
        Assert.Contains("No conclusion where gradient descent did not fit the observed entries: 1 % observed; raise --steps or --lrs.", s);
        Assert.DoesNotContain("lower --fractions", s);
        string loose = MatrixCompletionConclusion.Overall([unfit with { Outcome = DescentOutcome.Converged }]);
        Assert.Contains("1 % observed; lower --tol.)", loose);
        Assert.DoesNotContain("--steps", loose);
        // A certified regime whose optimal set was too large to describe is no test either, and not an unfit one.
        string large = MatrixCompletionConclusion.Overall([unfit with { OptimalSetDescribed = false }]);
        Assert.Contains("No certified regime's optimal set was small enough to describe, so this run can not test the conjecture; lower --rank.", large);
        Assert.Contains("(No conclusion where the optimal set was too large to describe: 1 % observed; lower --rank.)", large);
        Assert.DoesNotContain("did not fit", large);
    }

    [Fact]
    public void An_excess_is_above_or_below_by_its_sign_and_one_alpha_is_no_trend()
    {
        Assert.Equal("2.62 % above", MatrixCompletionConclusion.ExcessText(0.0262));
        Assert.Equal("0.5 % below", MatrixCompletionConclusion.ExcessText(-0.005, "F1"));
        string s = MatrixCompletionConclusion.Sentence(Figures() with { NuclearExcess = -0.004, LargestAlpha = 1e-6 });
        Assert.Contains("0.40 % below the certified minimum", s);
        // An unfit run whose distance to the optimal set is undefined says where it stopped without it.
        string unfit = MatrixCompletionConclusion.Sentence(Figures(observed: 0.5, toSet: double.PositiveInfinity, outcome: DescentOutcome.BudgetExhausted));
        Assert.Contains("(it stopped 2.00e-3 from Y, having used its whole budget", unfit);
        Assert.DoesNotContain("Infinity", unfit);
        // Below a certified minimum only because the run does not fit the entries exactly: said where it is printed.
        Assert.Contains("(below it because it fits the observed entries to 3.0e-4, not exactly, and only exact completions are bound by that minimum)", s);
        Assert.DoesNotContain("not exactly", MatrixCompletionConclusion.Sentence(Figures()));
        Assert.Contains("Its distance to the optimal set is 5.00e-2 (one alpha was run)", s);
        Assert.DoesNotContain("goes from", s);
    }
}

public class MatrixCompletionProbeSentenceTests
{
    private static readonly SdpFigures Certified = new(true, 1.375657, 1e-16, 0, 1e-15, 1e-9, false, [], 0, false, 11, 3.2e-2, 5e-15);

    [Fact]
    public void An_undecided_probe_says_so_and_claims_no_dimension()
    {
        string loose = MatrixCompletionConclusion.SdpSentence(Certified with { ProbeAccuracy = 2e-6 });
        Assert.Contains("Whether the minimum is unique is not decided: the probe of the optimal set reached only 2.0e-6", loose);
        Assert.DoesNotContain("dimension", loose);
        string undecided = MatrixCompletionConclusion.SdpSentence(Certified with { ProbeAccuracy = double.PositiveInfinity });
        Assert.Contains("could not be told apart from rounding", undecided);
        Assert.Contains("The minimum is not unique: the optimal set has dimension 11", MatrixCompletionConclusion.SdpSentence(Certified));
    }
}

public class MatrixCompletionWordTests
{
    [Fact]
    public void Outcomes_and_methods_are_words_not_enum_names()
    {
        Assert.Equal("converged after 8,118 steps", MatrixCompletionConclusion.OutcomeText(DescentOutcome.Converged, 8118));
        Assert.Equal("used its whole budget of 5,000 steps", MatrixCompletionConclusion.OutcomeText(DescentOutcome.BudgetExhausted, 5000));
        Assert.Equal("converged after 1 step", MatrixCompletionConclusion.OutcomeText(DescentOutcome.Converged, 1));
        Assert.Equal("diverged at step 12", MatrixCompletionConclusion.OutcomeText(DescentOutcome.Diverged, 12));
        Assert.Equal("out of steps", MatrixCompletionConclusion.OutcomeWord(DescentOutcome.BudgetExhausted));
        Assert.Equal("converged", MatrixCompletionConclusion.OutcomeWord(DescentOutcome.Converged));
        Assert.Equal("the interior-point method", MatrixCompletionConclusion.MethodText(CompletionMethod.InteriorPoint));
        Assert.Equal("ADMM", MatrixCompletionConclusion.MethodText(CompletionMethod.Admm));
    }

    [Fact]
    public void An_excess_that_rounds_to_zero_is_not_printed_negative()
    {
        Assert.Equal("0.00 %", MatrixCompletionConclusion.ExcessCell(-4e-6));
        Assert.False(MatrixCompletionConclusion.ShownNegative(-4e-6));
        Assert.Equal("-0.02 %", MatrixCompletionConclusion.ExcessCell(-2e-4));
        Assert.True(MatrixCompletionConclusion.ShownNegative(-2e-4));
        Assert.Equal("19.03 %", MatrixCompletionConclusion.ExcessCell(0.19031));
        Assert.Equal("n/a", MatrixCompletionConclusion.ExcessCell(double.NaN));
    }
}
