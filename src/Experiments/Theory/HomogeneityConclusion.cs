using System.Globalization;
using Engine.Experiments.Text;

namespace Engine.Experiments.Theory;

/// <summary>
/// The answers to homework 2, problem 1 (a)-(c) as sentences. Each conclusion is stated only when the numbers of the
/// run back it, with thresholds far above rounding error; otherwise the sentence says the numbers do NOT show it.
/// </summary>
public static class HomogeneityConclusion
{
    /// <summary>(a): the loss is constant on the orbit while the parameter norm is unbounded.</summary>
    public static bool LossConstant(HomogeneityResult r) => r.MaxLossDeviation < 1e-9;

    /// <summary>(b): rebalancing strictly lowered the objective of every unbalanced start.</summary>
    public static bool AllImproved(HomogeneityResult r) =>
        r.Balance.Where(b => Math.Abs(b.InitialRatio - 1) > 1e-3).All(b => b.ObjectiveAfter < b.ObjectiveBefore);

    /// <summary>(b): the largest distance of an orbit optimum's ||U||/||V|| from 1.</summary>
    public static double WorstBalance(HomogeneityResult r) => r.Balance.Max(b => Math.Abs(b.OptimalRatio - 1));

    /// <summary>(b): every orbit optimum is balanced and better than the unbalanced start.</summary>
    public static bool Balanced(HomogeneityResult r) => AllImproved(r) && WorstBalance(r) < 1e-3;

    /// <summary>(a) in words: how little the loss moves along the orbit while the parameter norm grows towards both ends.</summary>
    public static string Unbounded(HomogeneityResult r)
    {
        var (first, last) = (r.Orbit[0], r.Orbit[^1]);
        // The grid's point nearest a = 1, the starting weights: where the norm is smallest on the orbit depends on the
        // weights (the balanced point), so the sentence does not claim it.
        var start = r.Orbit.MinBy(o => Math.Abs(Math.Log(o.Alpha)));
        return I($"The loss sum_i 1/2 ||y_i - U relu(V^T x_i)||^2 of random weights (U, V) is the same at every point of their orbit (a U, V / a): for a from {first.Alpha:G4} to {last.Alpha:G4} it changes by at most\n{BoundText.AtMost(r.MaxLossDeviation, "E1")} (relative) while the parameter norm, {start.ParameterNorm:G4} at a = {start.Alpha:G4}, grows to\n{first.ParameterNorm:G4} at a = {first.Alpha:G4} and {last.ParameterNorm:G4} at a = {last.Alpha:G4}. ")
            + (LossConstant(r)
                ? "Any weights have such an orbit, a minimizer's included: every minimizer lies on an unbounded curve of minimizers"
                : "The loss is NOT constant on the orbit, against positive homogeneity");
    }

    /// <summary>(b) the finding: how close to balanced each orbit optimum is, and whether rebalancing helped.</summary>
    public static string BalancedFinding(HomogeneityResult r) =>
        I($"With lambda = {r.Lambda:G3}, the best point of each orbit has ||U||/||V|| within\n{BoundText.AtMost(WorstBalance(r), "E1")} of 1, starting from ratios {string.Join(", ", r.Balance.Select(b => b.InitialRatio.ToString("G3", CultureInfo.InvariantCulture)))};\nrebalancing {(AllImproved(r) ? "strictly lowered" : "did NOT always lower")} the regularized objective of every unbalanced start");

    /// <summary>(b) the answer: a minimizer must be balanced, so the set of minimizers is bounded.</summary>
    public static string BalancedAnswer(HomogeneityResult r) => Balanced(r)
        ? "As the reasons below prove for any data, a global minimizer must be balanced, and since lambda ||U|| ||V|| = lambda ||U||^2 is bounded by the objective, the set of minimizers is bounded."
        : "These numbers do NOT show that minimizers are balanced.";

    /// <summary>(c): the orbit optimum under the (1, 2) regularizer follows (4c)^(1/3) and is balanced only at c = 1/4.</summary>
    public static string Unbalanced(HomogeneityResult r)
    {
        double worstFormula = r.Unbalanced.Max(u => Math.Abs(u.NumericRatio / u.PredictedRatio - 1));
        var quarter = r.Unbalanced.First(u => u.C == 0.25);
        double otherRatioGap = r.Unbalanced.Where(u => u.C != 0.25).Min(u => Math.Abs(u.NumericRatio - 1));
        bool cubeRootLaw = worstFormula < 1e-3 && Math.Abs(quarter.NumericRatio - 1) < 1e-3 && otherRatioGap > 1e-2;
        return I($"With lambda/2 (||U|| + ||V||^2), the derivation below gives the orbit optimum the ratio (4c)^(1/3): the numerical\noptimum differs from this formula by at most {BoundText.AtMost(worstFormula, "E1")} (relative) for c from {r.Unbalanced[0].C:G3} to {r.Unbalanced[^1].C:G3};\nat c = 1/4 the ratio is {quarter.NumericRatio:F6}, and at every other c of the grid it is at least {BoundText.AtLeast(otherRatioGap, "F3")} away from 1 (the formula is 1 only at c = 1/4).\n")
            + (cubeRootLaw ? "Balanced exactly when c = 1/4." : "These numbers do NOT confirm that the optimum is balanced only at c = 1/4.");
    }

    private static string I(FormattableString s) => ReportFormat.Invariant(s);

    /// <summary>
    /// (d) in words: the homework asks for intuition, and the run measures the part of it that is a fact about this
    /// network: on the orbit the loss is the same, but the ratio of the layers' gradient norms is not.
    /// </summary>
    public static string Intuition(HomogeneityResult r)
    {
        var (low, balanced, high) = (r.Gradients[0], r.Gradients[1], r.Gradients[2]);
        return I($"On the orbit of (a) the loss is the same at every point, but its gradient is not: ||grad_U|| / ||grad_V|| is {low.GradientRatio:G3} at a = {low.Alpha:G4} (where ||aU|| / ||V/a|| = {low.NormRatio:G3}), {balanced.GradientRatio:G3} at the balanced point and {high.GradientRatio:G3} at a = {high.Alpha:G4} (||aU|| / ||V/a|| = {high.NormRatio:G3}): ")
            + "it moves as 1/a^2 while the norms' ratio moves as a^2. So at unbalanced weights one layer's gradient dwarfs the other's, and a single step size is either too small for one layer or unstable for the other, while at balanced weights both layers move at comparable rates. "
            + "The regularizer of (2) also pulls the iterates towards balance: under its gradient flow ||U||^2 - ||V||^2 decays as exp(-2 lambda t), where without it the imbalance is conserved.";
    }

    /// <summary>
    /// The derivations (a)-(c) the numbers illustrate: the same for every network and data set, so text with no number
    /// in it. The run checks each on one network; these sentences are what makes it hold for all.
    /// </summary>
    public const string Reasons =
        "(a) The ReLU is positively homogeneous, relu(z/a) = relu(z)/a for a > 0, so (aU, V/a) computes the same network as (U, V) for every a > 0: "
        + "a minimizer's whole orbit consists of minimizers, and its norm grows without bound as a goes to 0 or to infinity (if U = 0 at a minimizer, every (0, tV) is one). "
        + "(b) On an orbit the loss is fixed and lambda/2 (a^2 ||U||^2 + ||V||^2 / a^2) >= lambda ||U|| ||V||, with equality only at a^2 = ||V|| / ||U||, where "
        + "||aU|| = ||V/a||: an unbalanced point with U and V nonzero is beaten by the balanced point of its own orbit, and one with U = 0 or V = 0 computes "
        + "the zero network, which (0, 0) computes with no regularizer, so no unbalanced point minimizes (2); at a minimizer, with the loss "
        + "non-negative, lambda ||U||^2 = lambda ||U|| ||V|| is at most the objective of (0, 0), which bounds every minimizer's norms. "
        + "(c) A global minimizer is the best point of its own orbit, where the loss is fixed; on that orbit, with c = ||U|| ||V||, p = ||aU|| and ||V/a|| = c/p, "
        + "the regularizer is lambda/2 (p + c^2/p^2), smallest where 1 = 2 c^2 / p^3: "
        + "p^3 = 2 c^2, and then ||aU|| / ||V/a|| = p^2 / c = (4c)^(1/3), which is 1 if and only if c = 1/4.";
}
