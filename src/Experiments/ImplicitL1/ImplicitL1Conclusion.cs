using System.Globalization;
using Engine.Kernels.Factorized;

namespace Engine.Experiments.ImplicitL1;

/// <summary>
/// The answers of problem 2(e) as sentences, every number taken from the runs: does gradient descent end where
/// the Lasso path ends, do coordinates enter in the same order, and how often over independent instances.
/// </summary>
public static class ImplicitL1Conclusion
{
    /// <summary>The answer to "do the two paths converge to the same point?", from the numbers of the run.</summary>
    public static string Verdict(ImplicitL1Result r)
    {
        if (r.Diverged) return DivergenceVerdict(r);
        string tolerance = I($"{r.Settings.MatchTolerance:P0} of the largest coefficient, {r.Settings.MatchTolerance * r.Scale:E1}");
        bool positive = r.Matches(r.MinL1Positive), signed = r.Matches(r.MinL1Signed);
        string star = r.Matches(r.XStar) ? "x* itself (the minimum-l1 solution recovers the sparse x*)" : I($"not x* (max difference {r.XStar.MaxAbsDifferenceToGd:E2}: the minimum-l1 solution does not recover x* here)");
        if (positive && signed)
            return I($"Yes: gradient descent ends within {r.MinL1Positive.MaxAbsDifferenceToGd:E2} of the nonnegative minimum-l1 solution and {r.MinL1Signed.MaxAbsDifferenceToGd:E2} of the signed one (tolerance {tolerance}), so both paths end at the same point, which is {star}.");
        if (positive)
            return I($"Partly: gradient descent ends within {r.MinL1Positive.MaxAbsDifferenceToGd:E2} of the nonnegative minimum-l1 solution (the end of the positive Lasso path) but {r.MinL1Signed.MaxAbsDifferenceToGd:E2} from the signed one (tolerance {tolerance}): x ⊙ x can only reach nonnegative solutions.");
        if (signed)
            return I($"Partly: gradient descent ends within {r.MinL1Signed.MaxAbsDifferenceToGd:E2} of the signed minimum-l1 solution but {r.MinL1Positive.MaxAbsDifferenceToGd:E2} from the nonnegative one (tolerance {tolerance}); the two minimum-l1 solutions differ here, and gradient descent on x ⊙ x lands on the signed one, which is {star}.");
        double yNorm = Math.Sqrt(r.Problem.Y.Sum(v => v * v));
        string unfinished = r.Gd.Residual > r.Settings.MatchTolerance * yNorm
            ? I($" Gradient descent has not finished interpolating after {r.StepsDone} steps (||A w - y|| = {r.Gd.Residual:E2}, {r.Gd.Residual / yNorm:P1} of ||y||): the small coordinates are still growing, and more --steps (or a larger --lr) carry it further.")
            : I($" Gradient descent interpolates (||A w - y|| = {r.Gd.Residual:E2}) but at another point: a smaller --init-scale brings it closer to the minimum-l1 solution.");
        return I($"No, not within the tolerance {tolerance}: gradient descent ends {r.MinL1Positive.MaxAbsDifferenceToGd:E2} from the nonnegative minimum-l1 solution and {r.MinL1Signed.MaxAbsDifferenceToGd:E2} from the signed one.") + unfinished;
    }

    // The cause is named from x0: if the gradient there already overflows, --init-scale is the problem, and a large
    // --init-scale also raises the curvature (it grows like x^2), so it shares the blame with --lr above 1.
    private static string DivergenceVerdict(ImplicitL1Result r)
    {
        var s = r.Settings;
        var (first, last) = r.DivergenceWindow!.Value;
        var gd = new FactorizedLeastSquaresDescent(r.Problem.A, s.Rows, s.Cols, r.Problem.Y);
        var x0 = Enumerable.Repeat(s.Init, s.Cols).ToArray();
        var gradient = new double[s.Cols];
        gd.Gradient(x0, gradient);
        string cause = !gradient.All(double.IsFinite) || !double.IsFinite(gd.Objective(x0))
            ? I($"x0 = {s.Init:G3}·1 already overflows the objective or its gradient: lower --init-scale")
            : Math.Abs(s.Init) > 1
                ? I($"the step is too large for iterates of size {s.Init:G3}: lower --lr or --init-scale")
                : "the step is too large: lower --lr";
        return I($"Gradient descent diverged (non-finite iterate at a step between {first} and {last}): no conclusion; {cause}.");
    }

    /// <summary>How the order in which coordinates enter compares between the two paths, from the run's numbers.</summary>
    public static string OrderSentence(ImplicitL1Result r)
    {
        int shared = r.SharedEntryPrefix, total = Math.Max(r.EntryOrderGd.Length, r.EntryOrderLasso.Length);
        if (shared == total && total > 0)
            return I($"All {total} coordinates that become significant enter in the same order along both paths: the small initialization plays the role of a large lambda, and running gradient descent longer is like lowering lambda.");
        return I($"The first {shared} of the {total} coordinates that become significant enter in the same order along both paths (gradient descent {Names(r.EntryOrderGd)}; Lasso {Names(r.EntryOrderLasso)}), so the two paths are alike but not identical.");
    }

    /// <summary>The coordinates of an entry order, e.g. "x3 x17 x5".</summary>
    public static string Names(int[] order) => string.Join(" ", order.Select(j => $"x{j + 1}"));

    /// <summary>Over independent instances: how often the GD limit matches each solution, and how far it is from the nonnegative one.</summary>
    public static string Trials(IReadOnlyList<ImplicitL1Result> results)
    {
        int n = results.Count;
        int positive = results.Count(r => r.Matches(r.MinL1Positive));
        int signed = results.Count(r => r.Matches(r.MinL1Signed));
        int star = results.Count(r => r.Matches(r.XStar));
        int[] diverged = Enumerable.Range(0, n).Where(t => results[t].Diverged).ToArray();
        string divergedText = diverged.Length == 0 ? "diverged 0" : I($"diverged {diverged.Length} (trial {string.Join(", ", diverged)}: {DivergenceVerdict(results[diverged[0]])})");
        double[] finished = results.Where(r => !r.Diverged).Select(r => r.MinL1Positive.MaxAbsDifferenceToGd).Order().ToArray();
        string spread = finished.Length == 0 ? "" : I($"max|GD - nonnegative min-l1|: median {finished[finished.Length / 2]:E2}, worst {finished[^1]:E2}{(diverged.Length > 0 ? " (over the trials that did not diverge)" : "")}. ");
        return I($"{n} trials: the GD limit matches the nonnegative min-l1 solution in {positive}, the signed one in {signed}, x* in {star}; {divergedText}. ") + spread;
    }

    /// <summary>The verdict on a longer run of the same instance, with its step count and residual.</summary>
    public static string LongerRun(ImplicitL1Result longer) =>
        I($"The same instance with ten times the steps ({longer.StepsDone:N0}, GD residual {longer.Gd.Residual:E2}): {Verdict(longer)}");

    /// <summary>How often longer runs of several instances match each minimum-l1 solution.</summary>
    public static string LongerTrials(IReadOnlyList<ImplicitL1Result> trials)
    {
        int matched = trials.Count(t => t.Matches(t.MinL1Positive)), matchedSigned = trials.Count(t => t.Matches(t.MinL1Signed));
        return I($"With {trials[0].Settings.Steps:N0} steps on each of the {trials.Count} instances below, the GD limit matches the nonnegative min-l1 solution in {matched} and the signed one in {matchedSigned}; the largest difference to the nonnegative one is {trials.Max(t => t.MinL1Positive.MaxAbsDifferenceToGd):E2}.");
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
