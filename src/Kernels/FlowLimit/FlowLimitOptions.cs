namespace Engine.Kernels.FlowLimit;

/// <summary>Stopping rule and iteration limit of the flow-limit solvers.</summary>
/// <param name="Tolerance">
/// The solvers stop once the relative KKT residual <c>||A w - y|| / ||y||</c> is at most this. Stationarity
/// holds by construction (w is built from the dual variable), so this is the whole optimality test.
/// </param>
/// <param name="MaxIterations">Newton iterations after which a solve gives up and reports that it did not converge.</param>
public sealed record FlowLimitOptions(double Tolerance = 1e-12, int MaxIterations = 500)
{
    /// <summary>The default rule: relative residual 1e-12, at most 500 Newton iterations.</summary>
    public static FlowLimitOptions Default { get; } = new();
}
