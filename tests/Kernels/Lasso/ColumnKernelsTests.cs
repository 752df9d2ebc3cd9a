using Engine.Kernels.Lasso;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Lasso;

public class ColumnKernelsTests
{
    [Theory, InlineData(0), InlineData(1), InlineData(3), InlineData(7), InlineData(8), InlineData(15), InlineData(16), InlineData(17), InlineData(101)]
    public void Dot_axpy_and_dot4_match_plain_loops_at_every_width(int n)
    {
        var sampler = new NormalSampler(77);
        double[] a = new double[n + 3], b = new double[n + 3], c = new double[n], d = new double[n], e = new double[n];
        foreach (var v in new[] { a, b, c, d, e }) sampler.Fill(v);
        double dot = 0, magnitude = 0;
        for (int i = 0; i < n; i++) { dot += a[i] * b[i]; magnitude += Math.Abs(a[i] * b[i]); }
        double bound = 2 * (n + 1) * 1.2e-16 * magnitude;
        var four = new double[4];
        foreach (var width in SimdDispatch.Available)
        {
            using var forced = SimdDispatch.Force(width);
            Assert.Equal(dot, ColumnKernels.Dot(a, b, n), bound);
            var y = b.ToArray();
            ColumnKernels.Axpy(-0.75, a, y, n);
            for (int i = 0; i < n; i++) Assert.Equal(Math.FusedMultiplyAdd(-0.75, a[i], b[i]), y[i]);
            for (int i = n; i < y.Length; i++) Assert.Equal(b[i], y[i]);
            if (n == 0) continue;
            ColumnKernels.Dot4(ref a[0], ref c[0], ref d[0], ref e[0], ref b[0], n, four);
            double[][] columns = [a, c, d, e];
            for (int t = 0; t < 4; t++)
            {
                double s = 0, m = 0;
                for (int i = 0; i < n; i++) { s += columns[t][i] * b[i]; m += Math.Abs(columns[t][i] * b[i]); }
                Assert.Equal(s, four[t], 2 * (n + 1) * 1.2e-16 * m);
            }
        }
    }

    [Theory, InlineData(0), InlineData(1), InlineData(7), InlineData(8), InlineData(9), InlineData(64), InlineData(101)]
    public void MaxAbs_matches_a_plain_loop_and_propagates_NaN_at_every_width(int n)
    {
        var sampler = new NormalSampler(5);
        var x = new double[n];
        sampler.Fill(x);
        double expected = x.Length == 0 ? 0 : x.Max(Math.Abs);
        foreach (var width in SimdDispatch.Available)
        {
            using var forced = SimdDispatch.Force(width);
            Assert.Equal(expected, ColumnKernels.MaxAbs(x));
            for (int at = 0; at < n; at += Math.Max(1, n / 3))
            {
                var y = x.ToArray();
                y[at] = double.NaN;
                Assert.True(double.IsNaN(ColumnKernels.MaxAbs(y)), $"{width}, NaN at {at} of {n}");
            }
        }
    }
}
