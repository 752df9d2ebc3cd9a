using BenchmarkDotNet.Attributes;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;
using Tensor = System.Numerics.Tensors.TensorPrimitives;

namespace Engine.Bench.Elementwise;

/// <summary>
/// ReLU forward and backward (float, as the trainer runs them) and soft-thresholding (double, as the solvers run it):
/// the engine's dispatched kernel against its scalar reference path and, where it has the operation, TensorPrimitives.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class ElementwiseBenchmarks
{
    private float[] _z = [], _gradOut = [], _outF = [];
    private double[] _x = [], _outD = [];

    /// <summary>1000, the trainer's 10 x 480, and sizes that leave L2 and then L3.</summary>
    [Params(1000, 4800, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sampler = new NormalSampler(1);
        _z = new float[N];
        _gradOut = new float[N];
        _outF = new float[N];
        _x = new double[N];
        _outD = new double[N];
        sampler.Fill(_z);
        sampler.Fill(_gradOut);
        sampler.Fill(_x);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ReLU forward, float"), BytesPerElement(8)]
    public void ReluForwardScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) Relu.Forward(_z, _outF);
    }

    [Benchmark, BenchmarkCategory("ReLU forward, float"), BytesPerElement(8)]
    public void ReluForwardEngine() => Relu.Forward(_z, _outF);

    [Benchmark, BenchmarkCategory("ReLU forward, float"), BytesPerElement(8)]
    public void ReluForwardTensorPrimitivesMax() => Tensor.Max(_z, 0f, _outF);

    [Benchmark(Baseline = true), BenchmarkCategory("ReLU backward, float"), BytesPerElement(12)]
    public void ReluBackwardScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) Relu.Backward(_z, _gradOut, _outF);
    }

    [Benchmark, BenchmarkCategory("ReLU backward, float"), BytesPerElement(12)]
    public void ReluBackwardEngine() => Relu.Backward(_z, _gradOut, _outF);

    [Benchmark(Baseline = true), BenchmarkCategory("Soft-threshold, double"), BytesPerElement(16)]
    public void SoftThresholdScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) SoftThreshold.Apply(_x, 0.5, _outD);
    }

    [Benchmark, BenchmarkCategory("Soft-threshold, double"), BytesPerElement(16)]
    public void SoftThresholdEngine() => SoftThreshold.Apply(_x, 0.5, _outD);
}
