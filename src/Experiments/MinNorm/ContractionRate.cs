namespace Engine.Experiments.MinNorm;

/// <summary>
/// What an error curve e_0, e_1, ... of gradient descent says about its contraction per step. The error is
/// <c>(I - A^T A / L)^k e_0</c>, a symmetric contraction, so <c>log e_k</c> is convex in k and the ratio
/// <c>e_{k+1} / e_k</c> only grows along the run, towards the rate of the slowest direction, which is the bound
/// <c>1 - lambda_min+ / L</c>: a mean over a short early window understates it, and the last step's ratio says whether
/// the run got there.
/// </summary>
/// <param name="Rate">
/// The geometric mean of <c>e_{k+1} / e_k</c> over steps <paramref name="Start"/> to <paramref name="End"/>; NaN when
/// that window has fewer than two steps.
/// </param>
/// <param name="Start">The window's first step: the first tenth of the steps up to <paramref name="End"/> is left out.</param>
/// <param name="End">The last step whose error is above <see cref="RoundingFraction"/> of the start (or the run's last step).</param>
/// <param name="LastStepRate"><c>e_End / e_{End-1}</c>; NaN when <paramref name="End"/> is 0.</param>
/// <param name="RoundingStep">The first step at which the error is at most <see cref="RoundingFraction"/> of its start; null when the run ended above it.</param>
public sealed record ContractionRate(double Rate, int Start, int End, double LastStepRate, int? RoundingStep)
{
    /// <summary>Below this fraction of its start the error is taken to be at rounding level: no step past it is fitted.</summary>
    public const double RoundingFraction = 1e-10;

    /// <summary>
    /// The rate counts as settled when the last step's contraction, <c>1 - LastStepRate</c>, is within this fraction
    /// of the window's, <c>1 - Rate</c>: the slowest direction then dominates the whole window.
    /// </summary>
    public const double SettledFraction = 0.01;

    /// <summary>The window has at least two steps, so <see cref="Rate"/> is a number.</summary>
    public bool Measured => double.IsFinite(Rate);

    /// <summary>The error fell to rounding level before a window of two steps: gradient descent converged too fast for a rate.</summary>
    public bool ConvergedAtOnce => !Measured && RoundingStep is not null;

    /// <summary>A measured rate whose last step contracts about as much as the window does on average.</summary>
    public bool Settled => Measured && 1 - LastStepRate >= (1 - SettledFraction) * (1 - Rate);

    /// <summary>Measures <paramref name="error"/> (e_0 first).</summary>
    public static ContractionRate Of(IReadOnlyList<double> error)
    {
        int end = 0;
        while (end + 1 < error.Count && error[end + 1] > RoundingFraction * error[0]) end++;
        // A NaN (a diverged run) stops the window too, but is not rounding.
        int? rounding = end + 1 < error.Count && error[end + 1] <= RoundingFraction * error[0] ? end + 1 : null;
        int start = end / 10;
        double rate = end - start < 2 ? double.NaN : Math.Pow(error[end] / error[start], 1.0 / (end - start));
        double last = end >= 1 ? error[end] / error[end - 1] : double.NaN;
        return new ContractionRate(rate, start, end, last, rounding);
    }
}
