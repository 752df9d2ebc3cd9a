using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Linalg;

public class CholeskyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void SolvesASymmetricPositiveDefiniteSystem(int n)
    {
        var sampler = new NormalSampler(7, (ulong)n);
        var g = new double[n * n];
        sampler.Fill(g);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = i == j ? n : 0; // G G^T + n I is well conditioned
                for (int k = 0; k < n; k++) sum += g[i * n + k] * g[j * n + k];
                a[i * n + j] = sum;
            }
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
}
