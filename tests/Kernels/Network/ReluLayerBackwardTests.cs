using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Network;
using Engine.Kernels.Optimizers;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;
using Engine.Tests.Kernels.Elementwise;

namespace Engine.Tests.Kernels.Network;

public class ReluLayerBackwardTests
{
    /// <summary>
    /// (m, n, D, r): the fused pass's m = n = 10 with hidden widths with and without a partial last vector and D with and
    /// without a remainder of five rows, and two shapes it does not take (m = 3, n = 4).
    /// </summary>
    public static TheoryData<int, int, int, int> Shapes { get; } = new()
    {
        { 10, 10, 1, 1 }, { 10, 10, 4, 7 }, { 10, 10, 150, 60 }, { 10, 10, 151, 100 }, { 10, 10, 12, 480 }, { 10, 10, 5, 16 },
        { 3, 10, 20, 33 }, { 10, 4, 9, 40 },
    };

    /// <summary>
    /// The fused pass (m = n = 10 at 512 bits) and the four calls it replaces give the same bits, at every width: hidden
    /// widths with and without a partial last vector, D with and without a remainder of five rows, both betas, and gu = U.
    /// A shape the pass does not take (m = 3) is the four calls too.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Is_the_four_products_bit_for_bit_at_every_width(int m, int n, int d, int r)
    {
        (float[] e, float[] u, float[] h, float[] x, float[] v) = Inputs(23, m, n, d, r);
        foreach (float beta in new[] { 0f, 1f })
        foreach (bool inPlace in beta == 1f ? new[] { true, false } : new[] { false })
        {
            (float[] gu, float[] gv) = Expected(m, n, d, r, e, u, h, x, v, beta, inPlace);
            KernelCases.AtEveryWidth(width =>
            {
                float[] uu = u.ToArray(), vv = v.ToArray(), dh = new float[m * r];
                float[] gu1 = inPlace ? uu : Draw(new NormalSampler(3), n * r, 1), gv1 = inPlace ? vv : Draw(new NormalSampler(4), d * r, 1);
                if (!inPlace && beta == 1f) { u.CopyTo(gu1, 0); v.CopyTo(gv1, 0); }
                ReluLayerBackward.Run(m, d, r, n, e, uu, h, x, dh, beta, gu1, gv1);
                KernelCases.BitEqual<float>(gu, gu1, width);
                KernelCases.BitEqual<float>(gv, gv1, width);
            });
        }
    }

    /// <summary>
    /// A momentum or Adam step through the backward pass (fused at m = n = 10 and 512 bits) gives the bits of the
    /// gradients formed at beta = 0 by the four calls and then the elementwise update, at every width, over three steps
    /// (so that the buffers and Adam's step count are past their first values).
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void An_optimizer_step_is_the_gradients_then_the_elementwise_update_bit_for_bit(int m, int n, int d, int r)
    {
        (float[] e, float[] u, float[] h, float[] x, float[] v) = Inputs(29, m, n, d, r);
        const float eta = 0.05f, mu = 0.9f;
        const int steps = 3;

        // Expected: the gradients by the four calls and the update, all at the scalar width.
        float[] uM = u.ToArray(), vM = v.ToArray(), bu = new float[n * r], bv = new float[d * r];
        float[] uA = u.ToArray(), vA = v.ToArray(), firstU = new float[n * r], firstV = new float[d * r], secondU = new float[n * r], secondV = new float[d * r];
        using (SimdDispatch.Force(VectorWidth.Scalar))
        {
            for (int step = 1; step <= steps; step++)
            {
                (float[] gu, float[] gv) = Expected(m, n, d, r, e, uM, h, x, vM, 0f, inPlace: false);
                MomentumUpdate.Apply(uM, gu, bu, eta, mu);
                MomentumUpdate.Apply(vM, gv, bv, eta, mu);
                (gu, gv) = Expected(m, n, d, r, e, uA, h, x, vA, 0f, inPlace: false);
                AdamUpdate.Apply(uA, gu, firstU, secondU, eta, step);
                AdamUpdate.Apply(vA, gv, firstV, secondV, eta, step);
            }
        }

        KernelCases.AtEveryWidth(width =>
        {
            float[] u1 = u.ToArray(), v1 = v.ToArray(), b1 = new float[n * r], b2 = new float[d * r];
            float[] u2 = u.ToArray(), v2 = v.ToArray(), m1 = new float[n * r], m2 = new float[d * r], s1 = new float[n * r], s2 = new float[d * r];
            float[] dh = new float[m * r], gu = new float[n * r], gv = new float[d * r];
            for (int step = 1; step <= steps; step++)
            {
                ReluLayerBackward.RunMomentum(m, d, r, n, e, u1, v1, h, x, dh, gu, gv, b1, b2, eta, mu);
                ReluLayerBackward.RunAdam(m, d, r, n, e, u2, v2, h, x, dh, gu, gv, m1, m2, s1, s2, eta, step);
            }
            KernelCases.BitEqual<float>(uM, u1, width);
            KernelCases.BitEqual<float>(vM, v1, width);
            KernelCases.BitEqual<float>(bu, b1, width);
            KernelCases.BitEqual<float>(bv, b2, width);
            KernelCases.BitEqual<float>(uA, u2, width);
            KernelCases.BitEqual<float>(vA, v2, width);
            KernelCases.BitEqual<float>(firstU, m1, width);
            KernelCases.BitEqual<float>(firstV, m2, width);
            KernelCases.BitEqual<float>(secondU, s1, width);
            KernelCases.BitEqual<float>(secondV, s2, width);
        });
    }

    [Fact]
    public void The_one_pass_form_runs_at_the_homeworks_batch_and_outputs_with_512_bit_vectors()
    {
        // On an AVX-512 machine (the project's own and CI's) the bit-for-bit tests above compare the one-pass form with
        // the four calls only if this holds.
        if (SimdDispatch.Hardware == VectorWidth.Vector512)
        {
            using (SimdDispatch.Force(VectorWidth.Vector512))
            {
                Assert.True(ReluLayerBackward.IsFused(10, 10));
                Assert.False(ReluLayerBackward.IsFused(3, 10));
                Assert.False(ReluLayerBackward.IsFused(10, 4));
            }
        }
        using (SimdDispatch.Force(VectorWidth.Vector256)) Assert.False(ReluLayerBackward.IsFused(10, 10));
    }

    [Fact]
    public void An_optimizer_step_refuses_state_of_the_wrong_size_and_scratch_that_shares_memory()
    {
        float[] e = new float[100], u = new float[160], v = new float[32], h = new float[160], x = new float[20], dh = new float[160];
        float[] gu = new float[160], gv = new float[32];
        // V shorter than D x r while gv has the right size.
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.RunMomentum(10, 2, 16, 10, e, u, new float[31], h, x, dh, gu, gv, new float[160], new float[31], 0.1f, 0.9f));
        // The gradients' scratch is U itself, or one of Adam's moments.
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.RunMomentum(10, 2, 16, 10, e, u, v, h, x, dh, u, gv, new float[160], new float[32], 0.1f, 0.9f));
        float[] second = new float[32];
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.RunAdam(10, 2, 16, 10, e, u, v, h, x, dh, gu, second, new float[160], new float[32],
            new float[160], second, 0.1f, 1));
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.RunMomentum(10, 2, 16, 10, e, u, v, h, x, dh, gu, gv, new float[160], new float[31], 0.1f, 0.9f));
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.RunAdam(10, 2, 16, 10, e, u, v, h, x, dh, gu, gv, new float[160], new float[32],
            new float[159], new float[32], 0.1f, 1));
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.RunMomentum(10, 2, 16, 10, e, u, v, h, x, dh, gu, new float[31], new float[160], new float[32], 0.1f, 0.9f));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReluLayerBackward.RunAdam(10, 2, 16, 10, e, u, v, h, x, dh, gu, gv, new float[160], new float[32],
            new float[160], new float[32], 0.1f, 0));
    }

    [Fact]
    public void Refuses_a_beta_other_than_zero_or_one_and_buffers_of_the_wrong_size()
    {
        float[] e = new float[100], u = new float[160], h = new float[160], x = new float[20], dh = new float[160], gv = new float[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => ReluLayerBackward.Run(10, 2, 16, 10, e, u, h, x, dh, 0.5f, u, gv));
        Assert.Throws<ArgumentException>(() => ReluLayerBackward.Run(10, 2, 16, 10, e, u, h, x, dh, 1f, u, new float[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReluLayerBackward.Run(0, 2, 16, 10, e, u, h, x, dh, 1f, u, gv));
    }

    /// <summary>The four calls, at the scalar width: dH = E U, gu = E^T H + beta gu, dZ = relu'(H) dH, gv = X^T dZ + beta gv.</summary>
    private static (float[] Gu, float[] Gv) Expected(int m, int n, int d, int r, float[] e, float[] u, float[] h, float[] x, float[] v, float beta, bool inPlace)
    {
        float[] gu = inPlace || beta == 1f ? u.ToArray() : new float[n * r], gv = inPlace || beta == 1f ? v.ToArray() : new float[d * r], dh = new float[m * r];
        using (Engine.Kernels.Simd.SimdDispatch.Force(Engine.Kernels.Simd.VectorWidth.Scalar))
        {
            Engine.Kernels.Gemm.Gemm.Multiply(Op.None, Op.None, m, r, n, 1f, e, n, u, r, 0f, dh, r);
            Engine.Kernels.Gemm.Gemm.Multiply(Op.Transpose, Op.None, n, r, m, 1f, e, n, h, r, beta, gu, r);
            Relu.Backward(h, dh, dh);
            Engine.Kernels.Gemm.Gemm.Multiply(Op.Transpose, Op.None, d, r, m, 1f, x, d, dh, r, beta, gv, r);
        }
        return (gu, gv);
    }

    /// <summary>E (small, as a scaled residual), U, H, X and V for one shape; H = relu(Z) has about half zeros, and a few negative zeros (masked like any zero).</summary>
    private static (float[] E, float[] U, float[] H, float[] X, float[] V) Inputs(ulong seed, int m, int n, int d, int r)
    {
        var sampler = new NormalSampler(seed, (ulong)(m * 1000 + r));
        float[] e = Draw(sampler, m * n, 1e-2f), u = Draw(sampler, n * r, 1), x = Draw(sampler, m * d, 1), v = Draw(sampler, d * r, 1);
        float[] h = Draw(sampler, m * r, 1);
        Relu.Forward(h, h);
        for (int i = 0; i < h.Length; i += 7) if (h[i] == 0) h[i] = -0f;
        return (e, u, h, x, v);
    }

    private static float[] Draw(NormalSampler sampler, int count, float scale)
    {
        var values = new float[count];
        sampler.Fill(values, 0f, scale);
        return values;
    }
}
