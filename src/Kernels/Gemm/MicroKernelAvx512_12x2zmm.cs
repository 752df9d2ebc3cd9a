using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Gemm;

/// <summary>
/// AVX-512 micro-kernel: a tile of 12 rows by two zmm registers (12 x 32 floats, 12 x 16 doubles).
/// </summary>
/// <remarks>
/// The 24 accumulators, the two B vectors of the current step of k and the broadcast A value use 27 of the
/// 32 zmm registers, so nothing spills. Each step issues 24 independent FMAs against 2 vector loads and 12
/// broadcasts, enough independent work to cover the 4-cycle FMA latency on two FMA pipes (8 chains needed).
/// </remarks>
internal readonly unsafe struct MicroKernelAvx512_12x2zmm<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 12;
    public static int NR => 2 * Vector512<T>.Count;
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        int width = Vector512<T>.Count;
        // The tile of C is stored (and with beta read) only after the loop: fetch its lines now, so that the misses
        // of a C larger than the caches overlap the 256 steps of FMAs instead of stalling the epilogue.
        for (int r = 0; r < 12; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + 2 * width - 1);
        }
        Vector512<T> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default, c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default, c8_0 = default, c8_1 = default, c9_0 = default, c9_1 = default, c10_0 = default, c10_1 = default, c11_0 = default, c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = Vector512.Load(b + width);
            Vector512<T> a_;
            a_ = Vector512.Create(a[0]); c0_0 = GemmSimd.Fma(a_, b0, c0_0); c0_1 = GemmSimd.Fma(a_, b1, c0_1);
            a_ = Vector512.Create(a[1]); c1_0 = GemmSimd.Fma(a_, b0, c1_0); c1_1 = GemmSimd.Fma(a_, b1, c1_1);
            a_ = Vector512.Create(a[2]); c2_0 = GemmSimd.Fma(a_, b0, c2_0); c2_1 = GemmSimd.Fma(a_, b1, c2_1);
            a_ = Vector512.Create(a[3]); c3_0 = GemmSimd.Fma(a_, b0, c3_0); c3_1 = GemmSimd.Fma(a_, b1, c3_1);
            a_ = Vector512.Create(a[4]); c4_0 = GemmSimd.Fma(a_, b0, c4_0); c4_1 = GemmSimd.Fma(a_, b1, c4_1);
            a_ = Vector512.Create(a[5]); c5_0 = GemmSimd.Fma(a_, b0, c5_0); c5_1 = GemmSimd.Fma(a_, b1, c5_1);
            a_ = Vector512.Create(a[6]); c6_0 = GemmSimd.Fma(a_, b0, c6_0); c6_1 = GemmSimd.Fma(a_, b1, c6_1);
            a_ = Vector512.Create(a[7]); c7_0 = GemmSimd.Fma(a_, b0, c7_0); c7_1 = GemmSimd.Fma(a_, b1, c7_1);
            a_ = Vector512.Create(a[8]); c8_0 = GemmSimd.Fma(a_, b0, c8_0); c8_1 = GemmSimd.Fma(a_, b1, c8_1);
            a_ = Vector512.Create(a[9]); c9_0 = GemmSimd.Fma(a_, b0, c9_0); c9_1 = GemmSimd.Fma(a_, b1, c9_1);
            a_ = Vector512.Create(a[10]); c10_0 = GemmSimd.Fma(a_, b0, c10_0); c10_1 = GemmSimd.Fma(a_, b1, c10_1);
            a_ = Vector512.Create(a[11]); c11_0 = GemmSimd.Fma(a_, b0, c11_0); c11_1 = GemmSimd.Fma(a_, b1, c11_1);
            a += 12;
            b += 2 * width;
        }
        Vector512<T> va = Vector512.Create(alpha);
        StoreRow(c + 0 * ldc, c0_0, c0_1, va, beta);
        StoreRow(c + 1 * ldc, c1_0, c1_1, va, beta);
        StoreRow(c + 2 * ldc, c2_0, c2_1, va, beta);
        StoreRow(c + 3 * ldc, c3_0, c3_1, va, beta);
        StoreRow(c + 4 * ldc, c4_0, c4_1, va, beta);
        StoreRow(c + 5 * ldc, c5_0, c5_1, va, beta);
        StoreRow(c + 6 * ldc, c6_0, c6_1, va, beta);
        StoreRow(c + 7 * ldc, c7_0, c7_1, va, beta);
        StoreRow(c + 8 * ldc, c8_0, c8_1, va, beta);
        StoreRow(c + 9 * ldc, c9_0, c9_1, va, beta);
        StoreRow(c + 10 * ldc, c10_0, c10_1, va, beta);
        StoreRow(c + 11 * ldc, c11_0, c11_1, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* row, Vector512<T> x0, Vector512<T> x1, Vector512<T> va, T beta)
    {
        Vector512<T> r0 = x0 * va, r1 = x1 * va;
        if (beta != T.Zero)
        {
            Vector512<T> vb = Vector512.Create(beta);
            r0 = GemmSimd.Fma(vb, Vector512.Load(row), r0);
            r1 = GemmSimd.Fma(vb, Vector512.Load(row + Vector512<T>.Count), r1);
        }
        r0.Store(row);
        r1.Store(row + Vector512<T>.Count);
    }
}
