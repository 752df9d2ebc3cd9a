using System.Globalization;
using Engine.Experiments.Text;
using Engine.Kernels.Blas;

namespace Engine.Experiments.MinNorm;

/// <summary>The answer to homework 3, problem 2 (a)-(d), every statement checked against the run's numbers.</summary>
public static class MinNormConclusion
{
    /// <summary>Gradient descent from 0 ends at x_hat, to 1e-8 of the scale of the problem.</summary>
    public static bool ZeroRunReachesMinimumNorm(MinNormResult r) => r.DistanceFromZeroRun <= ZeroRunTolerance(r);

    /// <summary>x_hat solves A x = y: its residual is within 1e-8 of ||y|| (or of 1, for a small y).</summary>
    public static bool MinimumNormSolves(MinNormResult r) =>
        r.ResidualOfMinimumNorm <= 1e-8 * Math.Max(1, Blas1.Nrm2(r.Y));

    /// <summary>The tolerance of <see cref="ZeroRunReachesMinimumNorm"/>: 1e-8 of the problem's scale.</summary>
    public static double ZeroRunTolerance(MinNormResult r) => 1e-8 * Math.Max(1, r.DistanceFromRandomRun);

    /// <summary>
    /// Gradient descent from a random start ends at x_hat plus the start's null-space component (to 1e-8 of that
    /// component's norm): the point itself is checked, not only its distance to x_hat.
    /// </summary>
    public static bool RandomRunKeepsNullSpacePart(MinNormResult r) =>
        r.DistanceRandomRunToPredictedLimit <= 1e-8 * Math.Max(1, r.NullSpaceNormOfStart);

    /// <summary>The homework's smoothness condition (6), stated, for sentences that name it.</summary>
    public const string SmoothnessCondition = "(6), f(w) <= f(x) + <grad f(x), w - x> + ||w - x||^2/(2 eta) for all x and w,";

    /// <summary>
    /// The derivations the numbers of <see cref="Answer"/> check, (a) to (d) in order: the same for every instance, so
    /// they are text, with no number in them.
    /// </summary>
    public const string Reasons =
        "(a) With A of full row rank, A^T is one to one and A A^T invertible: the gradient A^T(Ax - y) vanishes exactly where "
        + "Ax = y, x_hat = A^T(AA^T)^-1 y is one such x, and adding any vector of null(A) gives them all. "
        + "(b) f(w) - f(x) - <grad f(x), w - x> = 1/2 ||A(w - x)||^2 <= lambda_max(A^T A)/2 ||w - x||^2, which is (6) for any eta <= 1/L. "
        + "(c) (6) at w = x - eta grad f(x) gives f(x_(k+1)) <= f(x_k) - eta/2 ||grad f(x_k)||^2: the squared gradient norms are summable, "
        + "so the gradients tend to 0; and with x_bar the solution that shares x_0's null-space component, x_(k+1) - x_bar = "
        + "(I - eta A^T A)(x_k - x_bar), an error in row(A) that shrinks by a factor of at most 1 - lambda_min+/L per step, so the iterates converge "
        + "to x_bar, a critical point, which for a convex f is a global minimizer. (d) Every step adds -eta A^T(Ax - y), a vector of row(A), so the null-space "
        + "component of x0 never changes: from x0 = 0 the limit is the solution in row(A), which is x_hat, the solution of least norm "
        + "(any other solution adds a null-space vector orthogonal to it).";

    /// <summary>The solutions, the smoothness constant, the limits from 0 and from a random start, and the observed rate against its bound.</summary>
    public static string Answer(MinNormResult r) => r.DivergedAtStep is int step
        ? I($"Gradient descent with eta = 1/L = {r.Eta:G4} diverged: its error is not finite from step {step} on, so L = {r.L:G4} is not the smoothness constant of this instance; no conclusion.")
        : (MinimumNormSolves(r)
            ? I($"The solutions are x_hat + null(A) with x_hat = A^T(AA^T)^-1 y (residual {r.ResidualOfMinimumNorm:0.0e+0}). ")
            : I($"x_hat = A^T(AA^T)^-1 y does NOT solve A x = y here (residual {r.ResidualOfMinimumNorm:0.0e+0}, over 1e-8 of ||y||): A may lack full row rank, and the solutions are not x_hat + null(A). "))
        + I($"The smoothness condition {SmoothnessCondition} holds with eta = 1/L, L = lambda_max(A^T A) = {r.L:G4}. ")
        + (ZeroRunReachesMinimumNorm(r) ? I($"From x0 = 0 gradient descent ends {r.DistanceFromZeroRun:0.0e+0} from x_hat: it converges to the minimum-l2-norm solution. ")
                                        : I($"From x0 = 0 gradient descent ends {r.DistanceFromZeroRun:0.0e+0} from x_hat, NOT at the minimum-norm solution within {ZeroRunTolerance(r):0.0e+0}. "))
        + (RandomRunKeepsNullSpacePart(r)
            ? I($"From a random start it ends {r.DistanceRandomRunToPredictedLimit:0.0e+0} from x_hat plus the start's null-space component, which gradient descent never changes: {r.DistanceFromRandomRun:G6} from x_hat, which is the norm of that component ({r.NullSpaceNormOfStart:G6}). ")
            : I($"From a random start it ends {r.DistanceRandomRunToPredictedLimit:0.00e+0} from x_hat plus the start's null-space component ({r.DistanceFromRandomRun:G4} from x_hat, against the component's norm {r.NullSpaceNormOfStart:G4}): not where gradient descent should end. "))
        + RateSentence(r);

    /// <summary>What the run from a random start says about the rate, against the bound, in one sentence.</summary>
    private static string RateSentence(MinNormResult r)
    {
        ContractionRate c = r.RateFromRandom;
        string bound = I($"the bound 1 - lambda_min+/L = {RateText(r.RateBound, 4)}");
        if (c.ConvergedAtOnce)
            return I($"From a random start the error is below {ContractionRate.RoundingFraction:0e+0} of its start at step {c.RoundingStep}: gradient descent converged to rounding in {CountText.Of(c.RoundingStep!.Value, "step")}, too fast for a rate per step to be measured; {bound}.");
        if (!c.Measured)
            return I($"The rate per step is not measurable from {CountText.Of(r.Steps, "step")} ({RateRequirement}); {bound}.");
        if (c.Settled)
            return I($"The error contracts by {RateText(c.Rate, 6)} per step (geometric mean over steps {c.Start:N0} to {c.End:N0} of the run from a random start), against the bound 1 - lambda_min+/L = {RateText(r.RateBound, 6)}.");
        string growing = I($"Over steps {c.Start:N0} to {c.End:N0} the error from a random start contracts by {RateText(c.Rate, 4)} per step on average, but its ratio per step is still growing at the last of them ({RateText(c.LastStepRate, 4)}): ");
        // A window cut short by rounding is not a short run: more steps only add steps at rounding level.
        return growing + (c.RoundingStep is int rounding
            ? I($"the error fell to rounding level ({ContractionRate.RoundingFraction:0e+0} of its start) at step {rounding:N0}, before the faster directions had died out of the average, so no longer run measures the rate of the slowest direction more closely; that rate is {bound}.")
            : I($"the run is too short for the ratio to reach that of the slowest direction, which tends to {bound}."));
    }

    /// <summary>
    /// One run's rate for the console line: the rate and its window, whether it was still growing, or why there is none.
    /// </summary>
    public static string RateSummary(ContractionRate c, int steps) =>
        c.ConvergedAtOnce ? $"converged to rounding in {CountText.Of(c.RoundingStep!.Value, "step")}"
        : !c.Measured ? $"not measurable from {CountText.Of(steps, "step")} ({RateRequirement})"
        : c.Settled ? I($"{RateText(c.Rate, 6)} (steps {c.Start:N0} to {c.End:N0})")
        : I($"{RateText(c.Rate, 6)} (steps {c.Start:N0} to {c.End:N0}, still growing: {RateText(c.LastStepRate, 6)} at the last{(c.RoundingStep is int k ? I($", rounding level from step {k:N0}") : "")})");

    /// <summary>
    /// A contraction rate to <paramref name="digits"/> decimals, or as "1 - 3.21e-7" where those decimals would round it
    /// to 1 (a badly conditioned A): the distance from 1 is the figure that matters there.
    /// </summary>
    public static string RateText(double rate, int digits) =>
        double.IsFinite(rate) && rate < 1 && Math.Round(rate, digits) >= 1
            ? ReportFormat.Invariant($"1 - {1 - rate:0.00e+0}")
            : rate.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>What a measurable rate needs, in words, for the sentences that say it is not measurable.</summary>
    public const string RateRequirement = "a rate needs at least 2 steps";

    private static string I(FormattableString s) => ReportFormat.Invariant(s);
}
