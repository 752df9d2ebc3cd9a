using Engine.Experiments.Text;
using Engine.Kernels.Factorized;

namespace Engine.Experiments.ImplicitL1;

/// <summary>
/// The answers of problem 2(e) as sentences, every number taken from the runs. The distance between a finite run
/// and the minimum-l1 solution splits into two parts that the sentences keep apart: the run's distance to the exact
/// limit of its gradient flow (more steps close it) and that limit's distance to the minimum-l1 solution (only a
/// smaller initialization closes it).
/// </summary>
public static class ImplicitL1Conclusion
{
    /// <summary>What one model is called in the sentences.</summary>
    public sealed record ModelNames(string Descent, string Solution)
    {
        public static ModelNames Nonnegative { get; } = new("gradient descent on x ⊙ x", "the nonnegative minimum-l1 solution (the end of the nonnegative Lasso path)");
        public static ModelNames Signed { get; } = new("gradient descent on u ⊙ u - v ⊙ v", "the signed minimum-l1 solution (the end of the signed Lasso path)");
    }

    /// <summary>
    /// The answer to "do gradient descent and the Lasso path converge to the same solution?" for one instance and
    /// model: where the run is, where its flow ends, how far that is from the minimum-l1 solution, and whether that
    /// solution is x*. <paramref name="divergenceCause"/> is used only when the run diverged. <paramref name="generality"/>
    /// (see <see cref="Generality"/>) goes right after the sentence on the limit, before the one on x*, so that it reads
    /// as what it counts; a diverged run has no answer for it to generalize, so there it is left out.
    /// </summary>
    public static string Answer(OutcomeFigures f, double a, ModelNames names, string divergenceCause = "", string generality = "")
    {
        if (f.Diverged)
            return I($"{Capital(names.Descent)} diverged (its iterate stopped being finite at a step from {Math.Max(1, f.DivergenceWindowStart):N0} to {f.StepsDone:N0}): no conclusion{(divergenceCause.Length > 0 ? "; " + divergenceCause : "")}.");
        string tolerance = I($"tolerance {f.Tolerance:0.0e+0}");
        string where = f.Convergence <= f.Tolerance
            ? I($"After {Steps(f.StepsDone)} {names.Descent} has reached the limit of its gradient flow: its last iterate is {f.Convergence:0.00e+0} from w_inf(a), the exact limit from a = {a:G3} ({tolerance}).")
            : I($"After {Steps(f.StepsDone)} {names.Descent} has not reached its limit: its last iterate is {f.Convergence:0.00e+0} from w_inf(a), the exact limit of the gradient flow from a = {a:G3} ({tolerance}), with ||A w - y|| at {f.RelativeResidual:P1} of ||y||. ")
              + (f.HeadingDistance <= f.Tolerance
                  ? I($"The flow continued from that iterate ends {f.HeadingDistance:0.00e+0} from w_inf(a): the run is on its way there, and more steps only finish the trip.")
                  : I($"The flow continued from that iterate ends {f.HeadingDistance:0.00e+0} from w_inf(a): the discrete steps have taken the run off the flow's course."));
        string then = generality.Length > 0 ? " " + generality : "";
        if (f.MinL1NotUnique && f.Bias > f.Tolerance)
            return $"{where} {NotUnique(f, a, names, then)}";
        string bias = f.Bias <= f.Tolerance
            ? I($"w_inf(a) is {f.Bias:0.00e+0} from {names.Solution}, within tolerance: at a = {a:G3} the limit matches the minimum-l1 solution.")
            : I($"w_inf(a) itself is {f.Bias:0.00e+0} from {names.Solution}, beyond the tolerance: no number of steps closes this gap, which the initialization scale sets. ") + Threshold(f);
        string answer = f.Bias <= f.Tolerance
            ? (f.Convergence <= f.Tolerance
                ? I($"So, for this instance, yes: at a = {a:G3} gradient descent and the Lasso path end at the same point, within the tolerance.")
                : f.HeadingDistance <= f.Tolerance
                ? I($"So, for this instance, yes in the limit: at a = {a:G3} gradient descent ends, within the tolerance, where the Lasso path ends, though this run needs more steps to get there.")
                : I($"So, for this instance, yes for the gradient flow: from a = {a:G3} its limit is where the Lasso path ends, but this run's steps have left the flow's course, so more of them at this step size need not get there."))
            : I($"So, for this instance, no: at a = {a:G3} gradient descent does not end where the Lasso path ends, however long it runs.");
        string recovery = f.Recovery <= f.Tolerance
            ? I($"In this instance the minimum-l1 solution is x* itself (max difference {f.Recovery:0.00e+0}).")
            : I($"In this instance the minimum-l1 solution is not x* (max difference {f.Recovery:0.00e+0}): l1 minimization does not recover this x*.");
        return $"{where} {bias} {answer}{then} {recovery}";
    }

    /// <summary>
    /// The answer where the minimum-l1 solutions form a set: the Lasso path ends at one of them and the flow limit
    /// need not pick the same one, so "the same point" is not decided by the l1 norm, and x* is or is not among them.
    /// </summary>
    private static string NotUnique(OutcomeFigures f, double a, ModelNames names, string then)
    {
        string set = I($"w_inf(a) is {f.Bias:0.00e+0} from {names.Solution}, but that solution is not the only interpolant of least l1 norm: the flow limit from the smallest a swept ({f.SmallestSweptScale:0e+0}) has the same l1 norm ({f.MinL1Norm:0.000000e+0}, to a relative {ModelOutcome.SameL1Norm:0e+0}) and lies {f.OtherMinimizerDistance:0.00e+0} from it, so the minimum-l1 solutions form a set and the Lasso path ends at one point of it.");
        string answer = I($"So whether gradient descent ends where the Lasso path ends is not a question the l1 norm settles for this instance: at a = {a:G3} its limit is not the Lasso path's end, and which minimizer each one picks is a matter of the method, not of the l1 norm.");
        string recovery = f.XStarL1Norm <= f.MinL1Norm * (1 + ModelOutcome.SameL1Norm)
            ? I($"In this instance x* is one of the minimum-l1 solutions (l1 norm {f.XStarL1Norm:0.000000e+0}), but not the only one, so l1 minimization alone does not single it out.")
            : I($"In this instance x* is not among the minimum-l1 solutions (its l1 norm is {f.XStarL1Norm:0.000000e+0}, above {f.MinL1Norm:0.000000e+0}): l1 minimization does not recover this x*.");
        return $"{set} {answer}{then} {recovery}";
    }

    /// <summary>
    /// Whether the first instance's limit holds for the others: in how many of <paramref name="figures"/> (the first
    /// among them) the flow limit from a matches the minimum-l1 solution. The sentence names what it counts, the
    /// limit's match, so that it is not read as counting the run's convergence or the recovery of x*. Empty for a
    /// single instance.
    /// </summary>
    public static string Generality(IReadOnlyList<OutcomeFigures> figures, double a)
    {
        if (figures.Count < 2) return "";
        bool first = figures[0].Bias <= figures[0].Tolerance;
        int same = figures.Count(f => f.Bias <= f.Tolerance == first);
        string verb = first ? "matches" : "misses";
        return same == figures.Count
            ? I($"At a = {a:G3} the limit w_inf(a) {verb} the minimum-l1 solution in all {figures.Count} instances, not only in this one.")
            : I($"Whether the limit matches differs between instances: at a = {a:G3} w_inf(a) {verb} the minimum-l1 solution in {same} of the {figures.Count} instances and {(first ? "misses" : "matches")} it in the other {figures.Count - same} (the paragraph under the a-sweep figure says by how much and from which a it matches).");
    }

    /// <summary>From which initialization scale on the limit matches the minimum-l1 solution, or that it never does in the sweep.</summary>
    public static string Threshold(OutcomeFigures f)
    {
        if (!double.IsFinite(f.LargestMatchingScale))
            return I($"The limit does not match it for any a swept down to {f.SmallestSweptScale:0e+0}.");
        if (f.LargestMatchingScale >= f.LargestSweptScale)
            return I($"The limit matches it for every a swept, from {f.LargestSweptScale:0e+0} down to {f.SmallestSweptScale:0e+0}.");
        return I($"The limit matches it only from a = {f.LargestMatchingScale:0.0e+0} down (exact limits swept down to {f.SmallestSweptScale:0e+0}).");
    }

    /// <summary>Whether the two Lasso paths end at the same point.</summary>
    public static string MinL1Sentence(double gap, double tolerance) => gap <= tolerance
        ? I($"The signed and nonnegative Lasso paths end at the same point (max difference {gap:0.00e+0}).")
        : I($"The signed and nonnegative Lasso paths end at different points (max difference {gap:0.00e+0}): x ⊙ x can only reach the nonnegative one.");

    /// <summary>
    /// Over independent instances: diverged runs first (they did not run the budget), then reached limits, matching
    /// limits, recoveries and the scale each instance needs; every count says out of how many.
    /// </summary>
    public static string Trials(IReadOnlyList<OutcomeFigures> figures, double a, ModelNames names)
    {
        int n = figures.Count;
        var finite = figures.Where(f => !f.Diverged).ToList();
        int diverged = n - finite.Count;
        // Whether a run reached its limit needs a finite run; the limit, its bias and the recovery do not depend on it.
        int reached = finite.Count(f => f.Convergence <= f.Tolerance);
        int matched = figures.Count(f => f.Bias <= f.Tolerance);
        // Where the minimum-l1 solution is not unique, the Lasso end's distance to x* says nothing about recovery.
        int recovered = figures.Count(f => f.Recovery <= f.Tolerance && !f.MinL1NotUnique);
        int unique = figures.Count(f => !f.MinL1NotUnique);
        var misses = figures.Where(f => f.Bias > f.Tolerance && !f.MinL1NotUnique).Select(f => f.Bias / f.Tolerance).ToList();
        int ambiguous = figures.Count(f => f.Bias > f.Tolerance && f.MinL1NotUnique);
        var thresholds = figures.Where(f => double.IsFinite(f.LargestMatchingScale)).Select(f => f.LargestMatchingScale).ToList();
        int unresolved = figures.Count - thresholds.Count;
        string Of(int k) => n == 1 ? I($"{k} of 1") : I($"{k} of the {n}");
        string steps = Steps(figures[0].StepsAsked);
        string text = I($"{(n == 1 ? "In 1 instance" : $"Over {n} instances")} at a = {a:G3}: ");
        if (diverged > 0)
        {
            // A diverged run stopped at the chunk where its iterate overflowed: it has no last iterate to place.
            int latest = figures.Where(f => f.Diverged).Max(f => f.StepsDone);
            string where = diverged == n
                ? (n == 1 ? "diverged" : I($"diverged in all {n}"))
                : I($"diverged in {Of(diverged)}");
            text += I($"{names.Descent} {where} (its iterate stopped being finite by step {latest:N0}), ");
            text += finite.Count == 0
                ? (n == 1 ? "so it did not reach its limit; " : "so no run reached its limit; ")
                : finite.Count == 1
                    ? I($"and the other run {(reached == 1 ? "is" : "is not")} within tolerance of its limit after {steps}; ")
                    : I($"and of the other {finite.Count}, {reached} {(reached == 1 ? "is" : "are")} within tolerance of {(reached == 1 ? "its" : "their")} limit after {steps}; ");
        }
        else text += I($"after {steps} {names.Descent} is within tolerance of its limit in {Of(reached)}; ");
        text += I($"the limit w_inf(a){(diverged > 0 ? ", which does not depend on the run," : "")} matches {names.Solution} in {Of(matched)}");
        text += misses.Count > 0 ? $" and misses by {Range(misses.Min(), misses.Max(), Ratio)} tolerances{(ambiguous > 0 ? $" in {misses.Count}" : misses.Count < figures.Count ? $" in the other {misses.Count}" : misses.Count > 1 ? $" in all {misses.Count}" : "")}" : "";
        text += ambiguous > 0 ? I($"{(misses.Count > 0 ? "," : "")} and in {ambiguous} the minimum-l1 solution is not unique (another interpolant of the same l1 norm lies beyond the tolerance from it), so there the match is not decided") : "";
        text += unique == n ? I($"; the minimum-l1 solution recovers x* in {Of(recovered)}.") : I($"; the minimum-l1 solution recovers x* in {recovered} of the {unique} where it is unique.");
        if (thresholds.Count > 0)
            text += thresholds.Max() == thresholds.Min()
                ? I($" The largest a from which the limit matches is {thresholds.Max():0.0e+0} in {CountText.Of(thresholds.Count, "instance")}")
                : I($" The largest a from which the limit matches ranges from {thresholds.Max():0.0e+0} to {thresholds.Min():0.0e+0} across instances");
        text += unresolved > 0
            ? (thresholds.Count > 0 ? "; in " : " In ") + I($"{unresolved} it does not match for any a swept down to {figures[0].SmallestSweptScale:0e+0}.")
            : thresholds.Count > 0 ? "." : "";
        return text;
    }

    /// <summary>Whether runs of gradient descent to interpolation end at the computed flow limit.</summary>
    public static string Confirmation(IReadOnlyList<LimitCheck> runs, double interpolationTolerance)
    {
        if (runs.Count == 0) return "";
        double eta = runs[0].Eta;
        var parts = runs.Select(r => I($"a = {r.Scale:G3}: ") + RunOutcome(r)).ToList();
        // Only a run that interpolated and still ended outside the tolerance speaks against the computed limit; a
        // diverged run has no end, and an unfinished one is not yet where it is going.
        string Scales(Func<LimitCheck, bool> which) => string.Join(", ", runs.Where(r => !r.Confirms && which(r)).Select(r => I($"a = {r.Scale:G3}")));
        string missed = Scales(r => !r.Gd.Diverged && r.Interpolated);
        string diverged = Scales(r => r.Gd.Diverged);
        string unfinished = Scales(r => !r.Gd.Diverged && !r.Interpolated && !r.Stalled && !r.Stuck);
        string stuck = Scales(r => !r.Gd.Diverged && r.Stuck);
        string notConverging = Scales(r => !r.Gd.Diverged && r.Stalled);
        // The residual is tested every CheckEvery steps, so a run stops at the first test it passes, not at the first step.
        string text = I($"Run towards interpolation (until ||A w - y|| <= {interpolationTolerance:0e+0}·||y||, tested every {runs[0].Gd.CheckEvery:N0} steps, or the step budget) with eta = {eta:G3}, gradient descent ends at these distances from the exact flow limits: {string.Join("; ", parts)}; the match tolerance is {runs[0].Tolerance:0.0e+0}.");
        if (runs.All(r => r.Confirms))
        {
            // Within tolerance before interpolating is said as such: such a run has not ended where it is going.
            string early = string.Join(", ", runs.Where(r => !r.Interpolated).Select(r => I($"a = {r.Scale:G3}")));
            return text + (early.Length == 0
                ? " Every run ends within tolerance of its computed limit: the limit is where gradient descent goes."
                : $" Every run ends within tolerance of its computed limit ({early} even before it interpolates): the limit is where gradient descent is going.");
        }
        if (missed.Length > 0) text += $" Not every run confirms the computed limit: {missed} interpolated and ended outside the tolerance.";
        static string Runs(string scales) => (scales.Contains(',', StringComparison.Ordinal) ? "The runs at " : "The run at ") + scales;
        static string Neither(string scales) => scales.Contains(',', StringComparison.Ordinal) ? "they neither confirm nor refute" : "it neither confirms nor refutes";
        if (diverged.Length > 0) text += $" {Runs(diverged)} diverged at this step size, so {Neither(diverged)} the limit: lower --confirm-lr.";
        if (unfinished.Length > 0) text += $" {Runs(unfinished)} did not reach interpolation within the step budget, so {Neither(unfinished)} the limit: raise --interpolation-steps or --confirm-lr.";
        if (notConverging.Length > 0) text += $" {Runs(notConverging)} did not converge at this step size, so {Neither(notConverging)} the limit: lower --confirm-lr.";
        if (stuck.Length > 0) text += $" {Runs(stuck)} stopped moving short of interpolation, at a point more steps do not change, so {Neither(stuck)} the limit.";
        return text;
    }

    /// <summary>How the end of discrete gradient descent moves away from the flow limit as the step grows.</summary>
    public static string StepSize(IReadOnlyList<LimitCheck> runs, double slope)
    {
        if (runs.Count == 0) return "";
        string parts = string.Join("; ", runs.Select(r => I($"eta = {r.Eta:G3}: ") + RunOutcome(r)));
        string text = I($"At a = {runs[0].Scale:G3}, discrete gradient descent run to interpolation ends at these distances from the flow limit: {parts}.");
        var rounding = runs.Where(r => r.Interpolated && !r.Resolved).ToList();
        if (rounding.Count > 0)
            text += I($" {(rounding.Count == 1 ? "One of those distances is" : $"{rounding.Count} of those distances are")} at rounding level (at most {LimitCheck.RoundingEpsilons:N0} machine epsilons of max|w_inf(a)|, {rounding.Max(r => r.RoundingLevel):0.0e+0}) and {(rounding.Count == 1 ? "is" : "are")} left out of any fit: there the run ends at the flow limit to the accuracy of its computation.");
        if (double.IsFinite(slope))
            text += Math.Abs(slope - 1) <= 0.25
                ? I($" A log-log fit over the runs that interpolated gives slope {slope:F2}: the distance is proportional to eta, so as eta shrinks gradient descent ends at the flow limit.")
                : I($" A log-log fit over the runs that interpolated gives slope {slope:F2}, not the 1 of an O(eta) discretization error.");
        return text;
    }

    private static string RunOutcome(LimitCheck r) =>
        r.Gd.Diverged ? I($"diverged by step {r.Gd.StepsDone:N0}")
        : r.Interpolated ? I($"{r.Distance:0.00e+0} after {Steps(r.Gd.StepsDone)}")
        : r.Stalled && r.SecondHalf is { } s
            ? I($"{r.Distance:0.00e+0} after {Steps(r.Gd.StepsDone)}, not converging at this step size: after step {s.HalfwayStep:N0} ")
              + (s.Rises > 0 ? I($"its residual rose at {s.Rises} of {s.Checks} checks and ")
                  : I($"its residual was the same at all {s.Checks} checks while single steps changed it (the iterate cycles, with a period that divides the {r.Gd.CheckEvery:N0} steps between checks), so it "))
              + (Range(s.Low, s.High, v => I($"{v:0.0e+0}")) is var band && band.Contains(" to ", StringComparison.Ordinal)
                  ? I($"stayed between {s.Low:0.0e+0} and {s.High:0.0e+0}") : $"stayed at {band}")
              + " of ||y||, whereas a step small enough for the local curvature lowers it at every step"
        : r.Stuck && r.SecondHalf is { } still
            ? I($"{r.Distance:0.00e+0} after {Steps(r.Gd.StepsDone)}, stuck short of interpolation: after step {still.HalfwayStep:N0} its residual stayed at {still.Low:0.0e+0} of ||y|| at all {still.Checks} checks and a single step no longer changed it")
        : I($"{r.Distance:0.00e+0} after {Steps(r.Gd.StepsDone)}, still short of interpolation (residual {r.Gd.RelativeResidual:0.0e+0} of ||y||)");

    /// <summary>
    /// Why the nonnegative run diverged, named from x0: if the gradient there already overflows, the initialization is
    /// the problem; a large initialization also raises the curvature (it grows like x^2), so it shares the blame with the
    /// step above 1.
    /// </summary>
    public static string DivergenceCause(ImplicitL1Problem problem, double init)
    {
        var gd = new FactorizedLeastSquaresDescent(problem.A, problem.Rows, problem.Cols, problem.Y);
        var x0 = Enumerable.Repeat(init, problem.Cols).ToArray();
        var gradient = new double[problem.Cols];
        gd.Gradient(x0, gradient);
        return !gradient.All(double.IsFinite) || !double.IsFinite(gd.Objective(x0))
            ? I($"x0 = {init:G3}·1 already overflows the objective or its gradient: lower --init-scale")
            : Math.Abs(init) > 1
                ? I($"the step is too large for iterates of size {init:G3}: lower --lr or --init-scale")
                : "the step is too large: lower --lr";
    }

    /// <summary>How the order in which coordinates enter compares between the two paths, from the run's numbers.</summary>
    public static string OrderSentence(ImplicitL1Trial r) => r.Nonnegative.Gd.Diverged
        ? "Gradient descent diverged, so its order of entry is not compared with the Lasso path's."
        : OrderSentence(r.EntryOrderGd, r.EntryOrderLasso, r.SharedEntryPrefix);

    /// <summary>The order sentence from the two entry orders and the number of leading places they share.</summary>
    internal static string OrderSentence(int[] gd, int[] lasso, int shared)
    {
        if (gd.Length == 0 && lasso.Length == 0)
            return "No coordinate becomes significant along either path, so there is no order of entry to compare.";
        const string lambda = "the small initialization plays the role of a large lambda, and running gradient descent longer is like lowering lambda.";
        if (shared == gd.Length && shared == lasso.Length)
            return shared == 1
                ? I($"The one coordinate that becomes significant, {Names(gd)}, is the same along both paths: {lambda}")
                : I($"All {shared} coordinates that become significant enter in the same order along both paths: {lambda}");
        // The two lists may hold different coordinates and different counts: each path's count is its own.
        string Order(int[] order) => order.Length == 0 ? "none" : I($"{order.Length}: {Names(order)}");
        string orders = $"gradient descent {Order(gd)}; nonnegative Lasso path {Order(lasso)}";
        if (gd.Length == 0 || lasso.Length == 0)
            return $"Only one path has coordinates that become significant ({orders}), so their orders can not be compared.";
        return shared == 0
            ? I($"The two paths differ from the first coordinate to become significant ({orders}).")
            : (shared == 1 ? "The first coordinate to become significant is the same along both paths"
                : I($"The first {shared} coordinates to become significant enter in the same order along both paths"))
              + I($", and then the orders differ ({orders}), so the two paths are alike but not identical.");
    }

    /// <summary>The coordinates of an entry order, e.g. "x3 x17 x5", or "none" for an empty one.</summary>
    public static string Names(int[] order) => order.Length == 0 ? "none" : string.Join(" ", order.Select(j => $"x{j + 1}"));

    /// <summary>"1 step" or "12,000 steps".</summary>
    internal static string Steps(int n) => CountText.Of(n, "step");

    /// <summary>"from x to y" as "x to y", or the single value when both ends print the same.</summary>
    internal static string Range(double low, double high, Func<double, string> format) =>
        format(low) == format(high) ? format(low) : $"{format(low)} to {format(high)}";

    /// <summary>
    /// A ratio of a distance to a tolerance: one decimal while that is readable, E notation from 10,000 on, where
    /// the digits before the point would only spell out rounding.
    /// </summary>
    internal static string Ratio(double v) => v < 1e4 ? I($"{v:F1}") : I($"{v:0.0e+0}");

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string I(FormattableString s) => ReportFormat.Invariant(s);
}
