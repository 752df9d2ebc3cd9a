using Engine.Experiments.GradCheck;

namespace Engine.Experiments;

/// <summary>
/// Every hand-written gradient of the engine; <c>engine gradcheck</c> and the tests run all of them. It lives above the
/// experiment folders, so that GradCheck/ (the checking itself) depends on none of them.
/// </summary>
public static class GradientChecks
{
    public static IReadOnlyList<IGradientCheck> All { get; } =
    [
        new Overparam.ShallowReluGradientCheck(),
        new MinNorm.LeastSquaresGradientCheck(),
        new ImplicitL1.FactorizedGradientCheck(),
        new MatrixCompletion.MatrixCompletionGradientCheck(),
    ];
}
