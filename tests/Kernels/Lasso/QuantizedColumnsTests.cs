using Engine.Kernels.Lasso;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Lasso;

/// <summary>
/// The int8 screening pass: its radius must bound the error of its estimate for every column, residual and vector
/// width (a miss would let a violating feature pass the optimality check), and must stay small enough to certify.
/// </summary>
public class QuantizedColumnsTests
{
    public static TheoryData<int> Sizes() => new(1, 2, 7, 31, 63, 64, 65, 200, 1001);

    [Theory, MemberData(nameof(Sizes))]
    public void Radius_bounds_the_error_at_every_width(int n)
    {
        const int p = 9;
        var sampler = new NormalSampler((ulong)n);
        var x = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            double g = sampler.NextNormal();
            x[i * p + 0] = g;                                     // Gaussian
            x[i * p + 1] = 3.25;                                  // constant (exact in int8 after scaling)
            x[i * p + 2] = i % 3 == 0 ? 1 : 0;                    // binary
            x[i * p + 3] = g * g * g;                             // heavy tailed
            x[i * p + 4] = 0;                                     // zero column
            x[i * p + 5] = 1e-140 * sampler.NextNormal();         // tiny (squares above LassoProblem.MinSquaredNorm)
            x[i * p + 6] = 1e120 * sampler.NextNormal();          // huge
            x[i * p + 7] = i == n / 2 ? 1e6 : sampler.NextNormal(); // one outlier
            x[i * p + 8] = Math.Sin(i) + 1e-9 * g;                // smooth
        }
        var problem = LassoProblem.FromRowMajor(x, n, p, new double[n]);
        int[] all = Enumerable.Range(0, p).ToArray();
        foreach (var residual in Residuals(n, sampler))
        {
            var exact = new double[p];
            for (int j = 0; j < p; j++)
            {
                exact[j] = problem.Column(j).ToArray().Zip(residual, (a, b) => a * b).Sum();
            }
            foreach (var width in SimdDispatch.Available)
            {
                // Built and used at each width: the 512-bit build rounds eight entries at a time.
                using var forced = SimdDispatch.Force(width);
                var quantized = new QuantizedColumns(problem);
                Assert.True(quantized.PrepareResidual(residual));
                var estimate = new double[p];
                var radius = new double[p];
                quantized.Correlations(all, estimate, radius);
                for (int j = 0; j < p; j++)
                {
                    double columnNorm = Math.Sqrt(problem.ColumnNormsSquared[j]);
                    double residualNorm = Math.Sqrt(residual.Sum(v => v * v));
                    // The reference sum itself may be off by n eps |X_j| |r|; the radius must cover the rest.
                    double slack = 4 * (n + 2) * 1.2e-16 * columnNorm * residualNorm;
                    Assert.True(Math.Abs(estimate[j] - exact[j]) <= radius[j] + slack,
                        $"{width}, n {n}, column {j}: estimate {estimate[j]}, exact {exact[j]}, radius {radius[j]}");
                    // Useful: about 1% of |X_j| |r| at most (int8 rounding is at most 1/254 of the largest entry).
                    Assert.True(radius[j] <= 0.05 * columnNorm * residualNorm + 1e-300, $"{width}, column {j}: radius {radius[j]} too wide");
                }
            }
        }
    }

    private static IEnumerable<double[]> Residuals(int n, NormalSampler sampler)
    {
        var gaussian = new double[n];
        sampler.Fill(gaussian);
        yield return gaussian;
        var sparse = new double[n];
        sparse[n - 1] = 2.5;
        yield return sparse;
        yield return gaussian.Select(v => 1e-5 * v * v * v).ToArray();
        yield return gaussian.Select(v => 1e20 * v).ToArray();
    }

    [Fact]
    public void A_residual_that_would_overflow_float_is_refused()
    {
        var problem = LassoProblem.FromRowMajor([1.0, 2.0, 3.0], 3, 1, [0.0, 0.0, 0.0]);
        var quantized = new QuantizedColumns(problem);
        Assert.False(quantized.PrepareResidual([1e300, 0, 0]));
        Assert.True(quantized.PrepareResidual([1, 2, 3]));
    }
}
