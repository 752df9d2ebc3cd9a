using Engine.Kernels.Gemm;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Gemm;

/// <summary>
/// Same bits everywhere: every micro-kernel, and the small kernels' broadcast form, accumulate each element of C over
/// the kc blocks of k in order with fused multiply-adds (the reference below, written from that definition), and the
/// dispatched product gives the same bits at every vector width.
/// </summary>
public class GemmDeterminismTests
{
    // Shapes around the tiles (12 x 32, 6 x 16, 4 x 4; the broadcast tiles of 1 to 5 rows by 1 to 4 vectors, with and
    // without a partial last vector), the kc block (k = 256, 257, 600), the mc block (m = 490 > MC = 480) and products of
    // at most four elements (computed in scalars), over one and several kc blocks; rows of six vectors with and without
    // a partial last one (a strip of four, then the rest in one strip).
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 5, 7, 3 }, { 12, 32, 256 }, { 13, 33, 257 }, { 10, 480, 150 }, { 25, 70, 600 }, { 7, 5, 1 }, { 61, 97, 300 },
        { 4, 60, 10 }, { 9, 120, 17 }, { 8, 48, 5 }, { 3, 16, 7 }, { 2, 100, 3 }, { 6, 64, 2 }, { 490, 33, 260 }, { 1, 3, 300 }, { 2, 2, 513 }, { 3, 90, 7 }, { 10, 150, 10 }, { 6, 96, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_micro_kernel_and_the_broadcast_tiles_match_the_sequential_reference(int m, int n, int k)
    {
        foreach (Op opA in new[] { Op.None, Op.Transpose })
        foreach (Op opB in new[] { Op.None, Op.Transpose })
        foreach (float beta in new[] { 0f, 0.5f, 1f })
        // alpha = 1 runs the broadcast tiles' form that skips the multiply (the trainer's products).
        foreach (float alpha in new[] { 1.5f, 1f })
        {
            var (a, b, c0) = Operands<float>(opA, opB, m, n, k, 3);
            var (ad, bd, cd0) = Operands<double>(opA, opB, m, n, k, 4);
            float[] expected = Reference(opA, opB, m, n, k, alpha, a, b, beta, c0);
            double[] expectedD = Reference(opA, opB, m, n, k, -0.75, ad, bd, beta, cd0);
            KernelCases.AtEveryWidth(width =>
            {
                // The packed product picks the widest micro-kernel the forced width allows: each one in turn.
                float[] c = c0.ToArray();
                GemmPacked.Multiply(opA, opB, m, n, k, alpha, a, opA == Op.None ? k : m, b, opB == Op.None ? n : k, beta, c, n);
                KernelCases.BitEqual<float>(expected, c, width);
                double[] cd = cd0.ToArray();
                GemmPacked.Multiply(opA, opB, m, n, k, -0.75, ad, opA == Op.None ? k : m, bd, opB == Op.None ? n : k, beta, cd, n);
                KernelCases.BitEqual<double>(expectedD, cd, width);
                if (opB == Op.None)
                {
                    c = c0.ToArray();
                    GemmSmall.Multiply(opA, opB, m, n, k, alpha, a, opA == Op.None ? k : m, b, n, beta, c, n);
                    KernelCases.BitEqual<float>(expected, c, width);
                }
            });
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_dispatched_product_is_the_same_at_every_width(int m, int n, int k)
    {
        foreach (Op opA in new[] { Op.None, Op.Transpose })
        foreach (Op opB in new[] { Op.None, Op.Transpose })
        {
            var (a, b, c0) = Operands<float>(opA, opB, m, n, k, 5);
            var (ad, bd, cd0) = Operands<double>(opA, opB, m, n, k, 6);
            (float[], double[]) Run()
            {
                float[] c = c0.ToArray();
                Engine.Kernels.Gemm.Gemm.Multiply(opA, opB, m, n, k, 1f, a, opA == Op.None ? k : m, b, opB == Op.None ? n : k, 0.25f, c, n);
                double[] cd = cd0.ToArray();
                Engine.Kernels.Gemm.Gemm.Multiply(opA, opB, m, n, k, 1.0, ad, opA == Op.None ? k : m, bd, opB == Op.None ? n : k, 0.0, cd, n);
                // The small kernels directly too: their dot-product form (op(B) = B^T) has its own lane order.
                float[] cs = c0.ToArray();
                GemmSmall.Multiply(opA, opB, m, n, k, 1f, a, opA == Op.None ? k : m, b, opB == Op.None ? n : k, 0f, cs, n);
                return ([.. c, .. cs], cd);
            }
            (float[] f, double[] d) reference;
            using (SimdDispatch.Force(VectorWidth.Scalar)) reference = Run();
            KernelCases.AtEveryWidth(width =>
            {
                (float[] f, double[] d) = Run();
                KernelCases.BitEqual<float>(reference.f, f, width);
                KernelCases.BitEqual<double>(reference.d, d, width);
            });
        }
    }

    /// <summary>
    /// Dot products (op(B) = B^T) of at most four elements take a path of their own; each element of a product is
    /// computed on its own, so the same rows of A and B inside a product too large for that path (5 x 5, the tiles)
    /// give the bits it must give. Zeros of both signs are among the values: a lane's sum of -0 is where orders of
    /// additions show.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1, 16)]
    [InlineData(2, 2, 17)]
    [InlineData(1, 4, 5)]
    [InlineData(4, 1, 300)]
    [InlineData(2, 1, 600)]
    public void A_tiny_dot_product_matches_the_same_rows_in_a_larger_product(int m, int n, int k)
    {
        foreach (float beta in new[] { 0f, 1f, 0.5f })
        {
            var (a5, b5, c5) = Operands<float>(Op.None, Op.Transpose, 5, 5, k, 7);
            var (a5d, b5d, c5d) = Operands<double>(Op.None, Op.Transpose, 5, 5, k, 8);
            for (int p = 0; p < k; p += 3) { a5[p] = -0f; a5d[p] = -0.0; }
            for (int p = 1; p < k; p += 4) { b5[p] = 0f; b5d[p] = 0.0; }
            KernelCases.AtEveryWidth(width =>
            {
                float[] big = c5.ToArray();
                GemmSmall.Multiply(Op.None, Op.Transpose, 5, 5, k, 1.5f, a5, k, b5, k, beta, big, 5);
                float[] small = new float[m * n];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) small[i * n + j] = c5[i * 5 + j];
                GemmSmall.Multiply(Op.None, Op.Transpose, m, n, k, 1.5f, a5.AsSpan(0, m * k), k, b5.AsSpan(0, n * k), k, beta, small, n);
                double[] bigD = c5d.ToArray();
                GemmSmall.Multiply(Op.None, Op.Transpose, 5, 5, k, -0.75, a5d, k, b5d, k, (double)beta, bigD, 5);
                double[] smallD = new double[m * n];
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) smallD[i * n + j] = c5d[i * 5 + j];
                GemmSmall.Multiply(Op.None, Op.Transpose, m, n, k, -0.75, a5d.AsSpan(0, m * k), k, b5d.AsSpan(0, n * k), k, (double)beta, smallD, n);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(big[i * 5 + j]), BitConverter.SingleToInt32Bits(small[i * n + j]));
                        Assert.Equal(BitConverter.DoubleToInt64Bits(bigD[i * 5 + j]), BitConverter.DoubleToInt64Bits(smallD[i * n + j]));
                    }
            });
        }
    }

    private static (T[] A, T[] B, T[] C) Operands<T>(Op opA, Op opB, int m, int n, int k, ulong seed) where T : struct
    {
        var sampler = new NormalSampler(seed);
        var a = new double[m * k];
        var b = new double[k * n];
        var c = new double[m * n];
        sampler.Fill(a);
        sampler.Fill(b);
        sampler.Fill(c);
        T[] Cast(double[] v) => typeof(T) == typeof(float) ? (T[])(object)Array.ConvertAll(v, x => (float)x) : (T[])(object)v;
        return (Cast(a), Cast(b), Cast(c));
    }

    /// <summary>The definition: per element and kc block, acc = fma(op(A)(i, p), op(B)(p, j), acc) from zero, then C = alpha acc (+ beta C, 1 C after the first block) rounded once.</summary>
    private static float[] Reference(Op opA, Op opB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c0)
    {
        double[] r = Reference(opA, opB, m, n, k, alpha, Array.ConvertAll(a, x => (double)x), Array.ConvertAll(b, x => (double)x), beta,
            Array.ConvertAll(c0, x => (double)x), single: true);
        return Array.ConvertAll(r, x => (float)x);
    }

    private static double[] Reference(Op opA, Op opB, int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c0, bool single = false)
    {
        var c = c0.ToArray();
        int lda = opA == Op.None ? k : m, ldb = opB == Op.None ? n : k;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p0 = 0; p0 < k; p0 += GemmBlocking.KC)
                {
                    double acc = 0;
                    for (int p = p0; p < Math.Min(k, p0 + GemmBlocking.KC); p++)
                    {
                        double x = opA == Op.None ? a[i * lda + p] : a[p * lda + i], y = opB == Op.None ? b[p * ldb + j] : b[j * ldb + p];
                        acc = single ? MathF.FusedMultiplyAdd((float)x, (float)y, (float)acc) : Math.FusedMultiplyAdd(x, y, acc);
                    }
                    double blockBeta = p0 == 0 ? beta : 1;
                    double scaled = single ? (float)alpha * (float)acc : alpha * acc;
                    c[i * n + j] = blockBeta == 0 ? scaled
                        : single ? MathF.FusedMultiplyAdd((float)blockBeta, (float)c[i * n + j], (float)scaled) : Math.FusedMultiplyAdd(blockBeta, c[i * n + j], scaled);
                }
        return c;
    }
}
