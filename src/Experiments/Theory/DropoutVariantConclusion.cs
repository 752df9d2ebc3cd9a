using System.Globalization;

namespace Engine.Experiments.Theory;

/// <summary>
/// The answers to homework 3, problem 1 as sentences. Conclusions are stated only where the numbers back them:
/// |z| &lt; 4 over a dozen checks is what sampling noise allows, an offset constant to 1e-9 is far beyond rounding,
/// and a bias above 0.1% is far beyond finite-difference error.
/// </summary>
public static class DropoutVariantConclusion
{
    public static double WorstZ(DropoutVariantResult r) => r.Checks.Max(c => Math.Abs(c.ZScore));

    public static double WorstOffset(DropoutVariantResult r) =>
        r.Checks.Max(c => Math.Abs(c.Offset - c.ExpectedOffset) / Math.Abs(c.ExpectedOffset));

    /// <summary>The closed form agrees with every Monte Carlo mean within sampling noise.</summary>
    public static bool Agrees(DropoutVariantResult r) => WorstZ(r) < 4;

    /// <summary>m/(m-1) E - (4) is the predicted constant for every (U, V).</summary>
    public static bool ConstantOffset(DropoutVariantResult r) => WorstOffset(r) < 1e-9;

    /// <summary>The draws-held-fixed gradient is biased for every m.</summary>
    public static bool Biased(DropoutVariantResult r) => r.Bias.All(b => b.Bias > 1e-3);

    /// <summary>(a) the finding: how the expectation was estimated and how far the closed form is from the Monte Carlo means.</summary>
    public static string MonteCarloFinding(DropoutVariantResult r) =>
        I($"For random X, U, V and m in {string.Join(", ", r.Checks.Select(c => c.M).Distinct())}, the expectation in (3) was estimated by drawing\nm unit-norm rank-one factors with probability ||u_i v_i^T|| / Theta and forming the sample average explicitly\n({r.Checks[0].Samples:N0} draws each). The closed form E = ||X - UV^T||^2 + (Theta^2 - ||UV^T||^2)/m lies within\n{WorstZ(r):F2} standard errors of every Monte Carlo mean");

    /// <summary>Empty when the closed form agrees; otherwise the clause that says it is not confirmed.</summary>
    public static string MonteCarloCaveat(DropoutVariantResult r) =>
        Agrees(r) ? "" : ", too far for sampling noise: the closed form is NOT confirmed";

    /// <summary>(a) the answer: (3) and (4) differ by a positive factor and a constant, so they have the same minimizers.</summary>
    public static string Answer(DropoutVariantResult r) =>
        I($"Multiplying by m/(m-1), m/(m-1) E - (4) differs from -m/(m-1)^2 ||X||^2 by at most {WorstOffset(r):E1} (relative) over these (U, V).\n")
        + (Agrees(r) && ConstantOffset(r)
            ? "The two objectives differ by a positive factor and a constant that does not depend on (U, V), so (3) and (4) have the same minimizers, which is the claim of (a)."
            : "These numbers do NOT confirm the claim of (a).");

    /// <summary>(b) the finding: how far the averaged draws-held-fixed gradient is from the gradient of the expectation.</summary>
    public static string BiasFinding(DropoutVariantResult r) =>
        I($"The draws come from a distribution that depends on (U, V) itself. The gradient\nSGD would compute (of the sampled objective, draws held fixed), averaged exactly over every possible draw, differs from the\ngradient of the expectation by {string.Join(", ", r.Bias.Select(b => I($"{100 * b.Bias:F1}% (m = {b.M})")))} in relative norm");

    /// <summary>(b) the answer: why SGD on (3) needs the score-function term.</summary>
    public static string BiasAnswer(DropoutVariantResult r) => Biased(r)
        ? "The missing part is the score-function term sum_t L_t grad p_t(U, V): the naive stochastic gradient is biased, and an unbiased one needs that extra, high-variance term."
        : "At this size the bias is negligible, so this instance does not show the difficulty.";

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
