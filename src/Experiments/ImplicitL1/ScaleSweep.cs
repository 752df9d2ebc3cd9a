using Engine.Kernels.FlowLimit;

namespace Engine.Experiments.ImplicitL1;

/// <summary>
/// The flow limit's distance to the minimum-l1 solution over a sweep of initialization scales, and the largest scale
/// from which the limit matches that solution.
/// </summary>
/// <param name="Scales">The swept a, largest first.</param>
/// <param name="Distances"><c>max_i |w_inf(a)_i - w_l1_i|</c> at each scale.</param>
/// <param name="Tolerance">The absolute tolerance of a match.</param>
/// <param name="LargestMatchingScale">
/// The largest a from which the limit matches and keeps matching for every smaller swept a, refined by bisection in
/// log a between that sweep point and the next larger one; NaN when even the smallest swept a does not match.
/// </param>
/// <param name="AllConverged">Whether every solve met the flow-limit solver's stopping rule.</param>
/// <param name="L1Norms"><c>||w_inf(a)||_1</c> at each scale.</param>
public sealed record ScaleSweep(double[] Scales, double[] Distances, double Tolerance, double LargestMatchingScale, bool AllConverged, double[] L1Norms)
{
    /// <summary>Whether some swept scale matches (so <see cref="LargestMatchingScale"/> is a number).</summary>
    public bool Resolved => double.IsFinite(LargestMatchingScale);

    /// <summary>Whether the largest swept scale already matches (the threshold is at or above the sweep's top).</summary>
    public bool MatchesAtTop => Resolved && LargestMatchingScale >= Scales[0];

    /// <summary>The bisection steps that refine the threshold between two swept scales.</summary>
    private const int BisectionSteps = 30;

    /// <summary>
    /// Solves the limit at every scale of <paramref name="scales"/> (largest first) and finds the matching threshold.
    /// <paramref name="progress"/> receives the fraction of the solves done after each one, adding up to 1 (the
    /// bisection's share at once when there is none to do).
    /// </summary>
    public static ScaleSweep Run(IFlowLimitProjection projection, double[] scales, double[] target, double tolerance, Action<double>? progress = null)
    {
        double share = 1.0 / (scales.Length + BisectionSteps);
        FlowLimitResult[] limits = FlowLimitSweep.Run(projection, scales, progress is null ? null : () => progress(share));
        double[] distances = limits.Select(l => Distance.MaxAbs(l.W, target)).ToArray();
        double[] norms = limits.Select(l => l.W.Sum(Math.Abs)).ToArray();
        bool converged = limits.All(l => l.Converged);
        int first = distances.Length;
        while (first > 0 && distances[first - 1] <= tolerance) first--;
        double threshold = double.NaN;
        if (first == 0)
        {
            threshold = scales[0];
            progress?.Invoke(BisectionSteps * share);
        }
        else if (first < distances.Length)
        {
            // Bisect log a between the last non-matching point (above) and the first of the matching tail (below).
            double above = Math.Log(scales[first - 1]), below = Math.Log(scales[first]);
            double[] nu = limits[first].Nu;
            for (int k = 0; k < BisectionSteps; k++)
            {
                double middle = 0.5 * (above + below);
                FlowLimitResult limit = projection.Solve(Math.Exp(middle), nu);
                converged &= limit.Converged;
                if (Distance.MaxAbs(limit.W, target) <= tolerance)
                {
                    below = middle;
                    nu = limit.Nu;
                }
                else above = middle;
                progress?.Invoke(share);
            }
            threshold = Math.Exp(below);
        }
        else progress?.Invoke(BisectionSteps * share);
        return new ScaleSweep(scales, distances, tolerance, threshold, converged, norms);
    }
}

/// <summary>Distances between solutions, in the largest-coordinate norm the experiment judges matches by.</summary>
public static class Distance
{
    /// <summary><c>max_i |a_i - b_i|</c>; NaN when either has a non-finite entry.</summary>
    public static double MaxAbs(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double d = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double e = Math.Abs(a[i] - b[i]);
            if (double.IsNaN(e)) return double.NaN;
            d = Math.Max(d, e);
        }
        return d;
    }
}
