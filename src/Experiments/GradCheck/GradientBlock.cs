using Engine.Kernels.Calculus;

namespace Engine.Experiments.GradCheck;

/// <summary>
/// One parameter block of a drawn instance: the objective as a function of this block alone (the other blocks held
/// fixed), the point, the hand-written gradient there, and how <see cref="GradientCheck"/> probes it.
/// </summary>
/// <param name="Name">The block as the text names it, with its shape, e.g. "V (12 x 7)".</param>
/// <param name="Point">The block's values; the check displaces them in place and restores them exactly.</param>
/// <param name="Objective">The objective, reading the block from the span it is given.</param>
/// <param name="Gradient">The hand-written gradient of the objective with respect to the block, at <paramref name="Point"/>.</param>
/// <param name="Options">The probe: its seed, and a step where the objective's smoothness needs one.</param>
public sealed record GradientBlock(string Name, double[] Point, ScalarFunction Objective, double[] Gradient, DerivativeCheckOptions Options)
{
    /// <summary>Checks <see cref="Gradient"/>, or <paramref name="claimed"/> in its place, against finite differences.</summary>
    public DerivativeCheckResult Check(double[]? claimed = null) => GradientCheck.Run(Objective, Point, claimed ?? Gradient, Options);
}
