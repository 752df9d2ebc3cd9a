using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.SelfCheck;

/// <summary>The quick checks behind <c>engine selfcheck</c>; each compares a kernel with its scalar reference.</summary>
public static class KernelSelfCheck
{
    public sealed record Result(string Text, bool AllCorrect);

    public static Result Run()
    {
        var text = new StringBuilder();
        bool ok = true;
        text.AppendLine($"CPU: {Environment.ProcessorCount} logical cores; AVX-512F {Avx512F.IsSupported}, AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}; "
            + $"Vector512 accelerated {Vector512.IsHardwareAccelerated}, Vector256 accelerated {Vector256.IsHardwareAccelerated}, Vector<float> width {System.Numerics.Vector<float>.Count}");

        // GEMM: 256^3 against the naive oracle.
        const int n = 256;
        var sampler = new NormalSampler(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n], reference = new float[n * n];
        sampler.Fill(a);
        sampler.Fill(b);
        GemmNaive.Multiply(Op.None, Op.None, n, n, n, 1f, a, n, b, n, 0f, reference, n);
        var clock = Stopwatch.StartNew();
        int reps = 0;
        do { Gemm.Multiply(Op.None, Op.None, n, n, n, 1f, a, n, b, n, 0f, c, n); reps++; } while (clock.Elapsed.TotalMilliseconds < 200);
        double gflops = 2.0 * n * n * n * reps / clock.Elapsed.TotalSeconds / 1e9;
        double err = MaxRelativeDifference(c, reference);
        bool gemmOk = err < 1e-4;
        ok &= gemmOk;
        text.AppendLine($"gemm (float, {n}^3): max rel diff vs naive {err:E1} {(gemmOk ? "ok" : "WRONG")}, {gflops:F1} GFLOP/s");
        ok &= ElementwiseSelfCheck.Append(text);
        return new Result(text.ToString(), ok);
    }

    private static double MaxRelativeDifference(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < y.Length; i++) scale = Math.Max(scale, Math.Abs(y[i]));
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(x[i] - y[i]) / Math.Max(scale, 1e-30));
        return worst;
    }
}
