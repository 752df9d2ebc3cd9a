using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Engine.Bench.Gemm;

namespace Engine.Bench.Peak;

/// <summary>
/// The machine's single-thread FMA peak: 16 independent chains of fused multiply-adds, more than the
/// latency times the number of FMA pipes (4 cycles x 2 pipes = 8), so the pipes never wait. It has no loads
/// or stores, so it is the ceiling every GEMM fraction in bench/results is measured against.
/// </summary>
[Config(typeof(FlopsConfig))]
public class FmaPeakBenchmarks
{
    /// <summary>Steps per invocation; each step is 16 FMAs on full vectors.</summary>
    public const int Steps = 1 << 20;

    private const int Chains = 16;

    /// <summary>Floating-point operations per invocation: 2 per lane per FMA.</summary>
    public static double FlopsOf(string method) => method switch
    {
        nameof(Vector512Single) => 2.0 * Chains * Vector512<float>.Count * Steps,
        nameof(Vector256Single) => 2.0 * Chains * Vector256<float>.Count * Steps,
        nameof(Vector512Double) => 2.0 * Chains * Vector512<double>.Count * Steps,
        _ => double.NaN,
    };

    [Benchmark(Baseline = true)]
    public float Vector512Single() => Chains512(Vector512.Create(0.999f), Vector512.Create(1e-3f)).ToScalar();

    [Benchmark]
    public float Vector256Single() => Chains256(Vector256.Create(0.999f), Vector256.Create(1e-3f)).ToScalar();

    [Benchmark]
    public double Vector512Double() => Chains512(Vector512.Create(0.999), Vector512.Create(1e-3)).ToScalar();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<T> Chains512<T>(Vector512<T> x, Vector512<T> y)
    {
        // Sixteen accumulators with distinct starting values, so no two chains are the same computation.
        Vector512<T> c0 = y, c1 = y + y, c2 = c1 + y, c3 = c2 + y, c4 = c3 + y, c5 = c4 + y, c6 = c5 + y, c7 = c6 + y;
        Vector512<T> c8 = c7 + y, c9 = c8 + y, c10 = c9 + y, c11 = c10 + y, c12 = c11 + y, c13 = c12 + y, c14 = c13 + y, c15 = c14 + y;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Fma(c0, x, y); c1 = Fma(c1, x, y); c2 = Fma(c2, x, y); c3 = Fma(c3, x, y);
            c4 = Fma(c4, x, y); c5 = Fma(c5, x, y); c6 = Fma(c6, x, y); c7 = Fma(c7, x, y);
            c8 = Fma(c8, x, y); c9 = Fma(c9, x, y); c10 = Fma(c10, x, y); c11 = Fma(c11, x, y);
            c12 = Fma(c12, x, y); c13 = Fma(c13, x, y); c14 = Fma(c14, x, y); c15 = Fma(c15, x, y);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> Chains256(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> c0 = y, c1 = y + y, c2 = c1 + y, c3 = c2 + y, c4 = c3 + y, c5 = c4 + y, c6 = c5 + y, c7 = c6 + y;
        Vector256<float> c8 = c7 + y, c9 = c8 + y, c10 = c9 + y, c11 = c10 + y, c12 = c11 + y, c13 = c12 + y, c14 = c13 + y, c15 = c14 + y;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, x, y); c1 = Vector256.FusedMultiplyAdd(c1, x, y);
            c2 = Vector256.FusedMultiplyAdd(c2, x, y); c3 = Vector256.FusedMultiplyAdd(c3, x, y);
            c4 = Vector256.FusedMultiplyAdd(c4, x, y); c5 = Vector256.FusedMultiplyAdd(c5, x, y);
            c6 = Vector256.FusedMultiplyAdd(c6, x, y); c7 = Vector256.FusedMultiplyAdd(c7, x, y);
            c8 = Vector256.FusedMultiplyAdd(c8, x, y); c9 = Vector256.FusedMultiplyAdd(c9, x, y);
            c10 = Vector256.FusedMultiplyAdd(c10, x, y); c11 = Vector256.FusedMultiplyAdd(c11, x, y);
            c12 = Vector256.FusedMultiplyAdd(c12, x, y); c13 = Vector256.FusedMultiplyAdd(c13, x, y);
            c14 = Vector256.FusedMultiplyAdd(c14, x, y); c15 = Vector256.FusedMultiplyAdd(c15, x, y);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }
}
