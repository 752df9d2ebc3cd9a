using Engine.Experiments.GradCheck;
using Engine.Kernels.Calculus;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>The gradient <c>2 P_Omega(U U^T - Y) U</c> of problem (12), at D = 7, rank 2, half the pairs observed.</summary>
public sealed class MatrixCompletionGradientCheck : IGradientCheck
{
    public string Name => "matrix completion: 1/2 sum_Omega ((U U^T)_ij - Y_ij)^2";

    public IReadOnlyList<GradientBlock> Draw(NormalSampler sampler)
    {
        const int d = 7;
        var instance = CompletionInstance.Draw(d, 2, 0.5, sampler.Split(0));
        var u = new double[d * d];
        sampler.Split(1).Fill(u);
        var gd = new SymmetricFactorizationDescent(instance.Y, instance.Observed, d);
        var gradient = new double[d * d];
        gd.Gradient(u, gradient);
        return [new GradientBlock($"U ({d} x {d})", u, gd.Loss, gradient, new DerivativeCheckOptions { Seed = sampler.Split(2).NextUInt64() })];
    }
}
