using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Simd;

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
    /// <summary>Always: the broadcast tiles need AVX-512 at the 512-bit width and hand over to the bit-identical packed product otherwise.</summary>
    public static bool IsSupported => true;

    // The register tiles of the broadcast form are written for zmm registers.
    private static bool BroadcastTilesRun => SimdDispatch.Current == VectorWidth.Vector512 && Avx512F.IsSupported && Avx512F.VL.IsSupported;

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
        if ((opA == Op.Transpose && opB == Op.Transpose) || (opB == Op.None && !BroadcastTilesRun))
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
            if (opB == Op.None && (long)m * n <= TinyElements)
            {
                Tiny(m, n, k, pa, opA == Op.None ? lda : 1, opA == Op.None ? 1 : lda, pb, ldb, pc, ldc, alpha, beta);
                return;
            }
            if (opB == Op.None)
            {
                // op(A)(i, p) sits at a + i * rowStride + p * stepStride. k is cut into the packed product's kc blocks,
                // C taking beta in the first and accumulating after, so every element is rounded exactly as there.
                (nint rowStride, nint stepStride) = opA == Op.None ? ((nint)lda, (nint)1) : (1, lda);
                for (int p0 = 0; p0 < k; p0 += GemmBlocking.KC)
                {
                    int steps = Math.Min(GemmBlocking.KC, k - p0);
                    T blockBeta = p0 == 0 ? beta : T.One;
                    // alpha = 1 (the trainer's products, which carry the step size in E) skips the multiply of every sum.
                    if (alpha == T.One)
                        Broadcast<T, AlphaOne>(m, n, steps, pa + p0 * stepStride, rowStride, stepStride, pb + (nint)p0 * ldb, ldb, pc, ldc, alpha, blockBeta);
                    else
                        Broadcast<T, AlphaAny>(m, n, steps, pa + p0 * stepStride, rowStride, stepStride, pb + (nint)p0 * ldb, ldb, pc, ldc, alpha, blockBeta);
                }
            }
            else
                Dots(m, n, k, pa, lda, pb, ldb, pc, ldc, alpha, beta);
        }
    }

    /// <summary>Products of at most this many elements of C skip the register tiles' set-up (masks, strips, two calls).</summary>
    private const int TinyElements = 4;

    /// <summary>
    /// A product of a few elements in scalars: each element accumulates over each kc block of k in order with fused
    /// multiply-adds and is combined with C as the tiles combine it, so the bits are the tiles' bits; what it saves is
    /// their fixed cost, most of a call this small.
    /// </summary>
    private static void Tiny<T>(int m, int n, int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        for (int p0 = 0; p0 < k; p0 += GemmBlocking.KC)
        {
            int steps = Math.Min(GemmBlocking.KC, k - p0);
            T blockBeta = p0 == 0 ? beta : T.One;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    T* ai = a + i * rowStride + p0 * stepStride;
                    T* bj = b + (nint)p0 * ldb + j;
                    T acc = T.Zero;
                    for (int p = 0; p < steps; p++) acc = GemmSimd.Fma(ai[p * stepStride], bj[p * ldb], acc);
                    c[i * ldc + j] = GemmEpilogue.Combine(acc, alpha, blockBeta, c + i * ldc + j);
                }
        }
    }

    /// <summary>
    /// Strips of C one to four vectors wide, left to right, each computed in one call of <see cref="Tile"/> down all its
    /// blocks of five rows; the last strip's last vector is partial where the rows of C end mid-vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Broadcast<T, TAlpha>(int m, int n, int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb,
        T* c, nint ldc, T alpha, T beta) where T : unmanaged, INumber<T> where TAlpha : struct, ITileAlpha
    {
        int w = Vector512<T>.Count;
        int full = n / w, tail = n - full * w;
        int vectors = full + (tail > 0 ? 1 : 0);
        int lastLanes = tail > 0 ? tail : w;
        // The strips of four whole vectors before the last one to four vectors (where rows may end mid-vector) go in one
        // call per row tile: a call per strip, with its set-up of masks and constants, cost the k = 10 products at
        // r = 480 (seven strips) about 4 %.
        int strips = (vectors - 1) / 4, j = 4 * strips;
        if (strips > 0)
            Strip<T, Count4, Count0, TAlpha>(m, k, a, rowStride, stepStride, b, ldb, c, ldc, alpha, beta, w, 0, strips);
        // A tail of at most half a vector behind a full one is computed in 256-bit registers, at half the FMA cost on
        // cores that split 512-bit operations in two.
        if (tail > 0 && tail <= w / 2 && vectors - j > 1)
        {
            switch (vectors - j)
            {
                case 4: Strip<T, Count3, Count1, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, w, tail, 1); break;
                case 3: Strip<T, Count2, Count1, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, w, tail, 1); break;
                case 2: Strip<T, Count1, Count1, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, w, tail, 1); break;
            }
            return;
        }
        switch (vectors - j)
        {
            case 4: Strip<T, Count4, Count0, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, lastLanes, 0, 1); break;
            case 3: Strip<T, Count3, Count0, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, lastLanes, 0, 1); break;
            case 2: Strip<T, Count2, Count0, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, lastLanes, 0, 1); break;
            case 1: Strip<T, Count1, Count0, TAlpha>(m, k, a, rowStride, stepStride, b + j * w, ldb, c + j * w, ldc, alpha, beta, lastLanes, 0, 1); break;
        }
    }

    /// <summary><paramref name="strips"/> side by side strips of <typeparamref name="TCols"/> vectors: their blocks of five rows in one call, then the one to four rows left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Strip<T, TCols, THalf, TAlpha>(int m, int k, T* a, nint rowStride, nint stepStride, T* b, nint ldb,
        T* c, nint ldc, T alpha, T beta, int lastLanes, int halfLanes, int strips)
        where T : unmanaged, INumber<T>
        where TCols : struct, ITileCount
        where THalf : struct, ITileCount
        where TAlpha : struct, ITileAlpha
    {
        int blocks = m / 5, i = blocks * 5;
        if (blocks > 0)
            Tile<T, Count5, TCols, THalf, TAlpha>(strips, blocks, k, a, rowStride, stepStride, b, ldb, c, ldc, alpha, beta, lastLanes, halfLanes);
        T* ar = a + i * rowStride, cr = c + i * ldc;
        switch (m - i)
        {
            case 4: Tile<T, Count4, TCols, THalf, TAlpha>(strips, 1, k, ar, rowStride, stepStride, b, ldb, cr, ldc, alpha, beta, lastLanes, halfLanes); break;
            case 3: Tile<T, Count3, TCols, THalf, TAlpha>(strips, 1, k, ar, rowStride, stepStride, b, ldb, cr, ldc, alpha, beta, lastLanes, halfLanes); break;
            case 2: Tile<T, Count2, TCols, THalf, TAlpha>(strips, 1, k, ar, rowStride, stepStride, b, ldb, cr, ldc, alpha, beta, lastLanes, halfLanes); break;
            case 1: Tile<T, Count1, TCols, THalf, TAlpha>(strips, 1, k, ar, rowStride, stepStride, b, ldb, cr, ldc, alpha, beta, lastLanes, halfLanes); break;
        }
    }

    /// <summary>
    /// A register tile of <typeparamref name="TRows"/> (1 to 5) rows by <typeparamref name="TCols"/> (1 to 4) vectors of
    /// C, run over <paramref name="blocks"/> blocks of rows down each of <paramref name="strips"/> strips side by side
    /// (strip by strip): each step of k broadcasts one value of op(A) per row and multiplies it into the row's vectors of B. The counts
    /// are types, so the JIT compiles one body per shape and drops the accumulators a shape does not use. The last
    /// vector is loaded and stored in its first <paramref name="lastLanes"/> lanes only, so a row may end mid-vector.
    /// Each shape is compiled fully optimized on its first call (twenty inlined bodies would make one huge method).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T, TRows, TCols, THalf, TAlpha>(int strips, int blocks, int k, T* aFirst, nint rowStride, nint stepStride, T* bStrip, nint ldb,
        T* cFirst, nint ldc, T alpha, T beta, int lastLanes, int halfLanes)
        where T : unmanaged, INumber<T>
        where TRows : struct, ITileCount
        where TCols : struct, ITileCount
        where THalf : struct, ITileCount
        where TAlpha : struct, ITileAlpha
    {
        int w = Vector512<T>.Count;
        int rows = TRows.Value, cols = TCols.Value;
        // The last vector is loaded under a mask of its valid lanes (all of them but in a strip's last vector).
        Vector512<T> lastMask = GemmSimd.FirstLanes<T>(lastLanes);
        bool partial = lastLanes < w, readC = beta != T.Zero, betaOne = beta == T.One, scale = TAlpha.Scales;
        Vector512<T> va = Vector512.Create(alpha), vbeta = Vector512.Create(beta);
        bool half = THalf.Value == 1;
        Vector256<T> halfMask = GemmSimd.FirstLanes<T>(halfLanes).GetLower();
        for (int strip = 0; strip < strips; strip++, bStrip += cols * w, cFirst += cols * w)
        for (int block = 0; block < blocks; block++)
        {
            T* a = aFirst + block * rows * rowStride, c = cFirst + block * rows * ldc, b = bStrip;
            T* last = b + (cols - 1) * w;
            Vector512<T> c0_0 = default, c0_1 = default, c0_2 = default, c0_3 = default, c1_0 = default, c1_1 = default, c1_2 = default, c1_3 = default, c2_0 = default, c2_1 = default, c2_2 = default, c2_3 = default, c3_0 = default, c3_1 = default, c3_2 = default, c3_3 = default, c4_0 = default, c4_1 = default, c4_2 = default, c4_3 = default;
            Vector256<T> h0 = default, h1 = default, h2 = default, h3 = default, h4 = default;
            T* a1 = a + 1 * rowStride;
            T* a2 = a + 2 * rowStride;
            T* a3 = a + 3 * rowStride;
            T* a4 = a + 4 * rowStride;
            for (int p = 0; p < k; p++)
            {
                Vector512<T> b0 = cols == 1 ? GemmSimd.MaskLoad(last, lastMask) : Vector512.Load(b);
                Vector512<T> b1 = cols > 2 ? Vector512.Load(b + w) : cols == 2 ? GemmSimd.MaskLoad(last, lastMask) : default;
                Vector512<T> b2 = cols > 3 ? Vector512.Load(b + 2 * w) : cols == 3 ? GemmSimd.MaskLoad(last, lastMask) : default;
                Vector512<T> b3 = cols > 3 ? GemmSimd.MaskLoad(last, lastMask) : default;
                Vector256<T> bh = half ? GemmSimd.MaskLoad(b + cols * w, halfMask) : default;
                Vector512<T> x = Vector512.Create(*a);
                if (half) h0 = GemmSimd.Fma(x.GetLower(), bh, h0);
                c0_0 = GemmSimd.Fma(x, b0, c0_0);
                if (cols > 1) c0_1 = GemmSimd.Fma(x, b1, c0_1);
                if (cols > 2) c0_2 = GemmSimd.Fma(x, b2, c0_2);
                if (cols > 3) c0_3 = GemmSimd.Fma(x, b3, c0_3);
                if (rows > 1)
                {
                    x = Vector512.Create(*a1);
                    if (half) h1 = GemmSimd.Fma(x.GetLower(), bh, h1);
                    c1_0 = GemmSimd.Fma(x, b0, c1_0);
                    if (cols > 1) c1_1 = GemmSimd.Fma(x, b1, c1_1);
                    if (cols > 2) c1_2 = GemmSimd.Fma(x, b2, c1_2);
                    if (cols > 3) c1_3 = GemmSimd.Fma(x, b3, c1_3);
                }
                if (rows > 2)
                {
                    x = Vector512.Create(*a2);
                    if (half) h2 = GemmSimd.Fma(x.GetLower(), bh, h2);
                    c2_0 = GemmSimd.Fma(x, b0, c2_0);
                    if (cols > 1) c2_1 = GemmSimd.Fma(x, b1, c2_1);
                    if (cols > 2) c2_2 = GemmSimd.Fma(x, b2, c2_2);
                    if (cols > 3) c2_3 = GemmSimd.Fma(x, b3, c2_3);
                }
                if (rows > 3)
                {
                    x = Vector512.Create(*a3);
                    if (half) h3 = GemmSimd.Fma(x.GetLower(), bh, h3);
                    c3_0 = GemmSimd.Fma(x, b0, c3_0);
                    if (cols > 1) c3_1 = GemmSimd.Fma(x, b1, c3_1);
                    if (cols > 2) c3_2 = GemmSimd.Fma(x, b2, c3_2);
                    if (cols > 3) c3_3 = GemmSimd.Fma(x, b3, c3_3);
                }
                if (rows > 4)
                {
                    x = Vector512.Create(*a4);
                    if (half) h4 = GemmSimd.Fma(x.GetLower(), bh, h4);
                    c4_0 = GemmSimd.Fma(x, b0, c4_0);
                    if (cols > 1) c4_1 = GemmSimd.Fma(x, b1, c4_1);
                    if (cols > 2) c4_2 = GemmSimd.Fma(x, b2, c4_2);
                    if (cols > 3) c4_3 = GemmSimd.Fma(x, b3, c4_3);
                }
                a += stepStride;
                a1 += stepStride;
                a2 += stepStride;
                a3 += stepStride;
                a4 += stepStride;
                b += ldb;
                last += ldb;
            }
            // Where rows end mid-vector, every value of C the tile reads is read before any is written: a row's masked
            // last vector spans the first lanes of the next row, and a load behind a store to those bytes waits for the
            // store to complete. Full rows keep each row's loads next to its stores, which measured faster there.
            if (partial || half)
            {
                CombineRow<T, TCols>(c, ref c0_0, ref c0_1, ref c0_2, ref c0_3, va, vbeta, scale, readC, betaOne, partial, lastMask);
                if (rows > 1) CombineRow<T, TCols>(c + 1 * ldc, ref c1_0, ref c1_1, ref c1_2, ref c1_3, va, vbeta, scale, readC, betaOne, partial, lastMask);
                if (rows > 2) CombineRow<T, TCols>(c + 2 * ldc, ref c2_0, ref c2_1, ref c2_2, ref c2_3, va, vbeta, scale, readC, betaOne, partial, lastMask);
                if (rows > 3) CombineRow<T, TCols>(c + 3 * ldc, ref c3_0, ref c3_1, ref c3_2, ref c3_3, va, vbeta, scale, readC, betaOne, partial, lastMask);
                if (rows > 4) CombineRow<T, TCols>(c + 4 * ldc, ref c4_0, ref c4_1, ref c4_2, ref c4_3, va, vbeta, scale, readC, betaOne, partial, lastMask);
                if (half)
                {
                    T* ch = c + cols * w;
                    h0 = CombineHalf(ch, h0, va.GetLower(), vbeta.GetLower(), scale, readC, betaOne, halfMask);
                    if (rows > 1) h1 = CombineHalf(ch + 1 * ldc, h1, va.GetLower(), vbeta.GetLower(), scale, readC, betaOne, halfMask);
                    if (rows > 2) h2 = CombineHalf(ch + 2 * ldc, h2, va.GetLower(), vbeta.GetLower(), scale, readC, betaOne, halfMask);
                    if (rows > 3) h3 = CombineHalf(ch + 3 * ldc, h3, va.GetLower(), vbeta.GetLower(), scale, readC, betaOne, halfMask);
                    if (rows > 4) h4 = CombineHalf(ch + 4 * ldc, h4, va.GetLower(), vbeta.GetLower(), scale, readC, betaOne, halfMask);
                }
                StoreRow<T, TCols>(c, c0_0, c0_1, c0_2, c0_3, partial, lastMask);
                if (rows > 1) StoreRow<T, TCols>(c + 1 * ldc, c1_0, c1_1, c1_2, c1_3, partial, lastMask);
                if (rows > 2) StoreRow<T, TCols>(c + 2 * ldc, c2_0, c2_1, c2_2, c2_3, partial, lastMask);
                if (rows > 3) StoreRow<T, TCols>(c + 3 * ldc, c3_0, c3_1, c3_2, c3_3, partial, lastMask);
                if (rows > 4) StoreRow<T, TCols>(c + 4 * ldc, c4_0, c4_1, c4_2, c4_3, partial, lastMask);
                if (half)
                {
                    T* ch = c + cols * w;
                    GemmSimd.MaskStore(ch, halfMask, h0);
                    if (rows > 1) GemmSimd.MaskStore(ch + 1 * ldc, halfMask, h1);
                    if (rows > 2) GemmSimd.MaskStore(ch + 2 * ldc, halfMask, h2);
                    if (rows > 3) GemmSimd.MaskStore(ch + 3 * ldc, halfMask, h3);
                    if (rows > 4) GemmSimd.MaskStore(ch + 4 * ldc, halfMask, h4);
                }
            }
            else
            {
                CombineStoreRow<T, TCols>(c, c0_0, c0_1, c0_2, c0_3, va, vbeta, scale, readC, betaOne, lastMask);
                if (rows > 1) CombineStoreRow<T, TCols>(c + 1 * ldc, c1_0, c1_1, c1_2, c1_3, va, vbeta, scale, readC, betaOne, lastMask);
                if (rows > 2) CombineStoreRow<T, TCols>(c + 2 * ldc, c2_0, c2_1, c2_2, c2_3, va, vbeta, scale, readC, betaOne, lastMask);
                if (rows > 3) CombineStoreRow<T, TCols>(c + 3 * ldc, c3_0, c3_1, c3_2, c3_3, va, vbeta, scale, readC, betaOne, lastMask);
                if (rows > 4) CombineStoreRow<T, TCols>(c + 4 * ldc, c4_0, c4_1, c4_2, c4_3, va, vbeta, scale, readC, betaOne, lastMask);
            }
        }
    }

    /// <summary>alpha times a row's sums (no multiply unless <paramref name="scale"/>: alpha is 1 otherwise) plus beta times its C (read only when <paramref name="readC"/>: beta is not 0), the last vector in the lanes of <paramref name="lastMask"/> where it is <paramref name="partial"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineRow<T, TCols>(T* c, ref Vector512<T> x0, ref Vector512<T> x1, ref Vector512<T> x2, ref Vector512<T> x3,
        Vector512<T> va, Vector512<T> vbeta, bool scale, bool readC, bool betaOne, bool partial, Vector512<T> lastMask)
        where T : unmanaged, INumber<T>
        where TCols : struct, ITileCount
    {
        int w = Vector512<T>.Count, cols = TCols.Value;
        x0 = Combine(c, x0, va, vbeta, scale, readC, betaOne, cols == 1, partial, lastMask);
        if (cols > 1) x1 = Combine(c + w, x1, va, vbeta, scale, readC, betaOne, cols == 2, partial, lastMask);
        if (cols > 2) x2 = Combine(c + 2 * w, x2, va, vbeta, scale, readC, betaOne, cols == 3, partial, lastMask);
        if (cols > 3) x3 = Combine(c + 3 * w, x3, va, vbeta, scale, readC, betaOne, true, partial, lastMask);
    }

    /// <summary>A full row (no partial vector) combined with its C and stored at once, its loads next to its stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineStoreRow<T, TCols>(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> x2, Vector512<T> x3,
        Vector512<T> va, Vector512<T> vbeta, bool scale, bool readC, bool betaOne, Vector512<T> lastMask)
        where T : unmanaged, INumber<T>
        where TCols : struct, ITileCount
    {
        CombineRow<T, TCols>(c, ref x0, ref x1, ref x2, ref x3, va, vbeta, scale, readC, betaOne, false, lastMask);
        StoreRow<T, TCols>(c, x0, x1, x2, x3, false, lastMask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Combine<T>(T* c, Vector512<T> acc, Vector512<T> va, Vector512<T> vbeta, bool scale, bool readC, bool betaOne, bool last, bool partial, Vector512<T> lastMask)
        where T : unmanaged, INumber<T>
    {
        Vector512<T> r = scale ? acc * va : acc;
        if (readC)
        {
            Vector512<T> old = last && partial ? GemmSimd.MaskLoad(c, lastMask) : Vector512.Load(c);
            // At beta = 1 the product beta C is exact, so an add gives the fused result, on the adder pipes rather than the FMA ones.
            r = betaOne ? old + r : GemmSimd.Fma(vbeta, old, r);
        }
        return r;
    }

    /// <summary>The 256-bit form of <see cref="Combine{T}"/> for a tail of at most half a vector, always masked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> CombineHalf<T>(T* c, Vector256<T> acc, Vector256<T> va, Vector256<T> vbeta, bool scale, bool readC, bool betaOne, Vector256<T> mask)
        where T : unmanaged, INumber<T>
    {
        Vector256<T> r = scale ? acc * va : acc;
        if (readC)
        {
            Vector256<T> old = GemmSimd.MaskLoad(c, mask);
            r = betaOne ? old + r : GemmSimd.Fma(vbeta, old, r);
        }
        return r;
    }

    /// <summary>A row of finished results; the last vector in the lanes of <paramref name="lastMask"/> where it is <paramref name="partial"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TCols>(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> x2, Vector512<T> x3, bool partial, Vector512<T> lastMask)
        where T : unmanaged, INumber<T>
        where TCols : struct, ITileCount
    {
        int w = Vector512<T>.Count, cols = TCols.Value;
        if (cols == 1) { StoreLast(c, x0, partial, lastMask); return; }
        x0.Store(c);
        if (cols == 2) { StoreLast(c + w, x1, partial, lastMask); return; }
        x1.Store(c + w);
        if (cols == 3) { StoreLast(c + 2 * w, x2, partial, lastMask); return; }
        x2.Store(c + 2 * w);
        StoreLast(c + 3 * w, x3, partial, lastMask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLast<T>(T* c, Vector512<T> x, bool partial, Vector512<T> lastMask) where T : unmanaged
    {
        if (partial)
            GemmSimd.MaskStore(c, lastMask, x);
        else
            x.Store(c);
    }

    private static void Dots<T>(int m, int n, int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T>
    {
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512 when typeof(T) == typeof(float):
                DotsFloat512(m, n, k, (float*)a, lda, (float*)b, ldb, (float*)c, ldc, Unsafe.BitCast<T, float>(alpha), Unsafe.BitCast<T, float>(beta));
                break;
            case VectorWidth.Vector512: Dots<T, Lanes512<T>>(m, n, k, a, lda, b, ldb, c, ldc, alpha, beta); break;
            case VectorWidth.Vector256: Dots<T, Lanes256x2<T>>(m, n, k, a, lda, b, ldb, c, ldc, alpha, beta); break;
            case VectorWidth.Vector128: Dots<T, Lanes128x4<T>>(m, n, k, a, lda, b, ldb, c, ldc, alpha, beta); break;
            default: Dots<T, LanesScalar<T>>(m, n, k, a, lda, b, ldb, c, ldc, alpha, beta); break;
        }
    }

    /// <summary>
    /// Dot products in tiles of 2 rows of A by 5 rows of B. Each sum keeps one set of 64-byte lanes (element p in lane
    /// p mod Count, the last partial set loaded with zeros past k), folded by halving (<see cref="ILanes{TSelf, T}.Sum"/>),
    /// so it is the same bits at every width. Four of the five sums of a row are folded together (<see cref="Sum4"/>):
    /// with k as short as 60 the folds cost as much as the products. The mask of the partial last lane set is built
    /// once. Edge tiles repeat the last valid row of A or B and store only the valid results.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dots<T, TLanes>(int m, int n, int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T>
        where TLanes : struct, ILanes<TLanes, T>
    {
        int w = TLanes.Count;
        int full = k - k % w;
        TLanes mask = TLanes.FirstLanesMask(k - full);
        for (int i = 0; i < m; i += 2)
        {
            int rows = Math.Min(2, m - i);
            T* a0 = a + i * lda, a1 = a0 + (rows - 1) * lda;
            for (int j = 0; j < n; j += 5)
            {
                int cols = Math.Min(5, n - j);
                T* b0 = b + j * ldb;
                T* b1 = b0 + Math.Min(1, cols - 1) * ldb;
                T* b2 = b0 + Math.Min(2, cols - 1) * ldb;
                T* b3 = b0 + Math.Min(3, cols - 1) * ldb;
                T* b4 = b0 + Math.Min(4, cols - 1) * ldb;
                TLanes s00 = TLanes.Zero, s01 = s00, s02 = s00, s03 = s00, s04 = s00;
                TLanes s10 = s00, s11 = s00, s12 = s00, s13 = s00, s14 = s00;
                int p = 0;
                for (; p < full; p += w)
                {
                    TLanes x0 = TLanes.Load(ref *a0, (nuint)p), x1 = TLanes.Load(ref *a1, (nuint)p);
                    TLanes y = TLanes.Load(ref *b0, (nuint)p);
                    s00 = TLanes.FusedMultiplyAdd(x0, y, s00); s10 = TLanes.FusedMultiplyAdd(x1, y, s10);
                    y = TLanes.Load(ref *b1, (nuint)p);
                    s01 = TLanes.FusedMultiplyAdd(x0, y, s01); s11 = TLanes.FusedMultiplyAdd(x1, y, s11);
                    y = TLanes.Load(ref *b2, (nuint)p);
                    s02 = TLanes.FusedMultiplyAdd(x0, y, s02); s12 = TLanes.FusedMultiplyAdd(x1, y, s12);
                    y = TLanes.Load(ref *b3, (nuint)p);
                    s03 = TLanes.FusedMultiplyAdd(x0, y, s03); s13 = TLanes.FusedMultiplyAdd(x1, y, s13);
                    y = TLanes.Load(ref *b4, (nuint)p);
                    s04 = TLanes.FusedMultiplyAdd(x0, y, s04); s14 = TLanes.FusedMultiplyAdd(x1, y, s14);
                }
                if (p < k)
                {
                    TLanes x0 = TLanes.LoadMasked(a0 + p, mask), x1 = TLanes.LoadMasked(a1 + p, mask);
                    TLanes y = TLanes.LoadMasked(b0 + p, mask);
                    s00 = TLanes.FusedMultiplyAdd(x0, y, s00); s10 = TLanes.FusedMultiplyAdd(x1, y, s10);
                    y = TLanes.LoadMasked(b1 + p, mask);
                    s01 = TLanes.FusedMultiplyAdd(x0, y, s01); s11 = TLanes.FusedMultiplyAdd(x1, y, s11);
                    y = TLanes.LoadMasked(b2 + p, mask);
                    s02 = TLanes.FusedMultiplyAdd(x0, y, s02); s12 = TLanes.FusedMultiplyAdd(x1, y, s12);
                    y = TLanes.LoadMasked(b3 + p, mask);
                    s03 = TLanes.FusedMultiplyAdd(x0, y, s03); s13 = TLanes.FusedMultiplyAdd(x1, y, s13);
                    y = TLanes.LoadMasked(b4 + p, mask);
                    s04 = TLanes.FusedMultiplyAdd(x0, y, s04); s14 = TLanes.FusedMultiplyAdd(x1, y, s14);
                }
                StoreSums(c + i * ldc + j, Sum4<T, TLanes>(s00, s01, s02, s03), TLanes.Sum(s04), alpha, beta, cols);
                if (rows == 2)
                    StoreSums(c + (i + 1) * ldc + j, Sum4<T, TLanes>(s10, s11, s12, s13), TLanes.Sum(s14), alpha, beta, cols);
            }
        }
    }

    /// <summary>
    /// The float form of <see cref="Dots{T, TLanes}"/> in zmm registers, the same tiles and the same bits: the ten sums of
    /// a tile are folded together in one tree of shuffles (each sum halved in the order of <see cref="Lanes512{T}.Sum"/>),
    /// and a row's five results are scaled, combined with C and stored as one masked vector rather than one by one. At
    /// k = 60, the trainer's H U^T, the folds and the epilogue cost more than the products.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void DotsFloat512(int m, int n, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        const int w = 16;
        int full = k - k % w;
        Vector512<float> mask = GemmSimd.FirstLanes<float>(k - full);
        if ((long)m * n <= TinyElements)
        {
            // A few sums: each on its own, one multiply-add per set of lanes, folded as Fold10 folds each of its ten.
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float* ai = a + i * lda, bj = b + j * ldb;
                    Vector512<float> s = default;
                    int p = 0;
                    for (; p < full; p += w) s = GemmSimd.Fma(Vector512.Load(ai + p), Vector512.Load(bj + p), s);
                    if (p < k) s = GemmSimd.Fma(GemmSimd.MaskLoad(ai + p, mask), GemmSimd.MaskLoad(bj + p, mask), s);
                    c[i * ldc + j] = GemmEpilogue.Combine(Lanes512<float>.Sum(new Lanes512<float>(s)), alpha, beta, c + i * ldc + j);
                }
            return;
        }
        Vector512<float> va = Vector512.Create(alpha), vbeta = Vector512.Create(beta);
        // Where the fold leaves the sums: lanes 0 to 4 of row0 hold columns 0 to 4 of the first row, of row1 the second's.
        Vector512<int> row0 = Vector512.Create(0, 4, 8, 12, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        Vector512<int> row1 = Vector512.Create(5, 9, 13, 2, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (int i = 0; i < m; i += 2)
        {
            int rows = Math.Min(2, m - i);
            float* a0 = a + i * lda, a1 = a0 + (rows - 1) * lda;
            int j = 0;
            for (; n - j >= 10; j += 10)
                DotsFloat512Tile2x10(k, full, mask, a0, a1, b + j * ldb, ldb, c + i * ldc + j, c + (i + rows - 1) * ldc + j, rows, va, vbeta, beta);
            for (; j < n; j += 5)
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
                Vector512<float> sums = Fold10(s00, s01, s02, s03, s04, s10, s11, s12, s13, s14);
                Vector512<float> valid = GemmSimd.FirstLanes<float>(cols);
                StoreRowSums(c + i * ldc + j, Avx512F.PermuteVar16x32(sums, row0), va, vbeta, beta, valid);
                if (rows == 2)
                    StoreRowSums(c + (i + 1) * ldc + j, Avx512F.PermuteVar16x32(sums, row1), va, vbeta, beta, valid);
            }
        }
    }

    /// <summary>
    /// Two rows by ten columns of <see cref="DotsFloat512"/>: the same twenty sums as its two 2 x 5 tiles side by side,
    /// folded by the same two <see cref="Fold10"/> trees, but each row of A is loaded once for ten columns, and each row's
    /// ten results leave in one masked store rather than two. Where n = 10 (the trainer's H U^T) this is every tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotsFloat512Tile2x10(int k, int full, Vector512<float> mask, float* a0, float* a1, float* b0, nint ldb,
        float* c0, float* c1, int rows, Vector512<float> va, Vector512<float> vbeta, float beta)
    {
        const int w = 16;
        float* b5 = b0 + 5 * ldb;
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector512<float> s05 = default, s06 = default, s07 = default, s08 = default, s09 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        Vector512<float> s15 = default, s16 = default, s17 = default, s18 = default, s19 = default;
        int p = 0;
        for (; p < full; p += w)
        {
            Vector512<float> x0 = Vector512.Load(a0 + p);
            Vector512<float> x1 = Vector512.Load(a1 + p);
            Vector512<float> y = Vector512.Load(b0 + p);
            s00 = GemmSimd.Fma(x0, y, s00); s10 = GemmSimd.Fma(x1, y, s10);
            y = Vector512.Load(b0 + ldb + p);
            s01 = GemmSimd.Fma(x0, y, s01); s11 = GemmSimd.Fma(x1, y, s11);
            y = Vector512.Load(b0 + 2 * ldb + p);
            s02 = GemmSimd.Fma(x0, y, s02); s12 = GemmSimd.Fma(x1, y, s12);
            y = Vector512.Load(b0 + 3 * ldb + p);
            s03 = GemmSimd.Fma(x0, y, s03); s13 = GemmSimd.Fma(x1, y, s13);
            y = Vector512.Load(b0 + 4 * ldb + p);
            s04 = GemmSimd.Fma(x0, y, s04); s14 = GemmSimd.Fma(x1, y, s14);
            y = Vector512.Load(b5 + p);
            s05 = GemmSimd.Fma(x0, y, s05); s15 = GemmSimd.Fma(x1, y, s15);
            y = Vector512.Load(b5 + ldb + p);
            s06 = GemmSimd.Fma(x0, y, s06); s16 = GemmSimd.Fma(x1, y, s16);
            y = Vector512.Load(b5 + 2 * ldb + p);
            s07 = GemmSimd.Fma(x0, y, s07); s17 = GemmSimd.Fma(x1, y, s17);
            y = Vector512.Load(b5 + 3 * ldb + p);
            s08 = GemmSimd.Fma(x0, y, s08); s18 = GemmSimd.Fma(x1, y, s18);
            y = Vector512.Load(b5 + 4 * ldb + p);
            s09 = GemmSimd.Fma(x0, y, s09); s19 = GemmSimd.Fma(x1, y, s19);
        }
        // The last, partial set of lanes is loaded with zeros past k, as in the 2 x 5 tiles. It is its own copy of the
        // loop body: loading every set under a mask (all lanes but here) measured 1.1x to 1.3x slower.
        if (p < k)
        {
            Vector512<float> x0 = GemmSimd.MaskLoad(a0 + p, mask);
            Vector512<float> x1 = GemmSimd.MaskLoad(a1 + p, mask);
            Vector512<float> y = GemmSimd.MaskLoad(b0 + p, mask);
            s00 = GemmSimd.Fma(x0, y, s00); s10 = GemmSimd.Fma(x1, y, s10);
            y = GemmSimd.MaskLoad(b0 + ldb + p, mask);
            s01 = GemmSimd.Fma(x0, y, s01); s11 = GemmSimd.Fma(x1, y, s11);
            y = GemmSimd.MaskLoad(b0 + 2 * ldb + p, mask);
            s02 = GemmSimd.Fma(x0, y, s02); s12 = GemmSimd.Fma(x1, y, s12);
            y = GemmSimd.MaskLoad(b0 + 3 * ldb + p, mask);
            s03 = GemmSimd.Fma(x0, y, s03); s13 = GemmSimd.Fma(x1, y, s13);
            y = GemmSimd.MaskLoad(b0 + 4 * ldb + p, mask);
            s04 = GemmSimd.Fma(x0, y, s04); s14 = GemmSimd.Fma(x1, y, s14);
            y = GemmSimd.MaskLoad(b5 + p, mask);
            s05 = GemmSimd.Fma(x0, y, s05); s15 = GemmSimd.Fma(x1, y, s15);
            y = GemmSimd.MaskLoad(b5 + ldb + p, mask);
            s06 = GemmSimd.Fma(x0, y, s06); s16 = GemmSimd.Fma(x1, y, s16);
            y = GemmSimd.MaskLoad(b5 + 2 * ldb + p, mask);
            s07 = GemmSimd.Fma(x0, y, s07); s17 = GemmSimd.Fma(x1, y, s17);
            y = GemmSimd.MaskLoad(b5 + 3 * ldb + p, mask);
            s08 = GemmSimd.Fma(x0, y, s08); s18 = GemmSimd.Fma(x1, y, s18);
            y = GemmSimd.MaskLoad(b5 + 4 * ldb + p, mask);
            s09 = GemmSimd.Fma(x0, y, s09); s19 = GemmSimd.Fma(x1, y, s19);
        }
        Vector512<float> left = Fold10(s00, s01, s02, s03, s04, s10, s11, s12, s13, s14);
        Vector512<float> right = Fold10(s05, s06, s07, s08, s09, s15, s16, s17, s18, s19);
        // Where Fold10 leaves the sums (row0 and row1 in DotsFloat512), from the left fold and, from 16 on, the right one.
        Vector512<int> row0 = Vector512.Create(0, 4, 8, 12, 1, 16, 20, 24, 28, 17, 0, 0, 0, 0, 0, 0);
        Vector512<int> row1 = Vector512.Create(5, 9, 13, 2, 6, 21, 25, 29, 18, 22, 0, 0, 0, 0, 0, 0);
        Vector512<float> valid = GemmSimd.FirstLanes<float>(10);
        StoreRowSums(c0, Avx512F.PermuteVar16x32x2(left, row0, right), va, vbeta, beta, valid);
        if (rows == 2)
            StoreRowSums(c1, Avx512F.PermuteVar16x32x2(left, row1, right), va, vbeta, beta, valid);
    }

    /// <summary>
    /// The ten lane sums u0..u4, v0..v4, each halved as <see cref="Lanes512{T}.Sum"/> does (lane l plus l + 8, then
    /// plus l + 4, then (l0 + l2) + (l1 + l3)), two to five vectors at a time: u0..u3 end in lane 0 of the four 128-bit
    /// blocks, u4 in lane 1, v0 in lane 5, v1, v2 in lanes 9, 13, v3 in lane 2 and v4 in lane 6.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fold10(Vector512<float> u0, Vector512<float> u1, Vector512<float> u2, Vector512<float> u3, Vector512<float> u4,
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, Vector512<float> v4)
    {
        // Lane l plus lane l + 8: the eight partial sums of two vectors side by side.
        Vector512<float> h0 = Avx512F.Shuffle4x128(u0, u1, 0x44) + Avx512F.Shuffle4x128(u0, u1, 0xEE);
        Vector512<float> h1 = Avx512F.Shuffle4x128(u2, u3, 0x44) + Avx512F.Shuffle4x128(u2, u3, 0xEE);
        Vector512<float> h2 = Avx512F.Shuffle4x128(u4, v0, 0x44) + Avx512F.Shuffle4x128(u4, v0, 0xEE);
        Vector512<float> h3 = Avx512F.Shuffle4x128(v1, v2, 0x44) + Avx512F.Shuffle4x128(v1, v2, 0xEE);
        Vector512<float> h4 = Avx512F.Shuffle4x128(v3, v4, 0x44) + Avx512F.Shuffle4x128(v3, v4, 0xEE);
        // Plus lane l + 4: block t holds the four partial sums of one vector (u0..u3; u4, v0..v2; v3, v4 twice).
        Vector512<float> q0 = Avx512F.Shuffle4x128(h0, h1, 0x88) + Avx512F.Shuffle4x128(h0, h1, 0xDD);
        Vector512<float> q1 = Avx512F.Shuffle4x128(h2, h3, 0x88) + Avx512F.Shuffle4x128(h2, h3, 0xDD);
        Vector512<float> q2 = Avx512F.Shuffle4x128(h4, h4, 0x88) + Avx512F.Shuffle4x128(h4, h4, 0xDD);
        // Within each block, l0 + l2 and l1 + l3 of two vectors, then their sums.
        Vector512<float> r0 = Avx512F.Shuffle(q0, q1, 0x44) + Avx512F.Shuffle(q0, q1, 0xEE);
        Vector512<float> r1 = Avx512F.Shuffle(q2, q2, 0x44) + Avx512F.Shuffle(q2, q2, 0xEE);
        return Avx512F.Shuffle(r0, r1, 0x88) + Avx512F.Shuffle(r0, r1, 0xDD);
    }

    /// <summary>alpha times the sums, plus beta times C (C unread when beta is 0), in the lanes of <paramref name="valid"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRowSums(float* c, Vector512<float> sums, Vector512<float> va, Vector512<float> vbeta, float beta, Vector512<float> valid)
    {
        Vector512<float> r = va * sums;
        if (beta != 0f) r = GemmSimd.Fma(vbeta, GemmSimd.MaskLoad(c, valid), r);
        GemmSimd.MaskStore(c, valid, r);
    }

    /// <summary>
    /// <see cref="ILanes{TSelf, T}.Sum"/> of four lane sets as one 128-bit vector of four sums. For sixteen float lanes
    /// in zmm registers the four halvings run together in shuffles (about a quarter of the instructions of four
    /// separate folds), in exactly the order of the separate folds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T, T, T, T) Sum4<T, TLanes>(TLanes v0, TLanes v1, TLanes v2, TLanes v3)
        where T : unmanaged, INumber<T>
        where TLanes : struct, ILanes<TLanes, T>
    {
        if (typeof(TLanes) == typeof(Lanes512<float>))
        {
            Vector512<float> z0 = Unsafe.BitCast<TLanes, Lanes512<float>>(v0).Value, z1 = Unsafe.BitCast<TLanes, Lanes512<float>>(v1).Value;
            Vector512<float> z2 = Unsafe.BitCast<TLanes, Lanes512<float>>(v2).Value, z3 = Unsafe.BitCast<TLanes, Lanes512<float>>(v3).Value;
            // Lane l plus lane l + 8: blocks (v.b0 + v.b2, v.b1 + v.b3) of two vectors side by side.
            Vector512<float> h01 = Avx512F.Shuffle4x128(z0, z1, 0x44) + Avx512F.Shuffle4x128(z0, z1, 0xEE);
            Vector512<float> h23 = Avx512F.Shuffle4x128(z2, z3, 0x44) + Avx512F.Shuffle4x128(z2, z3, 0xEE);
            // Lane l plus lane l + 4: block t holds the four partial sums of vector t.
            Vector512<float> q = Avx512F.Shuffle4x128(h01, h23, 0x88) + Avx512F.Shuffle4x128(h01, h23, 0xDD);
            // Within each block, (l0 + l2) + (l1 + l3) in lane 0.
            Vector512<float> r = q + Avx512F.Permute4x32(q, 0x4E);
            r += Avx512F.Permute4x32(r, 0xB1);
            Vector512<float> sums = Avx512F.PermuteVar16x32(r, Vector512.Create(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            Vector128<float> four = sums.GetLower().GetLower();
            return (Unsafe.BitCast<float, T>(four.ToScalar()), Unsafe.BitCast<float, T>(four.GetElement(1)),
                Unsafe.BitCast<float, T>(four.GetElement(2)), Unsafe.BitCast<float, T>(four.GetElement(3)));
        }
        return (TLanes.Sum(v0), TLanes.Sum(v1), TLanes.Sum(v2), TLanes.Sum(v3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums<T>(T* c, (T, T, T, T) first4, T fifth, T alpha, T beta, int cols) where T : unmanaged, INumber<T>
    {
        c[0] = GemmEpilogue.Combine(first4.Item1, alpha, beta, c);
        if (cols > 1) c[1] = GemmEpilogue.Combine(first4.Item2, alpha, beta, c + 1);
        if (cols > 2) c[2] = GemmEpilogue.Combine(first4.Item3, alpha, beta, c + 2);
        if (cols > 3) c[3] = GemmEpilogue.Combine(first4.Item4, alpha, beta, c + 3);
        if (cols > 4) c[4] = GemmEpilogue.Combine(fifth, alpha, beta, c + 4);
    }
}
