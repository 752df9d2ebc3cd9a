using BenchmarkDotNet.Attributes;
using Engine.Bench.Elementwise;
using Engine.Kernels.Blas;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;
using Tensor = System.Numerics.Tensors.TensorPrimitives;

namespace Engine.Bench.Blas;

/// <summary>
/// The BLAS-1 kernels: the engine's dispatched kernel against its scalar reference path and the TensorPrimitives
/// operation that computes the same thing (MultiplyAdd for axpy, Multiply for scal, Norm for nrm2, MaxMagnitude
/// for max-abs, which returns the signed element rather than its magnitude).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class Blas1Benchmarks
{
    // Scal multiplies by -1 and axpy adds a small multiple, so repeated invocations neither underflow nor overflow.
    private const double ScalAlpha = -1.0;
    private const double AxpyAlpha = 1e-9;

    private double[] _x = [], _y = [];
    private float[] _xf = [], _yf = [];

    [Params(1000, 4800, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sampler = new NormalSampler(2);
        _x = new double[N];
        _y = new double[N];
        _xf = new float[N];
        _yf = new float[N];
        sampler.Fill(_x);
        sampler.Fill(_y);
        sampler.Fill(_xf);
        sampler.Fill(_yf);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Dot, double"), BytesPerElement(16)]
    public double DotScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) return Blas1.Dot(_x, _y);
    }

    [Benchmark, BenchmarkCategory("Dot, double"), BytesPerElement(16)]
    public double DotEngine() => Blas1.Dot(_x, _y);

    [Benchmark, BenchmarkCategory("Dot, double"), BytesPerElement(16)]
    public double DotTensorPrimitives() => Tensor.Dot<double>(_x, _y);

    [Benchmark(Baseline = true), BenchmarkCategory("Dot, float"), BytesPerElement(8)]
    public float DotFloatScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) return Blas1.Dot(_xf, _yf);
    }

    [Benchmark, BenchmarkCategory("Dot, float"), BytesPerElement(8)]
    public float DotFloatEngine() => Blas1.Dot(_xf, _yf);

    [Benchmark, BenchmarkCategory("Dot, float"), BytesPerElement(8)]
    public float DotFloatTensorPrimitives() => Tensor.Dot(_xf, _yf);

    [Benchmark(Baseline = true), BenchmarkCategory("Axpy, double"), BytesPerElement(24)]
    public void AxpyScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) Blas1.Axpy(AxpyAlpha, _x, _y);
    }

    [Benchmark, BenchmarkCategory("Axpy, double"), BytesPerElement(24)]
    public void AxpyEngine() => Blas1.Axpy(AxpyAlpha, _x, _y);

    [Benchmark, BenchmarkCategory("Axpy, double"), BytesPerElement(24)]
    public void AxpyTensorPrimitivesMultiplyAdd() => Tensor.MultiplyAdd(_x, AxpyAlpha, _y, _y);

    [Benchmark(Baseline = true), BenchmarkCategory("Scal, double"), BytesPerElement(16)]
    public void ScalScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) Blas1.Scal(ScalAlpha, _x);
    }

    [Benchmark, BenchmarkCategory("Scal, double"), BytesPerElement(16)]
    public void ScalEngine() => Blas1.Scal(ScalAlpha, _x);

    [Benchmark, BenchmarkCategory("Scal, double"), BytesPerElement(16)]
    public void ScalTensorPrimitivesMultiply() => Tensor.Multiply(_x, ScalAlpha, _x);

    [Benchmark(Baseline = true), BenchmarkCategory("Nrm2, double"), BytesPerElement(8)]
    public double Nrm2Scalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) return Blas1.Nrm2(_x);
    }

    [Benchmark, BenchmarkCategory("Nrm2, double"), BytesPerElement(8)]
    public double Nrm2Engine() => Blas1.Nrm2(_x);

    [Benchmark, BenchmarkCategory("Nrm2, double"), BytesPerElement(8)]
    public double Nrm2TensorPrimitivesNorm() => Tensor.Norm<double>(_x);

    [Benchmark(Baseline = true), BenchmarkCategory("Sum of squares, double"), BytesPerElement(8)]
    public double SumOfSquaresScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) return Blas1.SumOfSquares(_x);
    }

    [Benchmark, BenchmarkCategory("Sum of squares, double"), BytesPerElement(8)]
    public double SumOfSquaresEngine() => Blas1.SumOfSquares(_x);

    [Benchmark, BenchmarkCategory("Sum of squares, double"), BytesPerElement(8)]
    public double SumOfSquaresTensorPrimitives() => Tensor.SumOfSquares<double>(_x);

    [Benchmark(Baseline = true), BenchmarkCategory("Max-abs, double"), BytesPerElement(8)]
    public double MaxAbsScalar()
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) return Blas1.MaxAbs(_x);
    }

    [Benchmark, BenchmarkCategory("Max-abs, double"), BytesPerElement(8)]
    public double MaxAbsEngine() => Blas1.MaxAbs(_x);

    [Benchmark, BenchmarkCategory("Max-abs, double"), BytesPerElement(8)]
    public double MaxAbsTensorPrimitivesMaxMagnitude() => Tensor.MaxMagnitude<double>(_x);
}
