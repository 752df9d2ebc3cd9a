using Engine.Kernels.Lasso;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Lasso;

/// <summary>
/// A Lasso path, its cross-validation and the Gram matrix are the same bits at every vector width the machine can
/// run: every sum in the solvers has one order, defined on the 64-byte lanes.
/// </summary>
public class WidthIndependenceTests
{
    // Sizes chosen to reach each summation: the Gram matrix by dot products (tall, small), by tiles (p^2 n / 2 above
    // 16M multiply-adds), and the residual solver with its int8 screening (more features than samples). The odd n
    // leaves a tail after the whole vectors of every kernel.
    [Theory]
    [InlineData(83, 37, LassoPrecompute.Auto)]
    [InlineData(83, 37, LassoPrecompute.Residual)]
    [InlineData(601, 241, LassoPrecompute.Gram)]
    [InlineData(71, 300, LassoPrecompute.Auto)]
    public void The_path_is_the_same_bits_at_every_width(int n, int p, LassoPrecompute precompute)
    {
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 23);
        var options = new LassoOptions(Tolerance: 1e-10, Precompute: precompute, MaxThreads: 2);
        byte[]? reference = null;
        foreach (VectorWidth width in SimdDispatch.Available)
        {
            byte[] bytes;
            using (SimdDispatch.Force(width))
            {
                var problem = LassoProblem.FromRowMajor(x, n, p, y, LassoPreprocessing.Glmnet);
                var path = CoordinateDescent.Path(problem, count: 30, options: options);
                bytes = Bytes([.. path.Coefficients.SelectMany(c => c), .. path.DualityGaps, .. path.Intercepts, .. path.Epochs.Select(e => (double)e)]);
            }
            reference ??= bytes;
            Assert.True(reference.AsSpan().SequenceEqual(bytes), $"The path at {width} differs from the path at {SimdDispatch.Available[0]}.");
        }
    }

    [Fact]
    public void Cross_validation_is_the_same_bits_at_every_width()
    {
        const int n = 90, p = 40;
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: 29);
        var cv = new LassoCrossValidationOptions(Folds: 5, Seed: 3, Count: 25);
        byte[]? reference = null;
        foreach (VectorWidth width in SimdDispatch.Available)
        {
            byte[] bytes;
            using (SimdDispatch.Force(width))
            {
                var result = LassoCrossValidation.Run(x, n, p, y, LassoPreprocessing.Glmnet, new LassoOptions(Tolerance: 1e-8), cv);
                bytes = Bytes([.. result.MeanError, .. result.StandardError, .. result.FoldErrors.SelectMany(f => f), .. result.Path.Coefficients.SelectMany(c => c)]);
            }
            reference ??= bytes;
            Assert.True(reference.AsSpan().SequenceEqual(bytes), $"Cross-validation at {width} differs from {SimdDispatch.Available[0]}.");
        }
    }

    private static byte[] Bytes(double[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
