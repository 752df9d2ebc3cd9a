using Engine.Experiments.GradCheck;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The gradient of the training objective of problem 2, (1 / 2m) sum_i ||y_i - U relu(V^T x_i)||^2, for the U
/// and V blocks, against central differences in double precision on a random instance.
/// </summary>
/// <remarks>
/// The objective is not differentiable where a pre-activation z = v_j^T x_i is zero. Perturbing an entry of V by h
/// moves z by at most h max|x|, so an instance is redrawn while some |z| is below <see cref="KinkMargin"/> times that;
/// then no difference quotient straddles a kink. Away from the kinks the objective is a quadratic in each
/// coordinate, so central differences are exact up to rounding, and the step is chosen large to keep rounding small.
/// </remarks>
public sealed class ShallowReluGradientCheck : IGradientCheck
{
    public const double KinkMargin = 4;
    public const double Step = 1e-3;
    public const double Tolerance = 1e-5;

    public string Name => "planted network: (1/2m) sum ||y - U relu(V^T x)||^2";

    /// <summary>A random shape (m, D, r, n small) and a random instance of it.</summary>
    public IReadOnlyList<GradientBlockCheck> Run(NormalSampler sampler) =>
        Check(sampler, 1 + sampler.NextInt(8), 1 + sampler.NextInt(12), 1 + sampler.NextInt(10), 1 + sampler.NextInt(5));

    /// <summary>Checks both blocks on a random instance of the given shape, drawn from <paramref name="sampler"/>.</summary>
    public static IReadOnlyList<GradientBlockCheck> Check(NormalSampler sampler, int m, int d, int r, int n)
    {
        var x = new double[m * d];
        var y = new double[m * n];
        var u = new double[n * r];
        var v = new double[d * r];
        for (int attempt = 0; ; attempt++)
        {
            sampler.Fill(x);
            sampler.Fill(y);
            sampler.Fill(u, 0, 1 / Math.Sqrt(r));
            sampler.Fill(v, 0, 1 / Math.Sqrt(d));
            double nearest = ShallowReluObjective.PreActivations(x, v, m, d, r).Min(Math.Abs);
            if (nearest > KinkMargin * Step * x.Max(Math.Abs)) break;
            if (attempt == 100) throw new InvalidOperationException("could not draw an instance away from the ReLU kinks.");
        }
        var du = new double[n * r];
        var dv = new double[d * r];
        ShallowReluObjective.ValueAndGradient(x, y, u, v, m, d, r, n, du, dv);
        double Objective() => ShallowReluObjective.Value(x, y, u, v, m, d, r, n);
        return
        [
            FiniteDifference.Check($"U ({n}x{r})", Objective, u, du, Tolerance, Step),
            FiniteDifference.Check($"V ({d}x{r})", Objective, v, dv, Tolerance, Step),
        ];
    }
}
