using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Network;

/// <summary>
/// The backward pass of a one-hidden-layer ReLU network <c>f(x) = U relu(V^T x)</c> from the scaled residual E, with
/// the products accumulating into the weights: dH = E U, <c>gu = E^T H + beta gu</c>, dZ = relu'(Z) . dH (read off
/// H = relu(Z)) and <c>gv = X^T dZ + beta gv</c>. Samples are rows: E is m x n, U is n x r, H is m x r, X is m x D and
/// V is D x r, all row-major. At beta = 1 with gu = U and gv = V (E carrying the step size) this is an SGD step's
/// update; at beta = 0 it forms the gradients.
/// </summary>
/// <remarks>
/// <para>At the homework's shape (m = n = <see cref="FusedSize"/>) with 512-bit vectors the four steps run as one pass
/// over the columns of the hidden layer, sixteen at a time: the column block of U, dH and dZ stays in registers from the
/// first product to the last, so dH and dZ never go to memory, and the three products and the mask are one call. The
/// Zen 4 took 0.83 to 0.90 of the four calls' time at r = 60 to 480 (D = 150), where the two k = 10 products and their
/// calls weigh most at the small widths. Every element is summed in the order the register tiles of <see cref="GemmSmall"/>
/// sum it (over k in order, from zero, then added to C), so the result is the four calls' bits: any other shape, width
/// or machine takes the four calls, and the answer does not depend on which ran.</para>
/// </remarks>
public static unsafe class ReluLayerBackward
{
    /// <summary>The batch size m and output count n of the fused pass: the homework's (m = 10 samples, n = 10 outputs).</summary>
    public const int FusedSize = 10;

    /// <summary>
    /// The backward pass described on the class; <paramref name="dh"/> (m x r) is scratch for the four-call form.
    /// <paramref name="gu"/> may be <paramref name="u"/> itself (dH is taken from the old U); <paramref name="beta"/> is 0 or 1.
    /// </summary>
    public static void Run(int m, int d, int r, int n, ReadOnlySpan<float> e, ReadOnlySpan<float> u, ReadOnlySpan<float> h,
        ReadOnlySpan<float> x, Span<float> dh, float beta, Span<float> gu, Span<float> gv)
    {
        // Messages are built only to throw: built here, their set-up cost every step (see GemmArguments).
        if (m < 1 || d < 1 || r < 1 || n < 1) ThrowNonPositiveSize(m, d, r, n);
        if (beta is not (0f or 1f)) ThrowBadBeta(beta);
        if (e.Length != m * n || u.Length != n * r || h.Length != m * r || x.Length != m * d || dh.Length != m * r || gu.Length != n * r || gv.Length != d * r)
            throw new ArgumentException("ReLU layer backward: E, U, H, X, dH, gu and gv must be m x n, n x r, m x r, m x D, m x r, n x r and D x r.");
        if (m == FusedSize && n == FusedSize && SimdDispatch.Current == VectorWidth.Vector512 && Avx512F.IsSupported)
        {
            fixed (float* pe = e, pu = u, ph = h, px = x, pgu = gu, pgv = gv)
            {
                if (beta == 1f) Fused<Accumulate>(d, r, pe, pu, ph, px, pgu, pgv);
                else Fused<Overwrite>(d, r, pe, pu, ph, px, pgu, pgv);
            }
            return;
        }
        Gemm.Gemm.Multiply(Op.None, Op.None, m, r, n, 1f, e, n, u, r, 0f, dh, r);
        Gemm.Gemm.Multiply(Op.Transpose, Op.None, n, r, m, 1f, e, n, h, r, beta, gu, r);
        Relu.Backward(h, dh, dh);
        Gemm.Gemm.Multiply(Op.Transpose, Op.None, d, r, m, 1f, x, d, dh, r, beta, gv, r);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNonPositiveSize(int m, int d, int r, int n) =>
        throw new ArgumentOutOfRangeException(nameof(m), $"ReLU layer backward: sizes must be positive (m={m}, D={d}, r={r}, n={n}).");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadBeta(float beta) =>
        throw new ArgumentOutOfRangeException(nameof(beta), $"ReLU layer backward: beta must be 0 or 1, got {beta}.");

    /// <summary>
    /// Column blocks of sixteen (the last one masked): the block of U into ten registers, dH = E U by rows, the U
    /// product by rows of H (each row of H loaded once, for its ten sums and for its mask), then the V product ten rows
    /// of V at a time, each sum a chain of ten FMAs over the samples, the ten chains side by side (five at a time took
    /// 1-3.5 % longer on the Zen 4). Whether the products accumulate is a type, and the ten rows of X each have a
    /// pointer of their own: with a flag and offsets computed from D, every row of V cost a branch and a dozen integer
    /// operations besides its ten FMAs, and the Zen 4 took 3-4.5 % longer at r = 120 and 240 (two A/B runs of 25 rounds;
    /// at r = 60 they gave 0.95 and 1.01 of the time, at r = 480 0.98 and 0.99).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Fused<TUpdate>(int d, int r, float* e, float* u, float* h, float* x, float* gu, float* gv) where TUpdate : IUpdate
    {
        const int n = FusedSize;
        int vectors = (r + 15) / 16;
        Vector512<float> lastMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(r - (vectors - 1) * 16)).AsSingle();
        for (int s = 0; s < vectors; s++)
        {
            Vector512<float> mask = s == vectors - 1 ? lastMask : Vector512<float>.AllBitsSet;
            float* uc = u + s * 16, hc = h + s * 16, guc = gu + s * 16, gvc = gv + s * 16;
            Vector512<float> u0 = Load(uc, mask), u1 = Load(uc + r, mask), u2 = Load(uc + 2 * r, mask), u3 = Load(uc + 3 * r, mask),
                u4 = Load(uc + 4 * r, mask), u5 = Load(uc + 5 * r, mask), u6 = Load(uc + 6 * r, mask), u7 = Load(uc + 7 * r, mask),
                u8 = Load(uc + 8 * r, mask), u9 = Load(uc + 9 * r, mask);
            // dH: row i is sum_j E[i, j] U[j, :], in order of j.
            Vector512<float> g0 = RowTimesU(e, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), g1 = RowTimesU(e + n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9),
                g2 = RowTimesU(e + 2 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), g3 = RowTimesU(e + 3 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9),
                g4 = RowTimesU(e + 4 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), g5 = RowTimesU(e + 5 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9),
                g6 = RowTimesU(e + 6 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), g7 = RowTimesU(e + 7 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9),
                g8 = RowTimesU(e + 8 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9), g9 = RowTimesU(e + 9 * n, u0, u1, u2, u3, u4, u5, u6, u7, u8, u9);
            // The U product: sum_i E[i, j] H[i, :] for every j, in order of i; each row of H also masks its row of dH.
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default, a8 = default, a9 = default;
            g0 = AddRowOfH(e, Load(hc, mask), g0, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g1 = AddRowOfH(e + n, Load(hc + r, mask), g1, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g2 = AddRowOfH(e + 2 * n, Load(hc + 2 * r, mask), g2, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g3 = AddRowOfH(e + 3 * n, Load(hc + 3 * r, mask), g3, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g4 = AddRowOfH(e + 4 * n, Load(hc + 4 * r, mask), g4, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g5 = AddRowOfH(e + 5 * n, Load(hc + 5 * r, mask), g5, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g6 = AddRowOfH(e + 6 * n, Load(hc + 6 * r, mask), g6, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g7 = AddRowOfH(e + 7 * n, Load(hc + 7 * r, mask), g7, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g8 = AddRowOfH(e + 8 * n, Load(hc + 8 * r, mask), g8, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            g9 = AddRowOfH(e + 9 * n, Load(hc + 9 * r, mask), g9, ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9);
            // U is read in full above before any of gu is written, so gu may be U.
            Update<TUpdate>(guc, a0, mask); Update<TUpdate>(guc + r, a1, mask); Update<TUpdate>(guc + 2 * r, a2, mask);
            Update<TUpdate>(guc + 3 * r, a3, mask); Update<TUpdate>(guc + 4 * r, a4, mask); Update<TUpdate>(guc + 5 * r, a5, mask);
            Update<TUpdate>(guc + 6 * r, a6, mask); Update<TUpdate>(guc + 7 * r, a7, mask); Update<TUpdate>(guc + 8 * r, a8, mask);
            Update<TUpdate>(guc + 9 * r, a9, mask);
            // The V product: row p of gv gets sum_i X[i, p] dZ[i, :], in order of i; ten rows at a time.
            float* x0 = x, x1 = x + d, x2 = x + 2 * d, x3 = x + 3 * d, x4 = x + 4 * d, x5 = x + 5 * d, x6 = x + 6 * d, x7 = x + 7 * d,
                x8 = x + 8 * d, x9 = x + 9 * d;
            float* row = gvc;
            nint stride = r, p = 0;
            for (; p + 10 <= d; p += 10, row += 10 * stride)
            {
                Vector512<float> t0 = ColumnTimesDz(p, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t1 = ColumnTimesDz(p + 1, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t2 = ColumnTimesDz(p + 2, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t3 = ColumnTimesDz(p + 3, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t4 = ColumnTimesDz(p + 4, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t5 = ColumnTimesDz(p + 5, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t6 = ColumnTimesDz(p + 6, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t7 = ColumnTimesDz(p + 7, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t8 = ColumnTimesDz(p + 8, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9),
                    t9 = ColumnTimesDz(p + 9, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9);
                Update<TUpdate>(row, t0, mask); Update<TUpdate>(row + stride, t1, mask); Update<TUpdate>(row + 2 * stride, t2, mask);
                Update<TUpdate>(row + 3 * stride, t3, mask); Update<TUpdate>(row + 4 * stride, t4, mask); Update<TUpdate>(row + 5 * stride, t5, mask);
                Update<TUpdate>(row + 6 * stride, t6, mask); Update<TUpdate>(row + 7 * stride, t7, mask); Update<TUpdate>(row + 8 * stride, t8, mask);
                Update<TUpdate>(row + 9 * stride, t9, mask);
            }
            for (; p < d; p++, row += stride)
                Update<TUpdate>(row, ColumnTimesDz(p, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9), mask);
        }
    }

    /// <summary>Whether the products accumulate into gu and gv (beta = 1) or overwrite them (beta = 0).</summary>
    private interface IUpdate
    {
        static abstract bool Accumulates { get; }
    }

    private readonly struct Accumulate : IUpdate
    {
        public static bool Accumulates => true;
    }

    private readonly struct Overwrite : IUpdate
    {
        public static bool Accumulates => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load(float* p, Vector512<float> mask) => Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    /// <summary>C = sum + C (accumulating) or C = sum, in the lanes of <paramref name="mask"/>: the register tiles' epilogue at alpha = 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<TUpdate>(float* c, Vector512<float> sum, Vector512<float> mask) where TUpdate : IUpdate =>
        Avx512F.MaskStore(c, mask, TUpdate.Accumulates ? Load(c, mask) + sum : sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(float a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(Vector512.Create(a), b, c);

    /// <summary>sum_j row[j] U_j, from zero, in order of j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> RowTimesU(float* row, Vector512<float> u0, Vector512<float> u1, Vector512<float> u2, Vector512<float> u3,
        Vector512<float> u4, Vector512<float> u5, Vector512<float> u6, Vector512<float> u7, Vector512<float> u8, Vector512<float> u9)
    {
        Vector512<float> s = Fma(row[0], u0, default);
        s = Fma(row[1], u1, s); s = Fma(row[2], u2, s); s = Fma(row[3], u3, s); s = Fma(row[4], u4, s);
        s = Fma(row[5], u5, s); s = Fma(row[6], u6, s); s = Fma(row[7], u7, s); s = Fma(row[8], u8, s);
        return Fma(row[9], u9, s);
    }

    /// <summary>Adds row i of E times row i of H to the ten sums of the U product, and returns row i of dH masked where H is not positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AddRowOfH(float* row, Vector512<float> hi, Vector512<float> dhi, ref Vector512<float> a0, ref Vector512<float> a1,
        ref Vector512<float> a2, ref Vector512<float> a3, ref Vector512<float> a4, ref Vector512<float> a5, ref Vector512<float> a6,
        ref Vector512<float> a7, ref Vector512<float> a8, ref Vector512<float> a9)
    {
        a0 = Fma(row[0], hi, a0); a1 = Fma(row[1], hi, a1); a2 = Fma(row[2], hi, a2); a3 = Fma(row[3], hi, a3); a4 = Fma(row[4], hi, a4);
        a5 = Fma(row[5], hi, a5); a6 = Fma(row[6], hi, a6); a7 = Fma(row[7], hi, a7); a8 = Fma(row[8], hi, a8); a9 = Fma(row[9], hi, a9);
        // relu'(Z) . dH as Relu.Backward computes it: dH where H > 0, +0 elsewhere.
        return dhi & Vector512.GreaterThan(hi, Vector512<float>.Zero);
    }

    /// <summary>sum_i X[i, p] dZ_i down column p of X (rows x0 to x9), from zero, in order of i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ColumnTimesDz(nint p, float* x0, float* x1, float* x2, float* x3, float* x4, float* x5, float* x6, float* x7,
        float* x8, float* x9, Vector512<float> g0, Vector512<float> g1, Vector512<float> g2, Vector512<float> g3, Vector512<float> g4,
        Vector512<float> g5, Vector512<float> g6, Vector512<float> g7, Vector512<float> g8, Vector512<float> g9)
    {
        Vector512<float> s = Fma(x0[p], g0, default);
        s = Fma(x1[p], g1, s); s = Fma(x2[p], g2, s); s = Fma(x3[p], g3, s); s = Fma(x4[p], g4, s);
        s = Fma(x5[p], g5, s); s = Fma(x6[p], g6, s); s = Fma(x7[p], g7, s); s = Fma(x8[p], g8, s);
        return Fma(x9[p], g9, s);
    }
}
