using Engine.Kernels.Linalg;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;
using Engine.Kernels.Threading;
using Engine.Tests.Kernels.Elementwise;

namespace Engine.Tests.Kernels.Linalg;

public class CholeskyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(Cholesky.BlockColumns + 1)]
    [InlineData(2 * Cholesky.BlockColumns + 45)]
    public void SolvesASymmetricPositiveDefiniteSystem(int n)
    {
        var sampler = new NormalSampler(7, (ulong)n);
        double[] a = WellConditioned(n, sampler);
        var x = new double[n];
        sampler.Fill(x);
        var b = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];

        var factor = (double[])a.Clone();
        Assert.True(Cholesky.Factor(factor, n));
        Cholesky.Solve(factor, n, b);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], b[i], 10);
    }

    [Fact]
    public void RejectsAnIndefiniteMatrix()
    {
        Assert.False(Cholesky.Factor([1, 2, 2, 1], 2));
    }

    /// <summary>A pivot that fails in a later block of columns (after the GEMM updates) is found too.</summary>
    [Fact]
    public void RejectsAMatrixIndefiniteOnlyInALaterBlock()
    {
        int n = 2 * Cholesky.BlockColumns + 10, p = Cholesky.BlockColumns + 20;
        double[] a = WellConditioned(n, new NormalSampler(3));
        a[p * n + p] = -1;
        Assert.False(Cholesky.Factor(a.ToArray(), n));
    }

    /// <summary>
    /// Up to <see cref="Cholesky.BlockColumns"/> the factorization is the unblocked algorithm (the reference below),
    /// bit for bit, so the small systems of the completion solvers are factored exactly as before blocking.
    /// </summary>
    [Theory]
    [InlineData(5)]
    [InlineData(Cholesky.BlockColumns)]
    public void A_matrix_of_one_block_is_factored_by_the_unblocked_algorithm(int n)
    {
        double[] a = WellConditioned(n, new NormalSampler(11, (ulong)n));
        double[] expected = a.ToArray(), actual = a.ToArray();
        Assert.True(Unblocked(expected, n));
        Assert.True(Cholesky.Factor(actual, n));
        KernelCases.BitEqual<double>(expected, actual, SimdDispatch.Current);
    }

    /// <summary>
    /// Across blocks L L^T gives back A, the upper triangle is left as it was, and the factor is the same bits at every
    /// vector width and at one thread or all.
    /// </summary>
    [Theory]
    [InlineData(Cholesky.BlockColumns + 1)]
    [InlineData(3 * Cholesky.BlockColumns + 17)]
    public void A_blocked_factor_reproduces_A_and_is_the_same_bits_everywhere(int n)
    {
        double[] a = WellConditioned(n, new NormalSampler(13, (ulong)n));
        double[] reference = a.ToArray();
        using (SimdDispatch.Force(VectorWidth.Scalar))
        using (KernelThreads.Limit(1))
            Assert.True(Cholesky.Factor(reference, n));
        double scale = 0;
        for (int i = 0; i < n; i++) scale = Math.Max(scale, a[i * n + i]);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (j > i)
                {
                    Assert.Equal(a[i * n + j], reference[i * n + j]);
                    continue;
                }
                double sum = 0;
                for (int k = 0; k <= j; k++) sum += reference[i * n + k] * reference[j * n + k];
                Assert.True(Math.Abs(sum - a[i * n + j]) <= 1e-12 * scale, $"(L L^T)[{i}, {j}] = {sum}, A = {a[i * n + j]}");
            }
        KernelCases.AtEveryWidth(width =>
        {
            double[] factor = a.ToArray();
            Assert.True(Cholesky.Factor(factor, n));
            KernelCases.BitEqual<double>(reference, factor, width);
        });
    }

    /// <summary>A factor mirrored into its upper triangle solves by rows to the same bits as the column-reading solve.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(Cholesky.BlockColumns + 70)]
    public void A_mirrored_factor_solves_to_the_same_bits(int n)
    {
        var sampler = new NormalSampler(17, (ulong)n);
        double[] factor = WellConditioned(n, sampler);
        Assert.True(Cholesky.Factor(factor, n));
        var b = new double[n];
        sampler.Fill(b);
        double[] expected = b.ToArray();
        Cholesky.Solve(factor, n, expected);
        double[] mirrored = factor.ToArray();
        Cholesky.MirrorIntoUpper(mirrored, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(factor[Math.Max(i, j) * n + Math.Min(i, j)], mirrored[i * n + j]);
        Cholesky.SolveMirrored(mirrored, n, b);
        KernelCases.BitEqual<double>(expected, b, SimdDispatch.Current);
    }

    /// <summary>G G^T + n I for a Gaussian G: symmetric and well conditioned.</summary>
    private static double[] WellConditioned(int n, NormalSampler sampler)
    {
        var g = new double[n * n];
        sampler.Fill(g);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = i == j ? n : 0;
                for (int k = 0; k < n; k++) sum += g[i * n + k] * g[j * n + k];
                a[i * n + j] = sum;
            }
        return a;
    }

    /// <summary>The unblocked left-looking algorithm, written from its definition: each sum in order of k, then divided by the pivot's root.</summary>
    private static bool Unblocked(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double pivot = a[j * n + j];
            for (int k = 0; k < j; k++) pivot -= a[j * n + k] * a[j * n + k];
            if (!(pivot > 0)) return false;
            a[j * n + j] = Math.Sqrt(pivot);
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) sum -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = sum / a[j * n + j];
            }
        }
        return true;
    }
}
