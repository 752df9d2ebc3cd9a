using BenchmarkDotNet.Attributes;
using Engine.Kernels.Blas;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Bench.Elementwise;

/// <summary>
/// Every variant of a few representative kernels (an elementwise op, a two-input reduction, an in-place update and
/// the two-pass-capable norm) at the trainer's 10 x 480, each width forced in turn: what each width buys.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class WidthBenchmarks
{
    private float[] _z = [], _a = [];
    private double[] _x = [], _y = [];

    [Params(4800)]
    public int N { get; set; }

    [ParamsSource(nameof(Widths))]
    public VectorWidth Width { get; set; }

    public static IEnumerable<VectorWidth> Widths => SimdDispatch.Available;

    [GlobalSetup]
    public void Setup()
    {
        var sampler = new NormalSampler(4);
        _z = new float[N];
        _a = new float[N];
        _x = new double[N];
        _y = new double[N];
        sampler.Fill(_z);
        sampler.Fill(_x);
        sampler.Fill(_y);
    }

    [Benchmark, BytesPerElement(8)]
    public void ReluForwardFloat()
    {
        using (SimdDispatch.Force(Width)) Relu.Forward(_z, _a);
    }

    [Benchmark, BytesPerElement(16)]
    public double DotDouble()
    {
        using (SimdDispatch.Force(Width)) return Blas1.Dot(_x, _y);
    }

    [Benchmark, BytesPerElement(24)]
    public void AxpyDouble()
    {
        using (SimdDispatch.Force(Width)) Blas1.Axpy(1e-9, _x, _y);
    }

    [Benchmark, BytesPerElement(8)]
    public double Nrm2Double()
    {
        using (SimdDispatch.Force(Width)) return Blas1.Nrm2(_x);
    }
}
