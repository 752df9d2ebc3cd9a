using System.Numerics;
using System.Runtime.InteropServices;
using Engine.Kernels.Simd;
using Engine.Kernels.Threading;

namespace Engine.Kernels.Gemm;

/// <summary>
/// BLIS-style GEMM: five loops around a register-blocked micro-kernel, with A and B packed into
/// cache-sized blocks (<see cref="GemmBlocking"/>). The micro-kernel is the widest one the width and the machine
/// allow: <see cref="MicroKernelAvx512_12x2zmm{T}"/>, <see cref="MicroKernelAvx2_6x2ymm{T}"/> or
/// <see cref="MicroKernelScalar_4x4{T}"/>.
/// </summary>
/// <remarks>
/// Every element of C is accumulated over each kc block of k in order, with one fused multiply-add per step,
/// starting from zero; the block's sum is scaled by alpha and added to C with one more (beta in the first block,
/// 1 after). KC is one constant (<see cref="GemmBlocking.KC"/>), and every micro-kernel follows that order, so an
/// element's bits depend on neither the micro-kernel, the vector width, the CPU, MC, NC, nor the thread count (large
/// products split the columns of C between threads at multiples of NR).
/// </remarks>
public static unsafe class GemmPacked
{
    /// <summary>Products of at least this many multiply-adds (m * n * k) are split over threads.</summary>
    internal const long ParallelThreshold = 4L << 20;

    /// <summary>The thread count large products use: as many as <see cref="KernelThreads"/> allows on the calling thread.</summary>
    internal static int MaxThreads => KernelThreads.Max;

    public static bool IsSupported => true;

    /// <summary>The micro-kernel this machine uses for <typeparamref name="T"/>, for the self-check and the benchmarks.</summary>
    public static string KernelName<T>() where T : unmanaged, INumber<T> => Kernel<T>() switch
    {
        Avx512 => $"MicroKernelAvx512_12x2zmm ({MicroKernelAvx512_12x2zmm<T>.MR}x{MicroKernelAvx512_12x2zmm<T>.NR})",
        Avx2 => $"MicroKernelAvx2_6x2ymm ({MicroKernelAvx2_6x2ymm<T>.MR}x{MicroKernelAvx2_6x2ymm<T>.NR})",
        _ => "MicroKernelScalar_4x4 (4x4)",
    };

    /// <summary>The cache block sizes this machine uses and why, for the self-check: "MC x KC x NC = ... (row; caches)".</summary>
    public static string BlockingDescription =>
        $"blocks MC x KC x NC = {GemmBlocking.MC<float>()} x {GemmBlocking.KC} x {GemmBlocking.NC<float>()} floats ({GemmBlocking.RowName}; detected {GemmBlocking.Caches})";

    private const int Avx512 = 512, Avx2 = 256, Scalar = 0;

    /// <summary>
    /// The micro-kernel for the width the calling thread runs at (<see cref="SimdDispatch.Current"/>): the widest the
    /// width and the hardware allow. All three accumulate every element of C over k in the same order with fused
    /// multiply-adds, so the choice changes the speed, never the bits.
    /// </summary>
    private static int Kernel<T>() where T : unmanaged, INumber<T>
    {
        VectorWidth width = SimdDispatch.Current;
        if (width == VectorWidth.Vector512 && MicroKernelAvx512_12x2zmm<T>.IsSupported) return Avx512;
        if (width >= VectorWidth.Vector256 && MicroKernelAvx2_6x2ymm<T>.IsSupported) return Avx2;
        return Scalar;
    }

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ThreadsFor(m, n, k));
    }

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ThreadsFor(m, n, k));
    }

    internal static int ThreadsFor(int m, int n, int k) =>
        (long)m * n * k >= ParallelThreshold ? MaxThreads : 1;

    /// <summary>The packed product with an explicit thread count (already validated arguments); tests use it to compare 1 and 2 threads.</summary>
    internal static void Run<T>(Op opA, Op opB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, int threads) where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            GemmEpilogue.ScaleC(m, n, beta, c, ldc);
            return;
        }
        switch (Kernel<T>())
        {
            case Avx512: Run<T, MicroKernelAvx512_12x2zmm<T>>(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads); break;
            case Avx2: Run<T, MicroKernelAvx2_6x2ymm<T>>(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads); break;
            default: Run<T, MicroKernelScalar_4x4<T>>(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads); break;
        }
    }

    private static void Run<T, TKernel>(Op opA, Op opB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, int threads)
        where T : unmanaged, INumber<T>
        where TKernel : struct, IMicroKernel<T>
    {
        int nr = TKernel.NR;
        int panels = (n + nr - 1) / nr;
        threads = Math.Clamp(threads, 1, panels);
        fixed (T* pa = a, pb = b, pc = c)
        {
            var job = new Job<T>(opA, opB, m, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (threads == 1)
            {
                RunColumns<T, TKernel>(job, 0, n);
                return;
            }
            // Each thread owns a contiguous range of whole micro-panels of columns, packs its own B panels
            // and its own A blocks, and writes a disjoint part of C: no synchronization inside the loops.
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int first = (int)((long)panels * t / threads) * nr;
                int last = Math.Min(n, (int)((long)panels * (t + 1) / threads) * nr);
                RunColumns<T, TKernel>(job, first, last);
            });
        }
    }

    /// <summary>Loops 5 to 3 over the columns [j0, j1) of C.</summary>
    private static void RunColumns<T, TKernel>(Job<T> job, int j0, int j1)
        where T : unmanaged, INumber<T>
        where TKernel : struct, IMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int kcMax = GemmBlocking.KC, mcMax = GemmBlocking.MC<T>(), ncMax = GemmBlocking.NC<T>();
        PackBuffers<T> buffers = PackBuffers<T>.ForThisThread(mcMax * kcMax, kcMax * ncMax);
        T* aPacked = buffers.A, bPacked = buffers.B;
        // LOOP 5: split n into nc; the packed B panel of each iteration is reused by all of loop 3.
        for (int jc = j0; jc < j1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, j1 - jc);
            // LOOP 4: split k into kc and pack B; C takes beta only in the first kc block, then accumulates.
            for (int pc = 0; pc < job.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, job.K - pc);
                T beta = pc == 0 ? job.Beta : T.One;
                GemmPacking.PackB(job.OpB, job.B, job.Ldb, pc, jc, kc, nc, nr, bPacked);
                // LOOP 3: split m into mc and pack A; the macro-kernel runs loops 2 and 1.
                for (int ic = 0; ic < job.M; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, job.M - ic);
                    GemmPacking.PackA(job.OpA, job.A, job.Lda, ic, pc, mc, kc, mr, aPacked);
                    GemmMacroKernel.Run<T, TKernel>(mc, nc, kc, aPacked, bPacked,
                        job.C + (nint)ic * job.Ldc + jc, job.Ldc, job.Alpha, beta);
                }
            }
        }
    }

    /// <summary>The operands of one product as raw pointers, pinned by the caller for the whole call.</summary>
    private sealed class Job<T>(Op opA, Op opB, int m, int k, T alpha, T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc)
        where T : unmanaged
    {
        public readonly Op OpA = opA, OpB = opB;
        public readonly int M = m, K = k;
        public readonly T Alpha = alpha, Beta = beta;
        public readonly T* A = a, B = b, C = c;
        public readonly nint Lda = lda, Ldb = ldb, Ldc = ldc;
    }

    /// <summary>
    /// Per-thread packing buffers, allocated once at the largest block size, 64-byte aligned so packed
    /// micro-panel rows never straddle a cache line. They live as long as the thread.
    /// </summary>
    private sealed class PackBuffers<T> where T : unmanaged
    {
        [ThreadStatic] private static PackBuffers<T>? current;

        public readonly T* A, B;
        private readonly int aLength, bLength;

        private PackBuffers(int aLength, int bLength)
        {
            this.aLength = aLength;
            this.bLength = bLength;
            A = (T*)NativeMemory.AlignedAlloc((nuint)(aLength * sizeof(T)), 64);
            B = (T*)NativeMemory.AlignedAlloc((nuint)(bLength * sizeof(T)), 64);
        }

        ~PackBuffers()
        {
            NativeMemory.AlignedFree(A);
            NativeMemory.AlignedFree(B);
        }

        public static PackBuffers<T> ForThisThread(int aLength, int bLength)
        {
            PackBuffers<T>? buffers = current;
            if (buffers is null || buffers.aLength < aLength || buffers.bLength < bLength)
                current = buffers = new PackBuffers<T>(aLength, bLength);
            return buffers;
        }
    }
}
