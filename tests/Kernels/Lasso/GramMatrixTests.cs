using Engine.Kernels.Lasso;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Lasso;

public class GramMatrixTests
{
    // Sizes around the 4 x 4 tiles, the 64-column strips and the 1024-sample chunks, and not multiples of 8.
    [Theory]
    [InlineData(1, 1), InlineData(9, 5), InlineData(13, 67), InlineData(1030, 7), InlineData(1100, 70), InlineData(200, 131)]
    public void Every_method_gives_the_plain_dot_products(int n, int p)
    {
        var (x, y) = CoordinateDescentTests.Synthetic(n, p, seed: (ulong)(n * 1000 + p));
        var problem = LassoProblem.FromRowMajor(x, n, p, y);
        var expected = new double[p * p];
        double scale = 0;
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += x[k * p + i] * x[k * p + j];
                expected[i * p + j] = s;
                scale = Math.Max(scale, Math.Abs(s));
            }
        var methods = new List<(string, double[])>
        {
            ("dots", GramMatrix.ByDots(problem, new double[p * p])),
            ("panels, 1 thread", GramMatrix.ByPanels(problem, new double[p * p], 1)),
            ("panels, 2 threads", GramMatrix.ByPanels(problem, new double[p * p], 2)),
        };
        foreach (VectorWidth width in SimdDispatch.Available)
            using (SimdDispatch.Force(width))
            {
                methods.Add(($"tiles at {width}, 1 thread", GramMatrix.ByTiles(problem, new double[p * p], 1)));
                methods.Add(($"tiles at {width}, 2 threads", GramMatrix.ByTiles(problem, new double[p * p], 2)));
            }
        foreach (var (name, gram) in methods)
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++)
                    Assert.True(Math.Abs(gram[i * p + j] - expected[i * p + j]) <= 1e-12 * (scale + 1), $"{name}: ({i}, {j}) {gram[i * p + j]} vs {expected[i * p + j]}");
    }
}
