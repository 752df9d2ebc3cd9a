using BenchmarkDotNet.Attributes;
using Engine.Kernels.Lasso;
using Engine.Kernels.Random;

namespace Engine.Bench.Lasso;

/// <summary>
/// The Lasso path on synthetic Gaussian data (20 true nonzeros, noise 0.5): coordinate descent on scikit-learn's
/// grid (100 alphas, eps 1e-3, tol 1e-8) and the exact homotopy. The n = 1000, p = 10000 comparison with
/// scikit-learn itself is bench/peers/lasso_compare.sh; these sizes keep a BenchmarkDotNet run short.
/// </summary>
[MinColumn]
public class LassoPathBenchmarks
{
    private LassoProblem _problem = null!;

    [Params(100, 200)]
    public int Samples { get; set; }

    [Params(1000)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sampler = new NormalSampler(1);
        var x = new double[Samples * Features];
        sampler.Fill(x);
        var w = new double[Features];
        for (int k = 0; k < 20; k++) w[sampler.NextInt(Features)] = sampler.NextNormal();
        var y = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            double t = 0.5 * sampler.NextNormal();
            for (int j = 0; j < Features; j++) t += x[i * Features + j] * w[j];
            y[i] = t;
        }
        _problem = LassoProblem.FromRowMajor(x, Samples, Features, y);
    }

    [Benchmark(Baseline = true)]
    public LassoPath CoordinateDescentPath() => CoordinateDescent.Path(_problem, 100, 1e-3, new LassoOptions(1e-8));

    [Benchmark]
    public HomotopyPath ExactHomotopy() => Homotopy.Path(_problem);
}
