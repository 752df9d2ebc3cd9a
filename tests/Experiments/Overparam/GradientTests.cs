using Engine.Experiments.GradCheck;
using Engine.Experiments.Overparam;
using Engine.Kernels.Calculus;
using Engine.Kernels.Random;
using FsCheck.Xunit;

namespace Engine.Tests.Experiments.Overparam;

public class GradientTests
{
    [Property(MaxTest = 100)]
    public void GradientMatchesFiniteDifferencesOnRandomShapes(byte m, byte d, byte r, byte n, ulong seed)
    {
        foreach (GradientBlock block in ShallowReluGradientCheck.Draw(new NormalSampler(seed), 1 + m % 9, 1 + d % 17, 1 + r % 13, 1 + n % 6))
        {
            DerivativeCheckResult result = block.Check();
            Assert.True(result.Passed, $"{block.Name}\n{result}");
        }
    }

    [Fact]
    public void SinglePrecisionStepMovesAlongTheDoublePrecisionGradient()
    {
        int m = 5, d = 9, r = 7, n = 3;
        var sampler = new NormalSampler(31);
        var network = ShallowReluNetwork.Initialize(sampler, d, r, n);
        float[] x = new float[m * d], y = new float[m * n];
        sampler.Fill(x);
        sampler.Fill(y);
        double[] u0 = network.U.ToArray().Select(v => (double)v).ToArray(), v0 = network.V.ToArray().Select(v => (double)v).ToArray();
        double[] du = new double[n * r], dv = new double[d * r];
        double expected = ShallowReluObjective.ValueAndGradient(x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray(),
            u0, v0, m, d, r, n, du, dv);

        const float eta = 0.05f;
        double objective = new SgdStep(network, m).Apply(x, y, eta);

        Assert.Equal(expected, objective, 1e-5 * Math.Max(1, expected));
        for (int i = 0; i < u0.Length; i++) Assert.Equal(u0[i] - eta * du[i], network.U[i], 1e-5);
        for (int i = 0; i < v0.Length; i++) Assert.Equal(v0[i] - eta * dv[i], network.V[i], 1e-5);
    }

    [Fact]
    public void FlopCountOfAStepAtWidth480()
    {
        // 2 m (D r + r n) forward + 2 m (n r + n r + D r) backward at m = 10, D = 150, n = 10, r = 480.
        Assert.Equal(2L * 10 * (150 * 480 + 480 * 10) + 2L * 10 * (10 * 480 + 10 * 480 + 150 * 480), SgdStep.FlopsPerStep(10, 150, 480, 10));
        Assert.Equal(3_168_000L, SgdStep.FlopsPerStep(10, 150, 480, 10));
    }
}
