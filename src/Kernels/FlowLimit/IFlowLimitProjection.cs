namespace Engine.Kernels.FlowLimit;

/// <summary>
/// A flow-limit solver for the initialization <c>x0 = a 1</c> at any scale a: what <see cref="FlowLimitSweep"/>
/// needs to walk a list of scales with warm starts.
/// </summary>
public interface IFlowLimitProjection
{
    /// <summary>n, the number of rows of A (the length of the dual variable).</summary>
    int Rows { get; }

    /// <summary>m, the number of columns of A (the length of w).</summary>
    int Columns { get; }

    /// <summary>The limit of the flow from <c>x0 = a 1</c>, starting Newton from <paramref name="dualStart"/> (length n, or empty for zero).</summary>
    FlowLimitResult Solve(double initialScale, ReadOnlySpan<double> dualStart = default);

    /// <summary>
    /// The concave dual objective at <paramref name="nu"/> (length n) for <c>x0 = a 1</c>, as
    /// <see cref="FlowLimitResult.DualObjective"/> defines it: larger is closer to the limit.
    /// </summary>
    double DualObjective(double initialScale, ReadOnlySpan<double> nu);
}
