using BenchmarkDotNet.Attributes;
using Engine.Bench.Elementwise;
using Engine.Kernels.Random;

namespace Engine.Bench.Random;

/// <summary>
/// Filling a span with standard normals: the engine's vectorized counter-based sampler (float and double) against
/// the textbook way, System.Random uniforms through the scalar Box-Muller transform.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class NormalSamplerBenchmarks
{
    private readonly NormalSampler _sampler = new(3);
    private readonly System.Random _random = new(3);
    private double[] _d = [];
    private float[] _f = [];

    [Params(4800, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _d = new double[N];
        _f = new float[N];
    }

    [Benchmark(Baseline = true), BytesPerElement(8)]
    public void SystemRandomBoxMullerDouble()
    {
        double[] d = _d;
        for (int i = 0; i + 1 < d.Length; i += 2)
        {
            double u1 = 1.0 - _random.NextDouble(); // (0, 1]: the logarithm stays finite
            double u2 = _random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
            d[i] = r * cos;
            d[i + 1] = r * sin;
        }
    }

    [Benchmark, BytesPerElement(8)]
    public void EngineDouble() => _sampler.Fill(_d);

    [Benchmark, BytesPerElement(4)]
    public void EngineFloat() => _sampler.Fill(_f);
}
