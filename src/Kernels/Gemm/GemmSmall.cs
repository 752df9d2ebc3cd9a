using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Gemm;

/// <summary>
/// GEMM for small products, register-blocked with AVX-512 and no packing: for the trainer's shapes (m = 10,
/// k = 10 or 150, n up to 480) packing would copy about as much data as the product reads, so the kernels read
/// A and B where they are. With op(B) = B, a tile of 5 rows by 4 zmm of C accumulates broadcast A values times
/// rows of B (the rows of op(A) may be strided, so op(A) = A^T costs nothing); the last partial vector of a
/// row uses masked loads and stores. With op(A) = A and op(B) = B^T, tiles of 2 x 5 dot products run along the
/// contiguous rows of both operands. The remaining case (both transposed) goes to <see cref="GemmPacked"/>.
/// </summary>
public static unsafe class GemmSmall
{
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The product on validated arguments.</summary>
    internal static void Run<T>(Op opA, Op opB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        if (!IsSupported || (opA == Op.Transpose && opB == Op.Transpose))
        {
            GemmPacked.Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmPacked.ThreadsFor(m, n, k));
            return;
        }
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            GemmEpilogue.ScaleC(m, n, beta, c, ldc);
            return;
        }
        fixed (T* pa = a, pb = b, pc = c)
        {
            if (opB == Op.None)
            {
                // op(A)(i, p) sits at a + i * rowStride + p * stepStride.
                (nint rowStride, nint stepStride) = opA == Op.None ? ((nint)lda, (nint)1) : (1, lda);
                Broadcast(m, n, k, pa, rowStride, stepStride, pb, ldb, pc, ldc, alpha, beta);
            }
            else
                Dots(m, n, k, pa, lda, pb, ldb, pc, ldc, alpha, beta);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Broadcast<T>(int m, int n, int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb,
        T* c, nint ldc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        int i = 0;
        for (; i <= m - 5; i += 5)
        {
            T* aRows = a + i * rowStride;
            T* cRows = c + i * ldc;
            int j = 0;
            for (; j <= n - 4 * w; j += 4 * w)
                Tile5x4(k, aRows, rowStride, stepStride, b + j, ldb, cRows + j, ldc, alpha, beta);
            for (; j < n; j += w)
                Tile5x1Masked(k, aRows, rowStride, stepStride, b + j, ldb, cRows + j, ldc, alpha, beta, GemmSimd.FirstLanes<T>(n - j));
        }
        for (; i < m; i++)
        {
            T* aRow = a + i * rowStride;
            T* cRow = c + i * ldc;
            int j = 0;
            for (; j <= n - 4 * w; j += 4 * w)
                Tile1x4(k, aRow, rowStride, stepStride, b + j, ldb, cRow + j, ldc, alpha, beta);
            for (; j < n; j += w)
                Tile1x1Masked(k, aRow, rowStride, stepStride, b + j, ldb, cRow + j, ldc, alpha, beta, GemmSimd.FirstLanes<T>(n - j));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots<T>(int m, int n, int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            DotsSingle(m, n, k, (float*)a, lda, (float*)b, ldb, (float*)c, ldc, Unsafe.As<T, float>(ref alpha), Unsafe.As<T, float>(ref beta));
            return;
        }
        int i = 0;
        for (; i <= m - 2; i += 2)
        {
            int j = 0;
            for (; j <= n - 5; j += 5)
                Dot2x5(k, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc, alpha, beta);
            for (; j < n; j++)
            {
                Dot1x1(k, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc, alpha, beta);
                Dot1x1(k, a + (i + 1) * lda, lda, b + j * ldb, ldb, c + (i + 1) * ldc + j, ldc, alpha, beta);
            }
        }
        for (; i < m; i++)
            for (int j = 0; j < n; j++)
                Dot1x1(k, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector512<T> acc, Vector512<T> va, T beta) where T : unmanaged, INumber<T>
    {
        Vector512<T> r = acc * va;
        if (beta != T.Zero) r = GemmSimd.Fma(Vector512.Create(beta), Vector512.Load(c), r);
        r.Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked<T>(T* c, Vector512<T> acc, Vector512<T> va, T beta, Vector512<T> mask) where T : unmanaged, INumber<T>
    {
        Vector512<T> r = acc * va;
        if (beta != T.Zero) r = GemmSimd.Fma(Vector512.Create(beta), GemmSimd.MaskLoad(c, mask), r);
        GemmSimd.MaskStore(c, mask, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile5x4<T>(int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb, T* c, nint ldc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c0_0 = default, c0_1 = default, c0_2 = default, c0_3 = default, c1_0 = default, c1_1 = default, c1_2 = default, c1_3 = default, c2_0 = default, c2_1 = default, c2_2 = default, c2_3 = default, c3_0 = default, c3_1 = default, c3_2 = default, c3_3 = default, c4_0 = default, c4_1 = default, c4_2 = default, c4_3 = default;
        T* a1 = a + 1 * rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        for (int p = 0; p < k; p++)
        {
            Vector512<T> b0 = Vector512.Load(b + 0 * w);
            Vector512<T> b1 = Vector512.Load(b + 1 * w);
            Vector512<T> b2 = Vector512.Load(b + 2 * w);
            Vector512<T> b3 = Vector512.Load(b + 3 * w);
            Vector512<T> x0 = Vector512.Create(*a);
            c0_0 = GemmSimd.Fma(x0, b0, c0_0); c0_1 = GemmSimd.Fma(x0, b1, c0_1); c0_2 = GemmSimd.Fma(x0, b2, c0_2); c0_3 = GemmSimd.Fma(x0, b3, c0_3);
            Vector512<T> x1 = Vector512.Create(*a1);
            c1_0 = GemmSimd.Fma(x1, b0, c1_0); c1_1 = GemmSimd.Fma(x1, b1, c1_1); c1_2 = GemmSimd.Fma(x1, b2, c1_2); c1_3 = GemmSimd.Fma(x1, b3, c1_3);
            Vector512<T> x2 = Vector512.Create(*a2);
            c2_0 = GemmSimd.Fma(x2, b0, c2_0); c2_1 = GemmSimd.Fma(x2, b1, c2_1); c2_2 = GemmSimd.Fma(x2, b2, c2_2); c2_3 = GemmSimd.Fma(x2, b3, c2_3);
            Vector512<T> x3 = Vector512.Create(*a3);
            c3_0 = GemmSimd.Fma(x3, b0, c3_0); c3_1 = GemmSimd.Fma(x3, b1, c3_1); c3_2 = GemmSimd.Fma(x3, b2, c3_2); c3_3 = GemmSimd.Fma(x3, b3, c3_3);
            Vector512<T> x4 = Vector512.Create(*a4);
            c4_0 = GemmSimd.Fma(x4, b0, c4_0); c4_1 = GemmSimd.Fma(x4, b1, c4_1); c4_2 = GemmSimd.Fma(x4, b2, c4_2); c4_3 = GemmSimd.Fma(x4, b3, c4_3);
            a += stepStride;
            a1 += stepStride;
            a2 += stepStride;
            a3 += stepStride;
            a4 += stepStride;
            b += ldb;
        }
        Vector512<T> va = Vector512.Create(alpha);
        Store(c + 0 * ldc + 0 * w, c0_0, va, beta);
        Store(c + 0 * ldc + 1 * w, c0_1, va, beta);
        Store(c + 0 * ldc + 2 * w, c0_2, va, beta);
        Store(c + 0 * ldc + 3 * w, c0_3, va, beta);
        Store(c + 1 * ldc + 0 * w, c1_0, va, beta);
        Store(c + 1 * ldc + 1 * w, c1_1, va, beta);
        Store(c + 1 * ldc + 2 * w, c1_2, va, beta);
        Store(c + 1 * ldc + 3 * w, c1_3, va, beta);
        Store(c + 2 * ldc + 0 * w, c2_0, va, beta);
        Store(c + 2 * ldc + 1 * w, c2_1, va, beta);
        Store(c + 2 * ldc + 2 * w, c2_2, va, beta);
        Store(c + 2 * ldc + 3 * w, c2_3, va, beta);
        Store(c + 3 * ldc + 0 * w, c3_0, va, beta);
        Store(c + 3 * ldc + 1 * w, c3_1, va, beta);
        Store(c + 3 * ldc + 2 * w, c3_2, va, beta);
        Store(c + 3 * ldc + 3 * w, c3_3, va, beta);
        Store(c + 4 * ldc + 0 * w, c4_0, va, beta);
        Store(c + 4 * ldc + 1 * w, c4_1, va, beta);
        Store(c + 4 * ldc + 2 * w, c4_2, va, beta);
        Store(c + 4 * ldc + 3 * w, c4_3, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile5x1Masked<T>(int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, Vector512<T> mask) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c0_0 = default, c1_0 = default, c2_0 = default, c3_0 = default, c4_0 = default;
        T* a1 = a + 1 * rowStride;
        T* a2 = a + 2 * rowStride;
        T* a3 = a + 3 * rowStride;
        T* a4 = a + 4 * rowStride;
        for (int p = 0; p < k; p++)
        {
            Vector512<T> b0 = GemmSimd.MaskLoad(b, mask);
            Vector512<T> x0 = Vector512.Create(*a);
            c0_0 = GemmSimd.Fma(x0, b0, c0_0);
            Vector512<T> x1 = Vector512.Create(*a1);
            c1_0 = GemmSimd.Fma(x1, b0, c1_0);
            Vector512<T> x2 = Vector512.Create(*a2);
            c2_0 = GemmSimd.Fma(x2, b0, c2_0);
            Vector512<T> x3 = Vector512.Create(*a3);
            c3_0 = GemmSimd.Fma(x3, b0, c3_0);
            Vector512<T> x4 = Vector512.Create(*a4);
            c4_0 = GemmSimd.Fma(x4, b0, c4_0);
            a += stepStride;
            a1 += stepStride;
            a2 += stepStride;
            a3 += stepStride;
            a4 += stepStride;
            b += ldb;
        }
        Vector512<T> va = Vector512.Create(alpha);
        StoreMasked(c + 0 * ldc, c0_0, va, beta, mask);
        StoreMasked(c + 1 * ldc, c1_0, va, beta, mask);
        StoreMasked(c + 2 * ldc, c2_0, va, beta, mask);
        StoreMasked(c + 3 * ldc, c3_0, va, beta, mask);
        StoreMasked(c + 4 * ldc, c4_0, va, beta, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x4<T>(int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb, T* c, nint ldc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c0_0 = default, c0_1 = default, c0_2 = default, c0_3 = default;
        for (int p = 0; p < k; p++)
        {
            Vector512<T> b0 = Vector512.Load(b + 0 * w);
            Vector512<T> b1 = Vector512.Load(b + 1 * w);
            Vector512<T> b2 = Vector512.Load(b + 2 * w);
            Vector512<T> b3 = Vector512.Load(b + 3 * w);
            Vector512<T> x0 = Vector512.Create(*a);
            c0_0 = GemmSimd.Fma(x0, b0, c0_0); c0_1 = GemmSimd.Fma(x0, b1, c0_1); c0_2 = GemmSimd.Fma(x0, b2, c0_2); c0_3 = GemmSimd.Fma(x0, b3, c0_3);
            a += stepStride;
            b += ldb;
        }
        Vector512<T> va = Vector512.Create(alpha);
        Store(c + 0 * ldc + 0 * w, c0_0, va, beta);
        Store(c + 0 * ldc + 1 * w, c0_1, va, beta);
        Store(c + 0 * ldc + 2 * w, c0_2, va, beta);
        Store(c + 0 * ldc + 3 * w, c0_3, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x1Masked<T>(int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, Vector512<T> mask) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c0_0 = default;
        for (int p = 0; p < k; p++)
        {
            Vector512<T> b0 = GemmSimd.MaskLoad(b, mask);
            Vector512<T> x0 = Vector512.Create(*a);
            c0_0 = GemmSimd.Fma(x0, b0, c0_0);
            a += stepStride;
            b += ldb;
        }
        Vector512<T> va = Vector512.Create(alpha);
        StoreMasked(c + 0 * ldc, c0_0, va, beta, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot2x5<T>(int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> s0_0 = default, s0_1 = default, s0_2 = default, s0_3 = default, s0_4 = default, s1_0 = default, s1_1 = default, s1_2 = default, s1_3 = default, s1_4 = default;
        int p = 0;
        for (; p <= k - w; p += w)
        {
            Vector512<T> x0 = Vector512.Load(a + 0 * lda + p);
            Vector512<T> x1 = Vector512.Load(a + 1 * lda + p);
            Vector512<T> y0 = Vector512.Load(b + 0 * ldb + p);
            s0_0 = GemmSimd.Fma(x0, y0, s0_0); s1_0 = GemmSimd.Fma(x1, y0, s1_0);
            Vector512<T> y1 = Vector512.Load(b + 1 * ldb + p);
            s0_1 = GemmSimd.Fma(x0, y1, s0_1); s1_1 = GemmSimd.Fma(x1, y1, s1_1);
            Vector512<T> y2 = Vector512.Load(b + 2 * ldb + p);
            s0_2 = GemmSimd.Fma(x0, y2, s0_2); s1_2 = GemmSimd.Fma(x1, y2, s1_2);
            Vector512<T> y3 = Vector512.Load(b + 3 * ldb + p);
            s0_3 = GemmSimd.Fma(x0, y3, s0_3); s1_3 = GemmSimd.Fma(x1, y3, s1_3);
            Vector512<T> y4 = Vector512.Load(b + 4 * ldb + p);
            s0_4 = GemmSimd.Fma(x0, y4, s0_4); s1_4 = GemmSimd.Fma(x1, y4, s1_4);
        }
        if (p < k)
        {
            Vector512<T> mask = GemmSimd.FirstLanes<T>(k - p);
            Vector512<T> x0 = GemmSimd.MaskLoad(a + 0 * lda + p, mask);
            Vector512<T> x1 = GemmSimd.MaskLoad(a + 1 * lda + p, mask);
            Vector512<T> y0 = GemmSimd.MaskLoad(b + 0 * ldb + p, mask);
            s0_0 = GemmSimd.Fma(x0, y0, s0_0); s1_0 = GemmSimd.Fma(x1, y0, s1_0);
            Vector512<T> y1 = GemmSimd.MaskLoad(b + 1 * ldb + p, mask);
            s0_1 = GemmSimd.Fma(x0, y1, s0_1); s1_1 = GemmSimd.Fma(x1, y1, s1_1);
            Vector512<T> y2 = GemmSimd.MaskLoad(b + 2 * ldb + p, mask);
            s0_2 = GemmSimd.Fma(x0, y2, s0_2); s1_2 = GemmSimd.Fma(x1, y2, s1_2);
            Vector512<T> y3 = GemmSimd.MaskLoad(b + 3 * ldb + p, mask);
            s0_3 = GemmSimd.Fma(x0, y3, s0_3); s1_3 = GemmSimd.Fma(x1, y3, s1_3);
            Vector512<T> y4 = GemmSimd.MaskLoad(b + 4 * ldb + p, mask);
            s0_4 = GemmSimd.Fma(x0, y4, s0_4); s1_4 = GemmSimd.Fma(x1, y4, s1_4);
        }
        c[0 * ldc + 0] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s0_0), alpha, beta, c + 0 * ldc + 0);
        c[0 * ldc + 1] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s0_1), alpha, beta, c + 0 * ldc + 1);
        c[0 * ldc + 2] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s0_2), alpha, beta, c + 0 * ldc + 2);
        c[0 * ldc + 3] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s0_3), alpha, beta, c + 0 * ldc + 3);
        c[0 * ldc + 4] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s0_4), alpha, beta, c + 0 * ldc + 4);
        c[1 * ldc + 0] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s1_0), alpha, beta, c + 1 * ldc + 0);
        c[1 * ldc + 1] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s1_1), alpha, beta, c + 1 * ldc + 1);
        c[1 * ldc + 2] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s1_2), alpha, beta, c + 1 * ldc + 2);
        c[1 * ldc + 3] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s1_3), alpha, beta, c + 1 * ldc + 3);
        c[1 * ldc + 4] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s1_4), alpha, beta, c + 1 * ldc + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot1x1<T>(int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta) where T : unmanaged, INumber<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> s0_0 = default;
        int p = 0;
        for (; p <= k - w; p += w)
        {
            Vector512<T> x0 = Vector512.Load(a + 0 * lda + p);
            Vector512<T> y0 = Vector512.Load(b + 0 * ldb + p);
            s0_0 = GemmSimd.Fma(x0, y0, s0_0);
        }
        if (p < k)
        {
            Vector512<T> mask = GemmSimd.FirstLanes<T>(k - p);
            Vector512<T> x0 = GemmSimd.MaskLoad(a + 0 * lda + p, mask);
            Vector512<T> y0 = GemmSimd.MaskLoad(b + 0 * ldb + p, mask);
            s0_0 = GemmSimd.Fma(x0, y0, s0_0);
        }
        c[0 * ldc + 0] = GemmEpilogue.Combine(GemmSimd.HorizontalSum(s0_0), alpha, beta, c + 0 * ldc + 0);
    }

    /// <summary>
    /// Single precision dot products in tiles of 2 rows of A by 5 rows of B. Four of the five sums of a row are
    /// reduced together (<see cref="Sum4"/>) and land contiguously in C; with k as short as 60 the reductions
    /// cost as much as the products, and reducing jointly does a quarter of the shuffles of separate sums.
    /// Edge tiles repeat the last valid row of A or B and store only the valid results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotsSingle(int m, int n, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        int w = Vector512<float>.Count;
        int full = k - k % w;
        Vector512<float> mask = GemmSimd.FirstLanes<float>(k - full);
        for (int i = 0; i < m; i += 2)
        {
            int rows = Math.Min(2, m - i);
            float* a0 = a + i * lda, a1 = a0 + (rows - 1) * lda;
            for (int j = 0; j < n; j += 5)
            {
                int cols = Math.Min(5, n - j);
                float* b0 = b + j * ldb;
                float* b1 = b0 + Math.Min(1, cols - 1) * ldb;
                float* b2 = b0 + Math.Min(2, cols - 1) * ldb;
                float* b3 = b0 + Math.Min(3, cols - 1) * ldb;
                float* b4 = b0 + Math.Min(4, cols - 1) * ldb;
                Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
                Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
                int p = 0;
                for (; p < full; p += w)
                {
                    Vector512<float> x0 = Vector512.Load(a0 + p), x1 = Vector512.Load(a1 + p);
                    Vector512<float> y = Vector512.Load(b0 + p);
                    s00 = GemmSimd.Fma(x0, y, s00); s10 = GemmSimd.Fma(x1, y, s10);
                    y = Vector512.Load(b1 + p);
                    s01 = GemmSimd.Fma(x0, y, s01); s11 = GemmSimd.Fma(x1, y, s11);
                    y = Vector512.Load(b2 + p);
                    s02 = GemmSimd.Fma(x0, y, s02); s12 = GemmSimd.Fma(x1, y, s12);
                    y = Vector512.Load(b3 + p);
                    s03 = GemmSimd.Fma(x0, y, s03); s13 = GemmSimd.Fma(x1, y, s13);
                    y = Vector512.Load(b4 + p);
                    s04 = GemmSimd.Fma(x0, y, s04); s14 = GemmSimd.Fma(x1, y, s14);
                }
                if (p < k)
                {
                    Vector512<float> x0 = GemmSimd.MaskLoad(a0 + p, mask), x1 = GemmSimd.MaskLoad(a1 + p, mask);
                    Vector512<float> y = GemmSimd.MaskLoad(b0 + p, mask);
                    s00 = GemmSimd.Fma(x0, y, s00); s10 = GemmSimd.Fma(x1, y, s10);
                    y = GemmSimd.MaskLoad(b1 + p, mask);
                    s01 = GemmSimd.Fma(x0, y, s01); s11 = GemmSimd.Fma(x1, y, s11);
                    y = GemmSimd.MaskLoad(b2 + p, mask);
                    s02 = GemmSimd.Fma(x0, y, s02); s12 = GemmSimd.Fma(x1, y, s12);
                    y = GemmSimd.MaskLoad(b3 + p, mask);
                    s03 = GemmSimd.Fma(x0, y, s03); s13 = GemmSimd.Fma(x1, y, s13);
                    y = GemmSimd.MaskLoad(b4 + p, mask);
                    s04 = GemmSimd.Fma(x0, y, s04); s14 = GemmSimd.Fma(x1, y, s14);
                }
                StoreSums(c + i * ldc + j, Sum4(s00, s01, s02, s03), GemmSimd.HorizontalSum(s04), alpha, beta, cols);
                if (rows == 2)
                    StoreSums(c + (i + 1) * ldc + j, Sum4(s10, s11, s12, s13), GemmSimd.HorizontalSum(s14), alpha, beta, cols);
            }
        }
    }

    /// <summary>The lane sums of four vectors, as one 4-lane vector, in a fixed order of additions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        // Within each 128-bit block: (v0[0]+v0[2], v1[0]+v1[2], v0[1]+v0[3], v1[1]+v1[3]), and the same for v2, v3.
        Vector512<float> s01 = Avx512F.UnpackLow(v0, v1) + Avx512F.UnpackHigh(v0, v1);
        Vector512<float> s23 = Avx512F.UnpackLow(v2, v3) + Avx512F.UnpackHigh(v2, v3);
        // Within each block: the block sums of v0, v1, v2, v3.
        Vector512<float> blocks = Avx512F.Shuffle(s01, s23, 0b01_00_01_00) + Avx512F.Shuffle(s01, s23, 0b11_10_11_10);
        Vector256<float> half = blocks.GetLower() + blocks.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(float* c, Vector128<float> first4, float fifth, float alpha, float beta, int cols)
    {
        if (cols == 5)
        {
            Vector128<float> r = first4 * alpha;
            if (beta != 0) r = Vector128.FusedMultiplyAdd(Vector128.Create(beta), Vector128.Load(c), r);
            r.Store(c);
            c[4] = GemmEpilogue.Combine(fifth, alpha, beta, c + 4);
            return;
        }
        for (int j = 0; j < cols; j++)
            c[j] = GemmEpilogue.Combine(first4.GetElement(j), alpha, beta, c + j);
    }
}
