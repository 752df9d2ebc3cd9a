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

    // Forced to the scalar path, a row product sums in the naive loop's order, so the two agree to the last bit;
    // a vector path would not, which shows the forced width is the one that runs.
    [Fact]
    public void Forced_scalar_width_runs_the_scalar_loop()
    {
        const int m = 9, n = 37;
        var sampler = new NormalSampler(77);
        var a = new double[m * n];
        var x = new double[n];
        sampler.Fill(a);
        sampler.Fill(x);
        var expected = new double[m];
        var actual = new double[m];
        Gemv.MultiplyNaive(Op.None, m, n, 1, a, n, x, 0, expected);
        double dot;
        using (SimdDispatch.Force(VectorWidth.Scalar))
        {
            Gemv.Multiply(Op.None, m, n, 1, a, n, x, 0, actual);
            dot = Gemv.RowDot(a.AsSpan(0, n), x);
        }
        Assert.Equal(expected, actual);
        Assert.Equal(expected[0], dot);
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
