using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Gemm;

/// <summary>
/// AVX2 micro-kernel for machines without AVX-512: a tile of 6 rows by two ymm registers (6 x 16 floats, 6 x 8 doubles).
/// </summary>
/// <remarks>
/// AVX2 has 16 ymm registers: 12 accumulators, two B vectors and the broadcast A value use 15 of them, and
/// the 12 independent FMA chains per step cover the FMA latency on two pipes.
/// </remarks>
internal readonly unsafe struct MicroKernelAvx2_6x2ymm<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;
    public static bool IsSupported => Fma.IsSupported && Vector256.IsHardwareAccelerated;

    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        int width = Vector256<T>.Count;
        // As in the AVX-512 kernel: fetch the tile of C before the loop, so its misses overlap the FMAs.
        for (int r = 0; r < 6; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + 2 * Vector256<T>.Count - 1);
        }
        Vector256<T> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + width);
            Vector256<T> a_;
            a_ = Vector256.Create(a[0]); c0_0 = GemmSimd.Fma(a_, b0, c0_0); c0_1 = GemmSimd.Fma(a_, b1, c0_1);
            a_ = Vector256.Create(a[1]); c1_0 = GemmSimd.Fma(a_, b0, c1_0); c1_1 = GemmSimd.Fma(a_, b1, c1_1);
            a_ = Vector256.Create(a[2]); c2_0 = GemmSimd.Fma(a_, b0, c2_0); c2_1 = GemmSimd.Fma(a_, b1, c2_1);
            a_ = Vector256.Create(a[3]); c3_0 = GemmSimd.Fma(a_, b0, c3_0); c3_1 = GemmSimd.Fma(a_, b1, c3_1);
            a_ = Vector256.Create(a[4]); c4_0 = GemmSimd.Fma(a_, b0, c4_0); c4_1 = GemmSimd.Fma(a_, b1, c4_1);
            a_ = Vector256.Create(a[5]); c5_0 = GemmSimd.Fma(a_, b0, c5_0); c5_1 = GemmSimd.Fma(a_, b1, c5_1);
            a += 6;
            b += 2 * width;
        }
        Vector256<T> va = Vector256.Create(alpha);
        StoreRow(c + 0 * ldc, c0_0, c0_1, va, beta);
        StoreRow(c + 1 * ldc, c1_0, c1_1, va, beta);
        StoreRow(c + 2 * ldc, c2_0, c2_1, va, beta);
        StoreRow(c + 3 * ldc, c3_0, c3_1, va, beta);
        StoreRow(c + 4 * ldc, c4_0, c4_1, va, beta);
        StoreRow(c + 5 * ldc, c5_0, c5_1, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* row, Vector256<T> x0, Vector256<T> x1, Vector256<T> va, T beta)
    {
        Vector256<T> r0 = x0 * va, r1 = x1 * va;
        if (beta != T.Zero)
        {
            Vector256<T> vb = Vector256.Create(beta);
            r0 = GemmSimd.Fma(vb, Vector256.Load(row), r0);
            r1 = GemmSimd.Fma(vb, Vector256.Load(row + Vector256<T>.Count), r1);
        }
        r0.Store(row);
        r1.Store(row + Vector256<T>.Count);
    }
}
