namespace Engine.Kernels.FlowLimit;

/// <summary>The flow limit along a list of initialization scales, each solve warm-started from the ones before it.</summary>
/// <remarks>
/// As a shrinks the dual variable grows like <c>L nu_LP + nu_0</c> with <c>L = log(1/a^2)</c>, where nu_LP solves
/// the dual of the minimum-l1 linear program: it is asymptotically linear in L. Each solve therefore starts from
/// the linear extrapolation in L of the previous two duals (the previous dual alone for the second point), which
/// is already close for a list spaced evenly in log a, unless the previous dual has the higher objective.
/// </remarks>
public static class FlowLimitSweep
{
    /// <summary>
    /// Solves <paramref name="projection"/> for every scale in <paramref name="initialScales"/> (in the given order,
    /// decreasing being the intended use) and returns the results in the same order. <paramref name="solved"/>, when
    /// given, is called after each solve: at large sizes a solve takes a second or more.
    /// </summary>
    public static FlowLimitResult[] Run(IFlowLimitProjection projection, IReadOnlyList<double> initialScales, Action? solved = null)
    {
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(initialScales);
        var results = new FlowLimitResult[initialScales.Count];
        var extrapolated = new double[projection.Rows];
        for (int q = 0; q < results.Length; q++)
        {
            ReadOnlySpan<double> start = default;
            if (q >= 1)
            {
                double[] previous = results[q - 1].Nu;
                start = previous;
                if (q >= 2)
                {
                    double l0 = LogInversePrior(initialScales[q - 2]), l1 = LogInversePrior(initialScales[q - 1]), l2 = LogInversePrior(initialScales[q]);
                    double ratio = l1 != l0 ? (l2 - l1) / (l1 - l0) : 0;
                    double[] before = results[q - 2].Nu;
                    for (int i = 0; i < extrapolated.Length; i++) extrapolated[i] = previous[i] + ratio * (previous[i] - before[i]);
                    // Directions of nu that only negligible weights see are pinned down loosely by the stopping rule, and
                    // extrapolating their drift can overshoot; the dual objective decides between the two starts.
                    if (projection.DualObjective(initialScales[q], extrapolated) >= projection.DualObjective(initialScales[q], previous))
                        start = extrapolated;
                }
            }
            results[q] = projection.Solve(initialScales[q], start);
            solved?.Invoke();
        }
        return results;
    }

    private static double LogInversePrior(double initialScale) => -2 * Math.Log(initialScale);
}
