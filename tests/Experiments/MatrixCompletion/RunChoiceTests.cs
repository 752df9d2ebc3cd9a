using Engine.Experiments.Context;
using Engine.Experiments.MatrixCompletion;
using Engine.Kernels.Factorized;

namespace Engine.Tests.Experiments.MatrixCompletion;

/// <summary>Which run a regime's answer quotes, and what its advice may name.</summary>
public class RunChoiceTests
{
    [Fact]
    public void A_regime_quotes_a_run_that_fits_when_one_does()
    {
        // The 20 % regime of engine all --quick --seed 0: at the smallest alpha neither step size reaches the loss
        // tolerance in 5,000 steps, but eta = 0.2 fits the observed entries (7.1e-4) while eta = 0.1 does not (1.08e-2).
        var settings = MatrixCompletionSettings.Quick with { Fractions = [0.2], Alphas = [1e-5] };
        MatrixCompletionResult results = MatrixCompletionExperiment.Run(settings, new ExperimentContext(0, threads: 2));
        Assert.All(results.Runs, r => Assert.Equal(DescentOutcome.BudgetExhausted, r.Gd.Outcome));
        Assert.True(results.Runs.Single(r => r.Eta == 0.2).ObservedResidual < MatrixCompletionConclusion.FitsBelow);
        Assert.False(results.Runs.Single(r => r.Eta == 0.1).ObservedResidual < MatrixCompletionConclusion.FitsBelow);

        RegimeVerdict verdict = MatrixCompletionConclusion.For(results, 0);
        Assert.Equal(0.2, verdict.Eta);
        Assert.True(verdict.Fits);
        Assert.DoesNotContain("has not fit the observed entries", verdict.Sentence);
        Assert.DoesNotContain("No conclusion where gradient descent did not fit", MatrixCompletionConclusion.Overall([verdict]));
    }

    [Fact]
    public void Advice_names_only_options_the_running_command_takes()
    {
        var unfit = new RegimeVerdict(0.2, 1, 0.6, true, 1e-15, 1e-5, 0.1, 0.1, 0.9, 0.9, 0.7, 0.1, DescentOutcome.BudgetExhausted, 5000,
            0.18, 4, 7, Separates: false, ReachesNuclear: false, "", Fits: false);
        string own = MatrixCompletionConclusion.Overall([unfit]);
        Assert.Contains("20 % observed; raise --steps or --lrs.)", own);
        // engine all takes neither option: the advice names the command that does.
        string underAll = MatrixCompletionConclusion.Overall([unfit], ownOptions: false);
        Assert.Contains("20 % observed; run engine matrix-completion and raise --steps or --lrs.)", underAll);
        foreach (RegimeVerdict v in new[]
        {
            unfit with { Fits = true, Outcome = DescentOutcome.Diverged },
            unfit with { Fits = true, Certified = false },
            unfit with { Fits = true },
            unfit with { Fits = true, OptimalSetDescribed = false },
        })
        {
            string s = MatrixCompletionConclusion.Overall([v], ownOptions: false);
            int at = s.IndexOf(" --", StringComparison.Ordinal);
            Assert.True(at > 0, s);
            Assert.Contains("run engine matrix-completion and ", s[..at]);
        }
    }

    [Fact]
    public void One_separating_regime_is_counted_in_words()
    {
        RegimeVerdict Verdict(bool separates, bool reaches) =>
            new(0.2, 0.3, 0.3, true, 1e-12, 1e-6, 1, 0.1, 0.2, 0.2, 0.25, 0.6, DescentOutcome.Converged, 100, 0.01, 3, 7, separates, reaches, "", UniqueOptimum: true);
        string missed = MatrixCompletionConclusion.Overall([Verdict(true, false), Verdict(false, true)]);
        Assert.StartsWith("Overall: in the one regime where Y is not a minimum nuclear-norm completion, gradient descent from the smallest initialization did not converge to one.", missed);
        Assert.DoesNotContain("of the 1 regimes", missed);
        Assert.StartsWith("Overall: in the one regime where Y is not a minimum nuclear-norm completion, gradient descent from the smallest initialization converged to one.",
            MatrixCompletionConclusion.Overall([Verdict(true, true)]));
        Assert.Contains("in 1 of the 2 regimes", MatrixCompletionConclusion.Overall([Verdict(true, true), Verdict(true, false)]));
    }
}
