using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Optimizers;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Network;

/// <summary>
/// The backward pass of a one-hidden-layer ReLU network <c>f(x) = U relu(V^T x)</c> from the scaled residual E, with
/// the products accumulating into the weights: dH = E U, <c>gu = E^T H + beta gu</c>, dZ = relu'(Z) . dH (read off
/// H = relu(Z)) and <c>gv = X^T dZ + beta gv</c>. Samples are rows: E is m x n, U is n x r, H is m x r, X is m x D and
/// V is D x r, all row-major. At beta = 1 with gu = U and gv = V (E carrying the step size) this is an SGD step's
/// update; at beta = 0 it forms the gradients, and <see cref="RunMomentum"/> and <see cref="RunAdam"/> follow them with
/// a heavy-ball or Adam step on U and V.
/// </summary>
/// <remarks>
/// <para>At the homework's shape (m = n = <see cref="FusedSize"/>) with 512-bit vectors the four steps run as one pass
/// over the columns of the hidden layer, sixteen at a time: the column block of U, dH and dZ stays in registers from the
/// first product to the last, so dH and dZ never go to memory, and the three products and the mask are one call. The
/// Zen 4 took 0.83 to 0.90 of the four calls' time at r = 60 to 480 (D = 150), where the two k = 10 products and their
/// calls weigh most at the small widths. Every element is summed in the order the register tiles of <see cref="GemmSmall"/>
/// sum it (over k in order, from zero, then added to C), so the result is the four calls' bits: any other shape, width
/// or machine takes the four calls, and the answer does not depend on which ran.</para>
/// <para>An optimizer's step runs in the same pass: each block of the gradient, once summed, moves its weights and the
/// optimizer's state there (<see cref="MomentumUpdate"/>, <see cref="AdamUpdate"/>: the same rule, so the same bits), so
/// the gradient is neither written nor read back, and Adam's square roots and divisions, which run on a unit of their
/// own, overlap the next rows' multiply-adds in part. On the 2-core Zen 4 (D = 150; medians of three interleaved
/// <c>livni-bonus --time-steps</c> runs each) an Adam step took 0.80 to 0.86 of the time of the gradients and a
/// separate pass at r = 120 to 480 (52 against 63 us at r = 480) and was no faster at r = 60; a momentum step 0.88 and
/// 0.90 at r = 240 and 480, no faster at r = 120 and 1.14 at r = 60.
/// Twenty epochs of the bonus study's momentum and three m = 10 Adam settings (two seeds, one thread) took 15.9 s
/// against 17.1 to 17.5 s (three interleaved runs each); the SGD pass took the same time as before.</para>
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
        CheckSizes(m, d, r, n, e, u, h, x, dh, gu, gv);
        if (beta is not (0f or 1f)) ThrowBadBeta(beta);
        if (IsFused(m, n))
        {
            fixed (float* pe = e, pu = u, ph = h, px = x, pgu = gu, pgv = gv)
            {
                if (beta == 1f) Fused(d, r, pe, pu, ph, px, pgu, pgv, new Accumulate());
                else Fused(d, r, pe, pu, ph, px, pgu, pgv, new Overwrite());
            }
            return;
        }
        Gemm.Gemm.Multiply(Op.None, Op.None, m, r, n, 1f, e, n, u, r, 0f, dh, r);
        Gemm.Gemm.Multiply(Op.Transpose, Op.None, n, r, m, 1f, e, n, h, r, beta, gu, r);
        Relu.Backward(h, dh, dh);
        Gemm.Gemm.Multiply(Op.Transpose, Op.None, d, r, m, 1f, x, d, dh, r, beta, gv, r);
    }

    /// <summary>
    /// The backward pass at beta = 0, E already carrying 1 / m (so that the sums are the gradients), followed by a
    /// heavy-ball step on U and V in place (see <see cref="MomentumUpdate"/>, whose bits it gives): the gradients in
    /// <paramref name="gu"/> and <paramref name="gv"/> (scratch, as <paramref name="dh"/>, and apart from the weights and
    /// the buffers), then both blocks updated. The fused pass applies the step to each block of the gradient as it forms
    /// it and does not write gu, gv or dH.
    /// </summary>
    public static void RunMomentum(int m, int d, int r, int n, ReadOnlySpan<float> e, Span<float> u, Span<float> v, ReadOnlySpan<float> h,
        ReadOnlySpan<float> x, Span<float> dh, Span<float> gu, Span<float> gv, Span<float> bufferU, Span<float> bufferV, float eta, float mu)
    {
        CheckSizes(m, d, r, n, e, u, h, x, dh, gu, gv);
        CheckState(gv, u, v, bufferU, bufferV, "buffers");
        CheckApart(gu, gv, u, v, bufferU, bufferV);
        if (IsFused(m, n))
        {
            fixed (float* pe = e, pu = u, pv = v, ph = h, px = x, pbu = bufferU, pbv = bufferV)
                Fused(d, r, pe, pu, ph, px, pu, pv, new MomentumEpilogue(Distance(pu, pbu), Distance(pv, pbv), new MomentumRule<Lanes512<float>>(eta, mu)));
            return;
        }
        Run(m, d, r, n, e, u, h, x, dh, 0f, gu, gv);
        MomentumUpdate.Apply(u, gu, bufferU, eta, mu);
        MomentumUpdate.Apply(v, gv, bufferV, eta, mu);
    }

    /// <summary>
    /// The backward pass at beta = 0, E already carrying 1 / m (so that the sums are the gradients), followed by an Adam
    /// step (the <paramref name="step"/>-th, from 1) on U and V in place (see <see cref="AdamUpdate"/>, whose bits it
    /// gives): the gradients in <paramref name="gu"/> and <paramref name="gv"/> (scratch, as <paramref name="dh"/>, and
    /// apart from the weights and the moments), then both blocks updated.
    /// The fused pass applies the step to each block of the gradient as it forms it and does not write gu, gv or dH: its
    /// square roots and divisions run beside the products' multiply-adds instead of in a pass of their own.
    /// </summary>
    public static void RunAdam(int m, int d, int r, int n, ReadOnlySpan<float> e, Span<float> u, Span<float> v, ReadOnlySpan<float> h,
        ReadOnlySpan<float> x, Span<float> dh, Span<float> gu, Span<float> gv, Span<float> firstU, Span<float> firstV, Span<float> secondU,
        Span<float> secondV, float eta, long step, float beta1 = AdamUpdate.DefaultBeta1, float beta2 = AdamUpdate.DefaultBeta2,
        float epsilon = AdamUpdate.DefaultEpsilon)
    {
        CheckSizes(m, d, r, n, e, u, h, x, dh, gu, gv);
        CheckState(gv, u, v, firstU, firstV, "first moments");
        CheckState(gv, u, v, secondU, secondV, "second moments");
        CheckApart(gu, gv, u, v, firstU, firstV);
        CheckApart(gu, gv, u, v, secondU, secondV);
        var constants = new AdamConstants(eta, step, beta1, beta2, epsilon);
        if (IsFused(m, n))
        {
            fixed (float* pe = e, pu = u, pv = v, ph = h, px = x, pFirstU = firstU, pFirstV = firstV, pSecondU = secondU, pSecondV = secondV)
            {
                var epilogue = new AdamEpilogue(Distance(pu, pFirstU), Distance(pu, pSecondU), Distance(pv, pFirstV), Distance(pv, pSecondV),
                    new AdamRule<Lanes512<float>>(constants));
                Fused(d, r, pe, pu, ph, px, pu, pv, epilogue);
            }
            return;
        }
        Run(m, d, r, n, e, u, h, x, dh, 0f, gu, gv);
        AdamUpdate.Apply(u, gu, firstU, secondU, constants);
        AdamUpdate.Apply(v, gv, firstV, secondV, constants);
    }

    /// <summary>The bytes from <paramref name="from"/> to <paramref name="to"/>: exact whatever the two arrays' alignment.</summary>
    private static nint Distance(float* from, float* to) => (nint)((byte*)to - (byte*)from);

    /// <summary>At <paramref name="c"/> plus <paramref name="bytes"/> (see <see cref="Distance"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* At(float* c, nint bytes) => (float*)((byte*)c + bytes);

    /// <summary>Whether the one-pass form runs: the homework's batch and output count, with 512-bit vectors.</summary>
    internal static bool IsFused(int m, int n) =>
        m == FusedSize && n == FusedSize && SimdDispatch.Current == VectorWidth.Vector512 && Avx512F.IsSupported;

    private static void CheckSizes(int m, int d, int r, int n, ReadOnlySpan<float> e, ReadOnlySpan<float> u, ReadOnlySpan<float> h,
        ReadOnlySpan<float> x, ReadOnlySpan<float> dh, ReadOnlySpan<float> gu, ReadOnlySpan<float> gv)
    {
        // Messages are built only to throw: built here, their set-up cost every step (see GemmArguments).
        if (m < 1 || d < 1 || r < 1 || n < 1) ThrowNonPositiveSize(m, d, r, n);
        if (e.Length != m * n || u.Length != n * r || h.Length != m * r || x.Length != m * d || dh.Length != m * r || gu.Length != n * r || gv.Length != d * r)
            throw new ArgumentException("ReLU layer backward: E, U, H, X, dH, gu and gv must be m x n, n x r, m x r, m x D, m x r, n x r and D x r.");
    }

    private static void CheckState(ReadOnlySpan<float> gv, ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<float> stateU,
        ReadOnlySpan<float> stateV, string state)
    {
        if (v.Length != gv.Length || stateU.Length != u.Length || stateV.Length != v.Length)
            throw new ArgumentException($"ReLU layer backward: V must be D x r, and the optimizer's {state} of U and V the sizes of U and V.");
    }

    /// <summary>
    /// The gradients' scratch must not share memory with the weights or the optimizer's state: the four-call form writes
    /// the gradients before it updates, so with gu = U it would step from the gradient instead of from U, and the fused
    /// form, which does not write gu, would give another answer.
    /// </summary>
    private static void CheckApart(ReadOnlySpan<float> gu, ReadOnlySpan<float> gv, ReadOnlySpan<float> u, ReadOnlySpan<float> v,
        ReadOnlySpan<float> stateU, ReadOnlySpan<float> stateV)
    {
        if (Shares(gu, u, v, stateU, stateV) || Shares(gv, u, v, stateU, stateV))
            throw new ArgumentException("ReLU layer backward: the gradients' scratch gu and gv must not share memory with U, V or the optimizer's state.");

        static bool Shares(ReadOnlySpan<float> g, ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<float> stateU, ReadOnlySpan<float> stateV) =>
            g.Overlaps(u) || g.Overlaps(v) || g.Overlaps(stateU) || g.Overlaps(stateV);
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
    /// of V at a time (one at a time for an optimizer's step, see <see cref="VRowsOneByOne"/>), each sum a chain of ten
    /// FMAs over the samples, the ten chains side by side (five at a time took
    /// 1-3.5 % longer on the Zen 4). What becomes of each sum (<see cref="IEpilogue"/>) is a type, and the ten rows of X
    /// each have a pointer of their own: with a flag and offsets computed from D, every row of V cost a branch and a dozen integer
    /// operations besides its ten FMAs, and the Zen 4 took 3-4.5 % longer at r = 120 and 240 (two A/B runs of 25 rounds;
    /// at r = 60 they gave 0.95 and 1.01 of the time, at r = 480 0.98 and 0.99).
    /// </summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Fused<TEpilogue>(int d, int r, float* e, float* u, float* h, float* x, float* gu, float* gv, TEpilogue epilogue)
        where TEpilogue : struct, IEpilogue
    {
        const int n = FusedSize;
        int vectors = (r + 15) / 16;
        Vector512<float> lastMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(r - (vectors - 1) * 16)).AsSingle();
        // dZ's ten rows of the block, for the V product; the U product's ten sums, for an epilogue that takes them one at a time.
        Vector512<float>* dz = stackalloc Vector512<float>[FusedSize], tile = stackalloc Vector512<float>[FusedSize];
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
            if (TEpilogue.RowByRow)
            {
                tile[0] = a0; tile[1] = a1; tile[2] = a2; tile[3] = a3; tile[4] = a4; tile[5] = a5; tile[6] = a6; tile[7] = a7; tile[8] = a8; tile[9] = a9;
                for (int j = 0; j < n; j++) epilogue.ToU(guc + j * r, tile[j], mask);
            }
            else
            {
                epilogue.ToU(guc, a0, mask); epilogue.ToU(guc + r, a1, mask); epilogue.ToU(guc + 2 * r, a2, mask);
                epilogue.ToU(guc + 3 * r, a3, mask); epilogue.ToU(guc + 4 * r, a4, mask); epilogue.ToU(guc + 5 * r, a5, mask);
                epilogue.ToU(guc + 6 * r, a6, mask); epilogue.ToU(guc + 7 * r, a7, mask); epilogue.ToU(guc + 8 * r, a8, mask);
                epilogue.ToU(guc + 9 * r, a9, mask);
            }
            // The V product: row p of gv gets sum_i X[i, p] dZ[i, :], in order of i; ten rows at a time, or one at a time for a
            // heavy epilogue, in a method of its own (see VRowsOneByOne).
            if (TEpilogue.RowByRow)
            {
                dz[0] = g0; dz[1] = g1; dz[2] = g2; dz[3] = g3; dz[4] = g4; dz[5] = g5; dz[6] = g6; dz[7] = g7; dz[8] = g8; dz[9] = g9;
                VRowsOneByOne(d, r, x, dz, gvc, mask, epilogue);
                continue;
            }
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
                epilogue.ToV(row, t0, mask); epilogue.ToV(row + stride, t1, mask); epilogue.ToV(row + 2 * stride, t2, mask);
                epilogue.ToV(row + 3 * stride, t3, mask); epilogue.ToV(row + 4 * stride, t4, mask); epilogue.ToV(row + 5 * stride, t5, mask);
                epilogue.ToV(row + 6 * stride, t6, mask); epilogue.ToV(row + 7 * stride, t7, mask); epilogue.ToV(row + 8 * stride, t8, mask);
                epilogue.ToV(row + 9 * stride, t9, mask);
            }
            for (; p < d; p++, row += stride)
                epilogue.ToV(row, ColumnTimesDz(p, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9), mask);
        }
    }

    /// <summary>
    /// The V product of one column block for an epilogue <see cref="IEpilogue.RowByRow"/>: row p of gv gets
    /// sum_i X[i, p] dZ[i, :] (dZ's ten rows in <paramref name="dz"/>), in order of i, one row at a time. A method of its
    /// own: the JIT's inlining budget is per method, and in the block's method, with its hundreds of inlined
    /// multiply-adds, an Adam epilogue's vector operations became calls.
    /// </summary>
    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void VRowsOneByOne<TEpilogue>(int d, int r, float* x, Vector512<float>* dz, float* gvc, Vector512<float> mask, TEpilogue epilogue)
        where TEpilogue : struct, IEpilogue
    {
        Vector512<float> g0 = dz[0], g1 = dz[1], g2 = dz[2], g3 = dz[3], g4 = dz[4], g5 = dz[5], g6 = dz[6], g7 = dz[7], g8 = dz[8], g9 = dz[9];
        float* x0 = x, x1 = x + d, x2 = x + 2 * d, x3 = x + 3 * d, x4 = x + 4 * d, x5 = x + 5 * d, x6 = x + 6 * d, x7 = x + 7 * d,
            x8 = x + 8 * d, x9 = x + 9 * d;
        // Row p's epilogue runs after row p + Lag's sums are started: by then row p's chain of FMAs has long finished, so the
        // epilogue's square roots and divisions go straight to their unit while the next rows' FMAs run beside them.
        const int Lag = 8;
        Vector512<float>* pending = stackalloc Vector512<float>[Lag];
        float* row = gvc;
        for (int p = 0; p < d; p++, row += r)
        {
            Vector512<float> sum = ColumnTimesDz(p, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, g0, g1, g2, g3, g4, g5, g6, g7, g8, g9);
            if (p >= Lag) epilogue.ToV(row - Lag * (nint)r, pending[(uint)p % Lag], mask);
            pending[(uint)p % Lag] = sum;
        }
        for (int p = Math.Max(0, d - Lag); p < d; p++) epilogue.ToV(gvc + p * (nint)r, pending[(uint)p % Lag], mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load(float* p, Vector512<float> mask) => Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    /// <summary>
    /// What becomes of a block's sum (16 lanes, those of the mask in U or V) at c, an
    /// address in gu (<see cref="ToU"/>) or gv (<see cref="ToV"/>). A type, so that each use compiles to its own pass.
    /// </summary>
    private interface IEpilogue
    {
        /// <summary>
        /// Whether the epilogue is many operations (an optimizer's step), taken one row at a time: inlined once in a loop
        /// rather than once per row of a ten-row group, and its square roots and divisions, which wait on a unit of their
        /// own, spread between the multiply-adds of the rows that follow.
        /// </summary>
        static abstract bool RowByRow { get; }

        void ToU(float* c, Vector512<float> sum, Vector512<float> mask);

        void ToV(float* c, Vector512<float> sum, Vector512<float> mask);
    }

    /// <summary>C = sum + C (beta = 1): the register tiles' epilogue at alpha = 1.</summary>
    private readonly struct Accumulate : IEpilogue
    {
        public static bool RowByRow => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToU(float* c, Vector512<float> sum, Vector512<float> mask) => Avx512F.MaskStore(c, mask, Load(c, mask) + sum);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToV(float* c, Vector512<float> sum, Vector512<float> mask) => Avx512F.MaskStore(c, mask, Load(c, mask) + sum);
    }

    /// <summary>C = sum (beta = 0).</summary>
    private readonly struct Overwrite : IEpilogue
    {
        public static bool RowByRow => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToU(float* c, Vector512<float> sum, Vector512<float> mask) => Avx512F.MaskStore(c, mask, sum);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToV(float* c, Vector512<float> sum, Vector512<float> mask) => Avx512F.MaskStore(c, mask, sum);
    }

    /// <summary>
    /// The sum is the gradient, and c the parameter it moves (gu = U, gv = V): a heavy-ball step, the buffer element at a
    /// fixed distance from c (<paramref name="bufferU"/> bytes in U's buffer, <paramref name="bufferV"/> in V's).
    /// </summary>
    private readonly struct MomentumEpilogue(nint bufferU, nint bufferV, MomentumRule<Lanes512<float>> rule) : IEpilogue
    {
        public static bool RowByRow => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToU(float* c, Vector512<float> sum, Vector512<float> mask) => Step(c, At(c, bufferU), sum, mask);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToV(float* c, Vector512<float> sum, Vector512<float> mask) => Step(c, At(c, bufferV), sum, mask);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Step(float* p, float* b, Vector512<float> gradient, Vector512<float> mask)
        {
            var buffer = new Lanes512<float>(Load(b, mask));
            Lanes512<float> next = rule.Step(new Lanes512<float>(Load(p, mask)), new Lanes512<float>(gradient), ref buffer);
            Avx512F.MaskStore(b, mask, buffer.Value);
            Avx512F.MaskStore(p, mask, next.Value);
        }
    }

    /// <summary>As <see cref="MomentumEpilogue"/>, an Adam step: each moment element at its own fixed distance from c.</summary>
    private readonly struct AdamEpilogue(nint firstU, nint secondU, nint firstV, nint secondV, AdamRule<Lanes512<float>> rule) : IEpilogue
    {
        public static bool RowByRow => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToU(float* c, Vector512<float> sum, Vector512<float> mask) => Step(c, At(c, firstU), At(c, secondU), sum, mask);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToV(float* c, Vector512<float> sum, Vector512<float> mask) => Step(c, At(c, firstV), At(c, secondV), sum, mask);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Step(float* p, float* m, float* v, Vector512<float> gradient, Vector512<float> mask)
        {
            Lanes512<float> first = new(Load(m, mask)), second = new(Load(v, mask));
            Lanes512<float> next = rule.Step(new Lanes512<float>(Load(p, mask)), new Lanes512<float>(gradient), ref first, ref second);
            Avx512F.MaskStore(m, mask, first.Value);
            Avx512F.MaskStore(v, mask, second.Value);
            Avx512F.MaskStore(p, mask, next.Value);
        }
    }

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
