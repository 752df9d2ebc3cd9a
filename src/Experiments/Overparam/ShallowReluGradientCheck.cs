using Engine.Experiments.GradCheck;
using Engine.Kernels.Calculus;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The gradient of the training objective of problem 2, (1 / 2m) sum_i ||y_i - U relu(V^T x_i)||^2, for the U
/// and V blocks, on a random instance in double precision.
/// </summary>
/// <remarks>
/// The objective is not differentiable where a pre-activation z_ij = x_i^T v_j is zero. Every displacement the check
/// makes moves coordinate k of V by at most <see cref="RelativeStep"/> max(|V_k|, 1), along a coordinate or a random
/// direction alike, so z_ij moves by at most that step times sum_k |x_ik| max(|V_kj|, 1). An instance is redrawn
/// while some |z_ij| is within <see cref="KinkMargin"/> times that reach; then no difference straddles a kink. Away
/// from the kinks the objective is quadratic in each block, so the differences have no truncation error and a step
/// smaller than the default costs only rounding, which the derived tolerance accounts for.
/// </remarks>
public sealed class ShallowReluGradientCheck : IGradientCheck
{
    public const double KinkMargin = 2;
    public const double RelativeStep = 1e-4;

    public string Name => "planted network: (1/2m) sum ||y - U relu(V^T x)||^2";

    /// <summary>A random shape (m, D, r, n small) and a random instance of it.</summary>
    public IReadOnlyList<GradientBlock> Draw(NormalSampler sampler) =>
        Draw(sampler, 1 + sampler.NextInt(8), 1 + sampler.NextInt(12), 1 + sampler.NextInt(10), 1 + sampler.NextInt(5));

    /// <summary>Both blocks of a random instance of the given shape, drawn from <paramref name="sampler"/>.</summary>
    public static IReadOnlyList<GradientBlock> Draw(NormalSampler sampler, int m, int d, int r, int n)
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
            if (ClearOfKinks(x, v, m, d, r)) break;
            if (attempt == 100) throw new InvalidOperationException("could not draw an instance away from the ReLU kinks.");
        }
        var du = new double[n * r];
        var dv = new double[d * r];
        ShallowReluObjective.ValueAndGradient(x, y, u, v, m, d, r, n, du, dv);
        var options = new DerivativeCheckOptions { Seed = sampler.NextUInt64(), RelativeStep = RelativeStep };
        return
        [
            new GradientBlock($"U ({n} x {r})", u, point => ShallowReluObjective.Value(x, y, point, v, m, d, r, n), du, options),
            new GradientBlock($"V ({d} x {r})", v, point => ShallowReluObjective.Value(x, y, u, point, m, d, r, n), dv, options with { Seed = options.Seed + 1 }),
        ];
    }

    /// <summary>Whether every pre-activation is further from zero than <see cref="KinkMargin"/> times the most a probe can move it.</summary>
    private static bool ClearOfKinks(double[] x, double[] v, int m, int d, int r)
    {
        double[] z = ShallowReluObjective.PreActivations(x, v, m, d, r);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < r; j++)
            {
                double reach = 0;
                for (int k = 0; k < d; k++) reach += Math.Abs(x[i * d + k]) * Math.Max(Math.Abs(v[k * r + j]), 1);
                if (!(Math.Abs(z[i * r + j]) > KinkMargin * RelativeStep * reach)) return false;
            }
        return true;
    }
}
