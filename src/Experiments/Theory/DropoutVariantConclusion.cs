using Engine.Experiments.Text;

namespace Engine.Experiments.Theory;

/// <summary>What the Monte Carlo checks of (a) show about the closed form.</summary>
public enum MonteCarloVerdict
{
    /// <summary>Every interval holds the closed form and is narrow enough to tell it from ||X - UV^T||^2 alone.</summary>
    Confirmed,
    /// <summary>Some interval, valid at any number of draws, excludes the closed form.</summary>
    Refuted,
    /// <summary>Every interval holds the closed form, but some is too wide to tell it from ||X - UV^T||^2 alone.</summary>
    TooFewDraws,
}

/// <summary>
/// The answers to homework 3, problem 1 as sentences. Conclusions are stated only where the numbers back them: the
/// closed form is shown exactly when it equals the expectation summed over every multiset of draws to 1e-9; by Monte
/// Carlo, it is refuted only when it lies outside an interval that holds the expectation with probability 99.9%
/// for all checks together at any number of draws, and confirmed only when every such interval is also narrower than
/// the regularization term the closed form adds; an offset constant to 1e-9 is far beyond rounding, and a bias above
/// 0.1% is far beyond finite-difference error.
/// </summary>
public static class DropoutVariantConclusion
{
    /// <summary>The probability that any of the checks' intervals misses its expectation (shared among them by the union bound).</summary>
    public const double FamilyMissProbability = 1e-3;

    /// <summary>The half-width of check <paramref name="c"/>'s interval, its share of <see cref="FamilyMissProbability"/> being 1/(number of checks).</summary>
    public static double HalfWidth(DropoutVariantResult r, DropoutVariantCheck c) => c.HalfWidth(FamilyMissProbability / r.Checks.Count);

    /// <summary>The largest distance from a Monte Carlo mean to the closed form, in half-widths of its interval (above 1: excluded).</summary>
    public static double WorstDistance(DropoutVariantResult r) =>
        r.Checks.Max(c => Math.Abs(c.MonteCarloMean - c.ClosedForm) / HalfWidth(r, c));

    /// <summary>The largest ratio of an interval's full width to the variance term it must resolve (below 1: every check resolves it).</summary>
    public static double WorstResolution(DropoutVariantResult r) =>
        r.Checks.Max(c => 2 * HalfWidth(r, c) / c.VarianceTerm);

    public static double WorstOffset(DropoutVariantResult r) =>
        r.Checks.Max(c => Math.Abs(c.Offset - c.ExpectedOffset) / Math.Abs(c.ExpectedOffset));

    /// <summary>
    /// Refuted when an interval excludes the closed form. Otherwise confirmed when every interval is narrower than the
    /// variance term: an interval that holds E and is narrower than that term excludes E minus the term, so the check
    /// would have told the closed form from the residual alone.
    /// </summary>
    public static MonteCarloVerdict Verdict(DropoutVariantResult r) =>
        WorstDistance(r) > 1 ? MonteCarloVerdict.Refuted
        : WorstResolution(r) < 1 ? MonteCarloVerdict.Confirmed
        : MonteCarloVerdict.TooFewDraws;

    /// <summary>The checks whose expectation was summed exactly over every multiset of draws.</summary>
    public static IReadOnlyList<DropoutVariantCheck> Enumerated(DropoutVariantResult r) => r.Checks.Where(c => c.ExactExpectation is not null).ToList();

    /// <summary>The largest relative distance from the closed form to the exact expectation over the enumerated checks (0 when none).</summary>
    public static double WorstExactError(DropoutVariantResult r) =>
        Enumerated(r).Select(c => Math.Abs(c.ClosedForm - c.ExactExpectation!.Value) / Math.Abs(c.ExactExpectation.Value)).DefaultIfEmpty(0).Max();

    /// <summary>Every enumerated check equals the closed form up to rounding.</summary>
    public static bool ExactAgrees(DropoutVariantResult r) => WorstExactError(r) < 1e-9;

    /// <summary>Every check was enumerated and equals the closed form up to rounding: the closed form is shown exactly.</summary>
    public static bool ExactlyShown(DropoutVariantResult r) => Enumerated(r).Count == r.Checks.Count && ExactAgrees(r);

    /// <summary>m/(m-1) E - (4) is the predicted constant for every (U, V).</summary>
    public static bool ConstantOffset(DropoutVariantResult r) => WorstOffset(r) < 1e-9;

    /// <summary>The draws-held-fixed gradient is biased for every m.</summary>
    public static bool Biased(DropoutVariantResult r) => r.Bias.All(b => b.Bias > 1e-3);

    /// <summary>(a) the derivation the checks below test: the same for every instance, so text with no number in it.</summary>
    public const string Derivation =
        "One draw Z = Theta u_bar v_bar^T equals Theta u_i v_i^T / ||u_i v_i^T|| with probability ||u_i v_i^T|| / Theta, so E[Z] = sum_i u_i v_i^T = UV^T "
        + "and ||Z||^2 = Theta^2 for every draw. The m draws are independent, so their average M has E||X - M||^2 = ||X - UV^T||^2 + "
        + "(E||Z||^2 - ||UV^T||^2)/m, which is the closed form E = ||X - UV^T||^2 + (Theta^2 - ||UV^T||^2)/m. Expanding both squares, "
        + "m/(m-1) E = ||X~ - UV^T||^2 + Theta^2/(m-1) - m/(m-1)^2 ||X||^2 with X~ = m/(m-1) X: the objective (4) plus a constant.";

    /// <summary>(a) the finding: how the expectation was estimated and where the closed form lies in the Monte Carlo intervals.</summary>
    public static string MonteCarloFinding(DropoutVariantResult r)
    {
        int outside = r.Checks.Count(c => Math.Abs(c.MonteCarloMean - c.ClosedForm) > HalfWidth(r, c));
        return I($"For random X, U, V and m in {string.Join(", ", r.Checks.Select(c => c.M).Distinct())}, the expectation in (3) was estimated by drawing\nm unit-norm rank-one factors with probability ||u_i v_i^T|| / Theta and forming the sample average explicitly\n({r.Checks[0].Samples:N0} draws each). Every sampled loss lies in [max(0, ||X|| - Theta)^2, (||X|| + Theta)^2], so an empirical Bernstein\ninterval around each Monte Carlo mean contains E with probability at least {100 * (1 - FamilyMissProbability):G4} % for {(r.Checks.Count == 1 ? "the one check" : $"all {r.Checks.Count} checks together")} (a finite-sample bound, valid at any number of draws).\n")
            + I($"The closed form E = ||X - UV^T||^2 + (Theta^2 - ||UV^T||^2)/m lies {(outside == 0 ? (r.Checks.Count == 1 ? "inside the interval" : $"inside all {r.Checks.Count} intervals") : $"outside {outside} of the {CountText.Of(r.Checks.Count, "interval")}")} (at most {BoundText.AtMost(WorstDistance(r), "G3")} half-widths\nfrom a Monte Carlo mean), and every interval's full width is at most {BoundText.AtMost(WorstResolution(r), "G2")} times the term (Theta^2 - ||UV^T||^2)/m it has to resolve");
    }

    /// <summary>Empty when the Monte Carlo checks confirm the closed form; otherwise the clause that says why they do not.</summary>
    public static string MonteCarloCaveat(DropoutVariantResult r) => Verdict(r) switch
    {
        MonteCarloVerdict.Refuted => ": the closed form is NOT confirmed",
        MonteCarloVerdict.TooFewDraws => ": too few draws to tell E from ||X - UV^T||^2 alone, so these checks neither confirm nor refute the closed form",
        _ => "",
    };

    /// <summary>(a) the exact check: the closed form against the expectation summed over every multiset of draws.</summary>
    public static string ExactFinding(DropoutVariantResult r)
    {
        var enumerated = Enumerated(r);
        var skipped = r.Checks.Where(c => c.ExactExpectation is null).Select(c => c.M).Distinct().ToList();
        string skippedText = skipped.Count == 0 ? ""
            : I($"m = {string.Join(", ", skipped)} {(skipped.Count == 1 ? "has" : "have")} more than {DropoutVariant.EnumerationLimit:N0} multisets of draws and {(skipped.Count == 1 ? "was" : "were")} not enumerated");
        if (enumerated.Count == 0) return I($"No check was summed exactly: {skippedText}.");
        return I($"Summing the sampled objective over every multiset of m draws with its multinomial probability gives the expectation in (3)\nexactly for {enumerated.Count} of the {r.Checks.Count} checks; the closed form differs from it by at most {BoundText.AtMost(WorstExactError(r), "E1")} (relative)")
            + (ExactAgrees(r) ? ", which is rounding" : ", far beyond rounding")
            + (skipped.Count == 0 ? "." : $"; {skippedText}.");
    }

    /// <summary>
    /// (a) the answer: (3) and (4) differ by a positive factor and a constant, so they have the same minimizers. The
    /// closed form rests on the exact sums where every check was enumerated, otherwise on the Monte Carlo verdict.
    /// </summary>
    public static string Answer(DropoutVariantResult r) =>
        I($"Multiplying by m/(m-1), m/(m-1) E - (4) differs from -m/(m-1)^2 ||X||^2 by at most {BoundText.AtMost(WorstOffset(r), "E1")} (relative) over these (U, V).\n")
        + (!ConstantOffset(r) || !ExactAgrees(r) || Verdict(r) == MonteCarloVerdict.Refuted
            ? "These numbers do NOT confirm the claim of (a)."
            : ExactlyShown(r) || Verdict(r) == MonteCarloVerdict.Confirmed
                ? "The two objectives differ by a positive factor and a constant that does not depend on (U, V), so (3) and (4) have the same minimizers, which is the claim of (a)."
                : "The closed form gives a constant offset, but it was neither summed exactly for every m nor checked with enough draws against (3) itself, so these numbers neither confirm nor refute the claim of (a).");

    /// <summary>(b) the finding: how far the averaged draws-held-fixed gradient is from the gradient of the expectation.</summary>
    public static string BiasFinding(DropoutVariantResult r) =>
        I($"The draws come from a distribution that depends on (U, V) itself. The gradient\nSGD would compute (of the sampled objective, draws held fixed), averaged exactly over every possible draw, differs from the\ngradient of the expectation by {string.Join(", ", r.Bias.Select(b => I($"{100 * b.Bias:F1} % (m = {b.M})")))} in relative norm");

    /// <summary>(b) the answer: why SGD on (3) needs the score-function term.</summary>
    public static string BiasAnswer(DropoutVariantResult r) => Biased(r)
        ? "The missing part is the score-function term sum_t L_t grad p_t(U, V): the naive stochastic gradient is biased, and an unbiased one needs that extra term (its variance is not measured here)."
        : "At this size the bias is negligible, so this instance does not show the difficulty.";

    private static string I(FormattableString s) => ReportFormat.Invariant(s);
}
