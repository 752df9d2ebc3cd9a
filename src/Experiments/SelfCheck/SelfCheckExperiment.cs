using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.SelfCheck;

/// <summary>What the self-check printed, line by line, and whether every kernel agreed with its reference.</summary>
public sealed record SelfCheckResult(string Text, bool AllCorrect);

/// <summary>The quick checks behind <c>engine selfcheck</c>; each compares a kernel with its scalar reference.</summary>
public static class SelfCheckExperiment
{
    public static SelfCheckResult Run()
    {
        var text = new StringBuilder();
        bool ok = true;
        text.AppendLine($"CPU: {Environment.ProcessorCount} logical cores; AVX-512F {Avx512F.IsSupported}, AVX2 {Avx2.IsSupported}, FMA {Fma.IsSupported}; "
            + $"Vector512 accelerated {Vector512.IsHardwareAccelerated}, Vector256 accelerated {Vector256.IsHardwareAccelerated}, Vector<float> width {System.Numerics.Vector<float>.Count}");

        ok &= AppendGemm(text);
        ok &= ElementwiseSelfCheck.Append(text);
        return new SelfCheckResult(text.ToString(), ok);
    }

    /// <summary>
    /// Each supported GEMM variant on the trainer's forward shape (10 x 150 x 480) and on 256^3, against the naive
    /// oracle, with its speed; then the variant the dispatcher picks for a few shapes.
    /// </summary>
    private static bool AppendGemm(StringBuilder text)
    {
        bool ok = true;
        var sampler = new NormalSampler(1);
        (int M, int N, int K, string Label)[] shapes = [(10, 480, 150, "10x150x480"), (256, 256, 256, "256^3")];
        text.AppendLine($"gemm (float): dispatch {string.Join("; ", new[] { (10, 480, 150), (150, 480, 10), (1024, 1024, 1024) }.Select(s => $"{s.Item1}x{s.Item3}x{s.Item2} -> {GemmVariants.Select(s.Item1, s.Item2, s.Item3).Name}"))}; "
            + $"packed micro-kernel {GemmPacked.KernelName<float>()}, {GemmPacked.BlockingDescription}{(Environment.GetEnvironmentVariable(GemmVariants.OverrideVariable) is { } forced ? $"; {GemmVariants.OverrideVariable}={forced}" : "")}");
        foreach (var (m, n, k, label) in shapes)
        {
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], reference = new float[m * n];
            sampler.Fill(a);
            sampler.Fill(b);
            GemmNaive.Multiply(Op.None, Op.None, m, n, k, 1f, a, k, b, n, 0f, reference, n);
            foreach (IGemmVariant variant in GemmVariants.Supported.Where(v => v != GemmVariants.Naive))
            {
                // The first call compiles the kernel; keep it out of the timing.
                variant.Multiply(Op.None, Op.None, m, n, k, 1f, a, k, b, n, 0f, c, n);
                var clock = Stopwatch.StartNew();
                int reps = 0;
                do { variant.Multiply(Op.None, Op.None, m, n, k, 1f, a, k, b, n, 0f, c, n); reps++; } while (clock.Elapsed.TotalMilliseconds < 60);
                double gflops = 2.0 * m * n * k * reps / clock.Elapsed.TotalSeconds / 1e9;
                double err = MaxRelativeDifference(c, reference);
                bool good = err < 1e-4;
                ok &= good;
                text.AppendLine($"  gemm {label,-11} {variant.Name,-11} max rel diff vs naive {err:0.0e+0}  {(good ? "ok   " : "WRONG")} {gflops,8:F1} GFLOP/s");
            }
        }
        return ok;
    }

    private static double MaxRelativeDifference(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < y.Length; i++) scale = Math.Max(scale, Math.Abs(y[i]));
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(x[i] - y[i]) / Math.Max(scale, 1e-30));
        return worst;
    }
}
