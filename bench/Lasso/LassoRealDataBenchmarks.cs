using BenchmarkDotNet.Attributes;
using Engine.Kernels.Lasso;

namespace Engine.Bench.Lasso;

/// <summary>
/// The Lasso path on the diabetes data (scikit-learn's bundled set, tests/Data/lasso/diabetes.csv: 442 x 10),
/// centered and standardized as glmnet does, on scikit-learn's grid (100 alphas, eps 1e-3), in steady state: the
/// solver is compiled before the measurement, as R's glmnet is loaded before bench/peers/glmnet_compare.sh times
/// it (that script runs the engine once per process, so its engine times include the first-call compilation,
/// which on a problem this small is most of the time). Each invocation builds a fresh problem, so the Gram matrix
/// is part of the measured path.
/// </summary>
[MinColumn]
public class LassoRealDataBenchmarks
{
    private double[] _x = [], _y = [];
    private int _n, _p;
    private LassoProblem _problem = null!;

    [Params(1e-4, 1e-6)]
    public double Tolerance { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "diabetes.csv");
        if (!File.Exists(path)) path = FindUp("tests/Data/lasso/diabetes.csv");
        var rows = File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Select(double.Parse).ToArray()).ToArray();
        _n = rows.Length;
        _p = rows[0].Length - 1;
        _x = rows.SelectMany(r => r[.._p]).ToArray();
        _y = rows.Select(r => r[_p]).ToArray();
    }

    [IterationSetup]
    public void Fresh() => _problem = LassoProblem.FromRowMajor(_x, _n, _p, _y, LassoPreprocessing.Glmnet);

    [Benchmark]
    public LassoPath Path100() => CoordinateDescent.Path(_problem, 100, 1e-3, new LassoOptions(Tolerance, MaxThreads: 1));

    // The benchmark runs from a copy of the build output, so the data file is found by walking up from the working directory.
    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"cannot find {relative} above {Directory.GetCurrentDirectory()}");
    }
}
