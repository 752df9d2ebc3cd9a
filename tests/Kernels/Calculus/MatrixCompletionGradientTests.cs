using Engine.Kernels.Calculus;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Calculus;

/// <summary>
/// The gradient that `engine gradcheck` failed at its default seed with a fixed relative tolerance: problem (12) of
/// the matrix completion experiment, <c>2 P_Omega(U U^T - Y) U</c> at D = 7, rank 2, half the pairs observed.
/// </summary>
public class MatrixCompletionGradientTests
{
    private const int Seeds = 200;

    [Fact]
    public void TheGradientPassesOnEveryInstance()
    {
        for (ulong seed = 0; seed < Seeds; seed++)
        {
            GradientCase c = GradientCases.MatrixCompletion(seed);
            DerivativeCheckResult result = c.Check();
            Assert.True(result.Passed, $"{c}\n{result}");
        }
    }

    [Fact]
    public void OneEntryOffByOneInTenThousandFailsOnEveryInstance()
    {
        for (ulong seed = 0; seed < Seeds; seed++)
        {
            GradientCase c = GradientCases.MatrixCompletion(seed);
            // A random entry of the gradient among those at least 1e-3 of the largest.
            double largest = Math.Abs(c.Gradient[c.Largest()]);
            int[] eligible = Enumerable.Range(0, c.Gradient.Length).Where(i => Math.Abs(c.Gradient[i]) >= 1e-3 * largest).ToArray();
            int j = eligible[new NormalSampler(seed, 5).NextInt(eligible.Length)];
            double[] wrong = (double[])c.Gradient.Clone();
            wrong[j] *= 1 + 1e-4;
            DerivativeCheckResult result = c.Check(wrong);
            Assert.False(result.Passed, $"{c}, entry {j}\n{result}");
            Assert.False(result.CoordinateRows.Single(r => r.Index == j).Passed);
        }
    }
}
