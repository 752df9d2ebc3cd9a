using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Bench.SideBySide;

/// <summary>
/// The engine's half of bench/peers/side_by_side.py: plain timing loops (no BenchmarkDotNet) that print one line per
/// case and round, <c>RESULT engine CASE NANOSECONDS</c>, the thread CPU time per call of a batch of calls sized to
/// about 20 ms, in the same format as the peers' scripts, so that the driver can alternate the processes and compare.
/// </summary>
/// <remarks>
/// Usage: <c>Engine.Bench side-by-side peak|gemm|sampler|step ROUNDS [SHAPE...]</c>, shapes as
/// <c>NAME:OPA:OPB:M:N:K:BETA</c> (OPA, OPB: N or T). Before timing, every case runs for about 100 ms three times with
/// 1.5 s pauses, so the tiered JIT has installed its final code (its call-counting delay is 1 s on a single core).
/// </remarks>
public static class SideBySideProgram
{
    public static int Run(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[1], out int rounds) || rounds < 1)
        {
            Console.Error.WriteLine("usage: Engine.Bench side-by-side peak|gemm|sampler|step ROUNDS [NAME:OPA:OPB:M:N:K:BETA...]");
            return 2;
        }
        List<(string Name, Action Run)> cases = args[0] switch
        {
            "peak" => PeakCases(),
            "gemm" => GemmCases(args.Skip(2)),
            "sampler" => SamplerCases(),
            "step" => StepCases(),
            _ => [],
        };
        if (cases.Count == 0)
        {
            Console.Error.WriteLine($"side-by-side: unknown suite or no shapes: {string.Join(' ', args)}");
            return 2;
        }
        for (int pass = 0; pass < 3; pass++)
        {
            foreach (var (_, run) in cases)
            {
                long until = ThreadClock.Nanoseconds() + 100_000_000;
                while (ThreadClock.Nanoseconds() < until) run();
            }
            Thread.Sleep(1500);
        }
        var reps = cases.Select(c => Math.Max(1, (int)(2e7 / Math.Max(1, Time(c.Run, 3))))).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < cases.Count; c++)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT engine {cases[c].Name} {Time(cases[c].Run, reps[c]):F1}"));
        return 0;
    }

    private static double Time(Action run, int reps)
    {
        long t0 = ThreadClock.Nanoseconds();
        for (int i = 0; i < reps; i++) run();
        return (double)(ThreadClock.Nanoseconds() - t0) / reps;
    }

    /// <summary>
    /// The FMA peak: <see cref="PeakChains"/> independent chains of fused multiply-adds (as many as FMA pipes times
    /// their latency, with room to spare) of <see cref="PeakSteps"/> steps each, in zmm and ymm registers, single and
    /// double precision; and a chain of dependent one-cycle integer operations that measures the clock.
    /// </summary>
    private static List<(string, Action)> PeakCases() =>
    [
        ($"fma-zmm-f32-x{PeakChains * PeakSteps * 32}", () => Chains512(Vector512.Create(0.999f), Vector512.Create(1e-3f))),
        ($"fma-ymm-f32-x{PeakChains * PeakSteps * 16}", () => Chains256(Vector256.Create(0.999f), Vector256.Create(1e-3f))),
        ($"fma-zmm-f64-x{PeakChains * PeakSteps * 16}", () => Chains512(Vector512.Create(0.999), Vector512.Create(1e-3))),
        ($"clock-x{8 * PeakSteps}", () => DependentAdds(1, 3)),
    ];

    private const int PeakChains = 12, PeakSteps = 1 << 16;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<T> Chains512<T>(Vector512<T> x, Vector512<T> y)
    {
        Vector512<T> c0 = y, c1 = y + y, c2 = c1 + y, c3 = c2 + y, c4 = c3 + y, c5 = c4 + y;
        Vector512<T> c6 = c5 + y, c7 = c6 + y, c8 = c7 + y, c9 = c8 + y, c10 = c9 + y, c11 = c10 + y;
        for (int i = 0; i < PeakSteps; i++)
        {
            c0 = Fma(c0, x, y); c1 = Fma(c1, x, y); c2 = Fma(c2, x, y); c3 = Fma(c3, x, y);
            c4 = Fma(c4, x, y); c5 = Fma(c5, x, y); c6 = Fma(c6, x, y); c7 = Fma(c7, x, y);
            c8 = Fma(c8, x, y); c9 = Fma(c9, x, y); c10 = Fma(c10, x, y); c11 = Fma(c11, x, y);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> Chains256(Vector256<float> x, Vector256<float> y)
    {
        Vector256<float> c0 = y, c1 = y + y, c2 = c1 + y, c3 = c2 + y, c4 = c3 + y, c5 = c4 + y;
        Vector256<float> c6 = c5 + y, c7 = c6 + y, c8 = c7 + y, c9 = c8 + y, c10 = c9 + y, c11 = c10 + y;
        for (int i = 0; i < PeakSteps; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, x, y); c1 = Vector256.FusedMultiplyAdd(c1, x, y);
            c2 = Vector256.FusedMultiplyAdd(c2, x, y); c3 = Vector256.FusedMultiplyAdd(c3, x, y);
            c4 = Vector256.FusedMultiplyAdd(c4, x, y); c5 = Vector256.FusedMultiplyAdd(c5, x, y);
            c6 = Vector256.FusedMultiplyAdd(c6, x, y); c7 = Vector256.FusedMultiplyAdd(c7, x, y);
            c8 = Vector256.FusedMultiplyAdd(c8, x, y); c9 = Vector256.FusedMultiplyAdd(c9, x, y);
            c10 = Vector256.FusedMultiplyAdd(c10, x, y); c11 = Vector256.FusedMultiplyAdd(c11, x, y);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    /// <summary>Eight dependent one-cycle integer operations per step: the steps per second are the clock / 8.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong DependentAdds(ulong x, ulong y)
    {
        for (int i = 0; i < PeakSteps; i++)
        {
            x += y; x ^= y; x += y; x ^= y; x += y; x ^= y; x += y; x ^= y;
        }
        return x;
    }

    private static List<(string, Action)> GemmCases(IEnumerable<string> shapes)
    {
        var cases = new List<(string, Action)>();
        var sampler = new NormalSampler(2019);
        foreach (string text in shapes)
        {
            string[] f = text.Split(':');
            if (f.Length != 7) throw new ArgumentException($"shape '{text}' is not NAME:OPA:OPB:M:N:K:BETA");
            Op opA = f[1] == "T" ? Op.Transpose : Op.None, opB = f[2] == "T" ? Op.Transpose : Op.None;
            int m = int.Parse(f[3], CultureInfo.InvariantCulture), n = int.Parse(f[4], CultureInfo.InvariantCulture), k = int.Parse(f[5], CultureInfo.InvariantCulture);
            // alpha = 1 on every side, as the trainer calls the accumulating products (its step size rides in E).
            float beta = float.Parse(f[6], CultureInfo.InvariantCulture), alpha = 1f;
            // Aligned at least as gemm_openblas.c aligns its operands (aligned_alloc(64, ...)); AlignedBuffers start on pages.
            var a = new AlignedBuffer<float>(m * k);
            var b = new AlignedBuffer<float>(k * n);
            var c = new AlignedBuffer<float>(m * n);
            sampler.Fill(a.Span);
            sampler.Fill(b.Span);
            sampler.Fill(c.Span);
            int lda = opA == Op.None ? k : m, ldb = opB == Op.None ? n : k;
            cases.Add((f[0], () => Engine.Kernels.Gemm.Gemm.Multiply(opA, opB, m, n, k, alpha, a.Span, lda, b.Span, ldb, beta, c.Span, n)));
        }
        return cases;
    }

    private static List<(string, Action)> SamplerCases()
    {
        var sampler = new NormalSampler(3);
        float[] batch = new float[1500], large = new float[1_000_000];
        double[] batchD = new double[1500], largeD = new double[1_000_000];
        return
        [
            ("normal-f32-n1500", () => sampler.Fill(batch)),
            ("normal-f32-n1000000", () => sampler.Fill(large)),
            ("normal-f64-n1500", () => sampler.Fill(batchD)),
            ("normal-f64-n1000000", () => sampler.Fill(largeD)),
        ];
    }

    /// <summary>
    /// Homework 2's SGD step at D = 150, n = 10, r0 = 60, m = 10 for each width r: the step alone on a fixed batch, the
    /// step with a fresh batch (as training runs), and the parts of a fresh batch (1,500 normals, the planted labels);
    /// and the bonus study's momentum and Adam steps on the fixed batch.
    /// </summary>
    private static List<(string, Action)> StepCases()
    {
        var cases = new List<(string, Action)>();
        foreach (int r in new[] { 60, 120, 240, 480 })
        {
            var root = new NormalSampler(2019);
            var planted = PlantedNetwork.Draw(root.Split(0), 150, 60, 10);
            var stream = new PlantedStream(planted, root.Split(1), 10);
            var step = new SgdStep(ShallowReluNetwork.Initialize(root.Split(2), 150, r, 10), 10);
            stream.Next();
            float[] x = stream.X.ToArray(), y = stream.Y.ToArray();
            cases.Add(($"step-r{r}", () => step.Apply(x, y, 1e-4f)));
            cases.Add(($"step-fresh-batch-r{r}", () =>
            {
                stream.Next();
                step.Apply(stream.X, stream.Y, 1e-4f);
            }));
            // The bonus study's momentum and Adam on the same fixed batch (the gradient and the update in one pass).
            var momentum = new OptimizerStep(ShallowReluNetwork.Initialize(root.Split(3), 150, r, 10), 10, OptimizerKind.Momentum);
            var adam = new OptimizerStep(ShallowReluNetwork.Initialize(root.Split(4), 150, r, 10), 10, OptimizerKind.Adam);
            cases.Add(($"step-momentum-r{r}", () => momentum.Apply(x, y, 1e-4f)));
            cases.Add(($"step-adam-r{r}", () => adam.Apply(x, y, 1e-4f)));
        }
        {
            var root = new NormalSampler(2019);
            var stream = new PlantedStream(PlantedNetwork.Draw(root.Split(0), 150, 60, 10), root.Split(1), 10);
            var sampler = new NormalSampler(7);
            float[] x = new float[1500];
            cases.Add(("fresh-batch", stream.Next));
            cases.Add(("normal-f32-n1500", () => sampler.Fill(x)));
        }
        return cases;
    }

    /// <summary>Thread CPU time: on a shared machine, time spent descheduled must not count.</summary>
    private static class ThreadClock
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds, Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out Timespec time);

        private const int ThreadCpuTime = 3;

        public static long Nanoseconds()
        {
            ClockGetTime(ThreadCpuTime, out Timespec t);
            return t.Seconds * 1_000_000_000L + t.Nanoseconds;
        }
    }
}
