using Engine.Experiments.GradCheck;
using Engine.Kernels.Calculus;
using Engine.Kernels.Random;

namespace Engine.Experiments.MinNorm;

/// <summary>The gradient <c>A^T (A x - y)</c> that gradient descent of problem 2 (a)-(d) steps along, on a random 5 x 11 instance.</summary>
public sealed class LeastSquaresGradientCheck : IGradientCheck
{
    public string Name => "under-determined least squares (HW3 2(a)-(d)): 1/2 ||Ax - y||^2";

    public IReadOnlyList<GradientBlock> Draw(NormalSampler sampler)
    {
        var problem = MinNormProblem.Random(5, 11, sampler.Split(0));
        var x = new double[problem.Cols];
        sampler.Split(1).Fill(x);
        var gradient = new double[x.Length];
        problem.Gradient(x, gradient);
        return [new GradientBlock($"x ({x.Length})", x, problem.Objective, gradient, new DerivativeCheckOptions { Seed = sampler.Split(2).NextUInt64() })];
    }
}
