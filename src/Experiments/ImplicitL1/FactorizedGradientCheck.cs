using Engine.Experiments.GradCheck;
using Engine.Kernels.Calculus;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;

namespace Engine.Experiments.ImplicitL1;

/// <summary>The gradient of (9), <c>2 x ⊙ A^T (A (x ⊙ x) - y)</c>, on a 7 x 13 instance of problem 2(e).</summary>
public sealed class FactorizedGradientCheck : IGradientCheck
{
    public string Name => "factorized least squares (HW3 2(e)): 1/2 ||A(x⊙x) - y||^2";

    public IReadOnlyList<GradientBlock> Draw(NormalSampler sampler)
    {
        var problem = ImplicitL1Problem.Generate(7, 13, 4, sampler);
        var gd = new FactorizedLeastSquaresDescent(problem.A, problem.Rows, problem.Cols, problem.Y);
        var x = new double[problem.Cols];
        sampler.Fill(x);
        var gradient = new double[x.Length];
        gd.Gradient(x, gradient);
        return [new GradientBlock($"x ({x.Length})", x, gd.Objective, gradient, new DerivativeCheckOptions { Seed = sampler.NextUInt64() })];
    }
}
