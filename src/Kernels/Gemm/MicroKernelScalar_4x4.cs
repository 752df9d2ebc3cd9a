using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Gemm;

/// <summary>
/// Portable micro-kernel: a 4 x 4 tile in 16 scalar accumulators, for machines without usable vectors and for
/// the 128-bit and scalar widths. Like the vector kernels it accumulates each element of C over k in order with a
/// fused multiply-add, so it gives their bits; the speed comes from the vector kernels.
/// </summary>
internal readonly unsafe struct MicroKernelScalar_4x4<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 4;
    public static int NR => 4;
    public static bool IsSupported => true;

    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int p = 0; p < kc; p++)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 = GemmSimd.Fma(a0, b0, c00); c01 = GemmSimd.Fma(a0, b1, c01); c02 = GemmSimd.Fma(a0, b2, c02); c03 = GemmSimd.Fma(a0, b3, c03);
            c10 = GemmSimd.Fma(a1, b0, c10); c11 = GemmSimd.Fma(a1, b1, c11); c12 = GemmSimd.Fma(a1, b2, c12); c13 = GemmSimd.Fma(a1, b3, c13);
            c20 = GemmSimd.Fma(a2, b0, c20); c21 = GemmSimd.Fma(a2, b1, c21); c22 = GemmSimd.Fma(a2, b2, c22); c23 = GemmSimd.Fma(a2, b3, c23);
            c30 = GemmSimd.Fma(a3, b0, c30); c31 = GemmSimd.Fma(a3, b1, c31); c32 = GemmSimd.Fma(a3, b2, c32); c33 = GemmSimd.Fma(a3, b3, c33);
            a += 4;
            b += 4;
        }
        StoreRow(c, c00, c01, c02, c03, alpha, beta);
        StoreRow(c + ldc, c10, c11, c12, c13, alpha, beta);
        StoreRow(c + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        StoreRow(c + 3 * ldc, c30, c31, c32, c33, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* row, T x0, T x1, T x2, T x3, T alpha, T beta)
    {
        row[0] = GemmEpilogue.Combine(x0, alpha, beta, row);
        row[1] = GemmEpilogue.Combine(x1, alpha, beta, row + 1);
        row[2] = GemmEpilogue.Combine(x2, alpha, beta, row + 2);
        row[3] = GemmEpilogue.Combine(x3, alpha, beta, row + 3);
    }
}
