using Engine.Kernels.Optimizers;
using Engine.Kernels.Random;
using Engine.Tests.Kernels.Elementwise;

namespace Engine.Tests.Kernels.Optimizers;

public class OptimizerUpdateTests
{
    /// <summary>
    /// At every width, whole lane sets and the partial last one agree bit for bit with the rule written out per element
    /// in single precision (no fused multiply-add).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(61)]
    public void Updates_are_the_scalar_rule_in_every_element_at_every_width(int length)
    {
        var sampler = new NormalSampler((ulong)length + 3);
        float[] p = new float[length], g = new float[length], b = new float[length], m = new float[length], v = new float[length];
        sampler.Fill(p); sampler.Fill(g); sampler.Fill(b); sampler.Fill(m);
        for (int i = 0; i < length; i++) v[i] = Math.Abs(b[i]);
        float c1 = (float)(1 / (1 - Math.Pow(0.9f, 3))), c2 = (float)(1 / (1 - Math.Pow(0.999f, 3)));
        KernelCases.AtEveryWidth(width =>
        {
            float[] p1 = (float[])p.Clone(), b1 = (float[])b.Clone();
            MomentumUpdate.Apply(p1, g, b1, 0.03f, 0.9f);
            float[] p2 = (float[])p.Clone(), m2 = (float[])m.Clone(), v2 = (float[])v.Clone();
            AdamUpdate.Apply(p2, g, m2, v2, 0.03f, step: 3);
            for (int i = 0; i < length; i++)
            {
                float buffer = 0.9f * b[i] + g[i];
                Assert.Equal(buffer, b1[i]);
                Assert.Equal(p[i] - 0.03f * buffer, p1[i]);
                float mi = 0.9f * m[i] + (1 - 0.9f) * g[i];
                float vi = 0.999f * v[i] + (1 - 0.999f) * (g[i] * g[i]);
                Assert.Equal(mi, m2[i]);
                Assert.Equal(vi, v2[i]);
                Assert.True(p[i] - 0.03f * (mi * c1) / (MathF.Sqrt(vi * c2) + 1e-8f) == p2[i], $"{width}: element {i}");
            }
        });
    }

    [Fact]
    public void Refuses_blocks_of_different_lengths_and_a_step_before_the_first()
    {
        float[] p = new float[8], g = new float[8];
        Assert.Throws<ArgumentException>(() => MomentumUpdate.Apply(p, g, new float[7], 0.1f, 0.9f));
        Assert.Throws<ArgumentException>(() => AdamUpdate.Apply(p, g, new float[8], new float[9], 0.1f, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AdamUpdate.Apply(p, g, new float[8], new float[8], 0.1f, 0));
    }
}
