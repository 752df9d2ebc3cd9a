using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Blas;

public class GemvTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int m in new[] { 0, 1, 3, 4, 5, 17, 33 })
            foreach (int n in new[] { 0, 1, 7, 8, 9, 16, 31, 65 })
                data.Add(m, n);
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Matches_the_naive_loop(int m, int n)
    {
        var sampler = new NormalSampler((ulong)(m * 100 + n));
        int lda = n + 3;
        var a = new double[Math.Max(0, (m - 1) * lda + n) + 3];
        sampler.Fill(a);
        foreach (Op op in new[] { Op.None, Op.Transpose })
        {
            int xLength = op == Op.None ? n : m, yLength = op == Op.None ? m : n;
            var x = new double[xLength];
            sampler.Fill(x);
            foreach (double beta in new[] { 0.0, 1.0, -0.5 })
            {
                var y0 = new double[yLength];
                sampler.Fill(y0);
                var expected = y0.ToArray();
                var actual = y0.ToArray();
                if (beta == 0) Array.Fill(actual, double.NaN);
                Gemv.MultiplyNaive(op, m, n, 1.5, a, lda, x, beta, expected);
                foreach (var width in SimdDispatch.Available)
                {
                    using (SimdDispatch.Force(width)) Gemv.Multiply(op, m, n, 1.5, a, lda, x, beta, actual);
                    double k = Math.Max(1, op == Op.None ? n : m);
                    for (int i = 0; i < yLength; i++)
                        Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-13 * k * (1 + Math.Abs(expected[i])),
                            $"{width} {op} beta={beta} i={i}: {actual[i]} vs {expected[i]}");
                    if (beta == 0) Array.Fill(actual, double.NaN);
                    else y0.CopyTo(actual, 0);
                }
            }
        }
    }

    // The sums run in one order defined on 8 double lanes with fused multiply-adds, so every width (the scalar one
    // emulating the lanes) gives the same bits: sizes around the 8- and 16-element steps and the 4-row blocks.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 8)]
    [InlineData(9, 37)]
    [InlineData(20, 40)]
    [InlineData(13, 16)]
    [InlineData(6, 17)]
    [InlineData(33, 129)]
    public void Every_width_gives_the_same_bits(int m, int n)
    {
        var sampler = new NormalSampler(77);
        var a = new double[m * n];
        var x = new double[n];
        var xt = new double[m];
        var y0 = new double[Math.Max(m, n)];
        sampler.Fill(a);
        sampler.Fill(x);
        sampler.Fill(xt);
        sampler.Fill(y0);
        double[] Products()
        {
            var y = y0[..m];
            var yt = y0[..n];
            Gemv.Multiply(Op.None, m, n, 0.7, a, n, x, 0.3, y);
            Gemv.Multiply(Op.Transpose, m, n, -1.3, a, n, xt, 0.5, yt);
            var row = y0[..n];
            Gemv.RowAxpy(0.25, a.AsSpan(0, n), row);
            return [.. y, .. yt, .. row, Gemv.RowDot(a.AsSpan((m - 1) * n, n), x)];
        }
        double[] reference;
        using (SimdDispatch.Force(VectorWidth.Scalar)) reference = Products();
        KernelCases.AtEveryWidth(width => KernelCases.BitEqual<double>(reference, Products(), width));
    }

    [Fact]
    public void Naive_loop_is_the_definition()
    {
        double[] a = [1, 2, 3, 4, 5, 6];
        var y = new double[2];
        Gemv.MultiplyNaive(Op.None, 2, 3, 1, a, 3, [1, 0, -1], 0, y);
        Assert.Equal([-2.0, -2.0], y);
        var z = new double[3];
        Gemv.MultiplyNaive(Op.Transpose, 2, 3, 2, a, 3, [1, 1], 0, z);
        Assert.Equal([10.0, 14.0, 18.0], z);
    }

    [Fact]
    public void Rejects_short_operands()
    {
        Assert.Throws<ArgumentException>(() => Gemv.Multiply(Op.None, 2, 3, 1, new double[5], 3, new double[3], 0, new double[2]));
        Assert.Throws<ArgumentException>(() => Gemv.Multiply(Op.Transpose, 2, 3, 1, new double[6], 3, new double[1], 0, new double[3]));
    }
}
