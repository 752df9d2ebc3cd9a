using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Simd;

/// <summary>
/// A reduction over two spans with one broadcast parameter <c>p</c>: each accumulator starts at
/// <see cref="Identity"/>, takes elements with <c>Accumulate(acc, x, y, p)</c> (single-span reductions pass the
/// same span twice and ignore <c>y</c>), and accumulators are merged with the associative <c>Combine</c>.
/// </summary>
internal interface IReductionOperator<T>
{
    static abstract T Identity { get; }

    static abstract T Accumulate(T acc, T x, T y, T p);

    static abstract Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x, Vector128<T> y, Vector128<T> p);

    static abstract Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x, Vector256<T> y, Vector256<T> p);

    static abstract Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x, Vector512<T> y, Vector512<T> p);

    static abstract T Combine(T a, T b);

    static abstract Vector128<T> Combine(Vector128<T> a, Vector128<T> b);

    static abstract Vector256<T> Combine(Vector256<T> a, Vector256<T> b);

    static abstract Vector512<T> Combine(Vector512<T> a, Vector512<T> b);
}

/// <summary>
/// The loops behind every <see cref="IReductionOperator{T}"/>. The scalar path accumulates left to right and is the
/// reference. Each vector path uses four vector accumulators, masks the overlapping last vector instead of running a
/// scalar tail, and merges in a fixed order (the four accumulators pairwise, then halves of the vector, then lanes in
/// order), so a result depends only on the data and the width, never on alignment.
/// </summary>
internal static class ReductionLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T p, string operation)
        where T : INumberBase<T>
        where TOp : struct, IReductionOperator<T>
    {
        Spans.CheckSameLength(x.Length, y.Length, operation);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        VectorWidth width = SimdDispatch.Current;

        if (Vector512.IsHardwareAccelerated && width >= VectorWidth.Vector512 && n >= (nuint)Vector512<T>.Count)
            return Run512<T, TOp>(ref xr, ref yr, p, n);
        if (Vector256.IsHardwareAccelerated && width >= VectorWidth.Vector256 && n >= (nuint)Vector256<T>.Count)
            return Run256<T, TOp>(ref xr, ref yr, p, n);
        if (Vector128.IsHardwareAccelerated && width >= VectorWidth.Vector128 && n >= (nuint)Vector128<T>.Count)
            return Run128<T, TOp>(ref xr, ref yr, p, n);

        T acc = TOp.Identity;
        for (nuint i = 0; i < n; i++) acc = TOp.Accumulate(acc, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), p);
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Run512<T, TOp>(ref T xr, ref T yr, T p, nuint n) where T : INumberBase<T> where TOp : struct, IReductionOperator<T>
    {
        nuint w = (nuint)Vector512<T>.Count;
        Vector512<T> pv = Vector512.Create(p);
        Vector512<T> acc0 = Vector512.Create(TOp.Identity), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            acc0 = TOp.Accumulate(acc0, Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), pv);
            acc1 = TOp.Accumulate(acc1, Vector512.LoadUnsafe(ref xr, i + w), Vector512.LoadUnsafe(ref yr, i + w), pv);
            acc2 = TOp.Accumulate(acc2, Vector512.LoadUnsafe(ref xr, i + 2 * w), Vector512.LoadUnsafe(ref yr, i + 2 * w), pv);
            acc3 = TOp.Accumulate(acc3, Vector512.LoadUnsafe(ref xr, i + 3 * w), Vector512.LoadUnsafe(ref yr, i + 3 * w), pv);
        }
        if (i + w <= n) { acc0 = TOp.Accumulate(acc0, Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc1 = TOp.Accumulate(acc1, Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc2 = TOp.Accumulate(acc2, Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i < n)
        {
            // The last vector overlaps elements already accumulated: only its lanes from element i on may count.
            Vector512<T> fresh = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(i - (n - w))));
            Vector512<T> tail = TOp.Accumulate(acc3, Vector512.LoadUnsafe(ref xr, n - w), Vector512.LoadUnsafe(ref yr, n - w), pv);
            acc3 = Vector512.ConditionalSelect(fresh, tail, acc3);
        }
        Vector512<T> total = TOp.Combine(TOp.Combine(acc0, acc1), TOp.Combine(acc2, acc3));
        Vector256<T> half = TOp.Combine(total.GetLower(), total.GetUpper());
        return Lanes<T, TOp>(TOp.Combine(half.GetLower(), half.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Run256<T, TOp>(ref T xr, ref T yr, T p, nuint n) where T : INumberBase<T> where TOp : struct, IReductionOperator<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        Vector256<T> pv = Vector256.Create(p);
        Vector256<T> acc0 = Vector256.Create(TOp.Identity), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            acc0 = TOp.Accumulate(acc0, Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), pv);
            acc1 = TOp.Accumulate(acc1, Vector256.LoadUnsafe(ref xr, i + w), Vector256.LoadUnsafe(ref yr, i + w), pv);
            acc2 = TOp.Accumulate(acc2, Vector256.LoadUnsafe(ref xr, i + 2 * w), Vector256.LoadUnsafe(ref yr, i + 2 * w), pv);
            acc3 = TOp.Accumulate(acc3, Vector256.LoadUnsafe(ref xr, i + 3 * w), Vector256.LoadUnsafe(ref yr, i + 3 * w), pv);
        }
        if (i + w <= n) { acc0 = TOp.Accumulate(acc0, Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc1 = TOp.Accumulate(acc1, Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc2 = TOp.Accumulate(acc2, Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i < n)
        {
            // The last vector overlaps elements already accumulated: only its lanes from element i on may count.
            Vector256<T> fresh = Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(i - (n - w))));
            Vector256<T> tail = TOp.Accumulate(acc3, Vector256.LoadUnsafe(ref xr, n - w), Vector256.LoadUnsafe(ref yr, n - w), pv);
            acc3 = Vector256.ConditionalSelect(fresh, tail, acc3);
        }
        Vector256<T> total = TOp.Combine(TOp.Combine(acc0, acc1), TOp.Combine(acc2, acc3));
        return Lanes<T, TOp>(TOp.Combine(total.GetLower(), total.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Run128<T, TOp>(ref T xr, ref T yr, T p, nuint n) where T : INumberBase<T> where TOp : struct, IReductionOperator<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        Vector128<T> pv = Vector128.Create(p);
        Vector128<T> acc0 = Vector128.Create(TOp.Identity), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            acc0 = TOp.Accumulate(acc0, Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), pv);
            acc1 = TOp.Accumulate(acc1, Vector128.LoadUnsafe(ref xr, i + w), Vector128.LoadUnsafe(ref yr, i + w), pv);
            acc2 = TOp.Accumulate(acc2, Vector128.LoadUnsafe(ref xr, i + 2 * w), Vector128.LoadUnsafe(ref yr, i + 2 * w), pv);
            acc3 = TOp.Accumulate(acc3, Vector128.LoadUnsafe(ref xr, i + 3 * w), Vector128.LoadUnsafe(ref yr, i + 3 * w), pv);
        }
        if (i + w <= n) { acc0 = TOp.Accumulate(acc0, Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc1 = TOp.Accumulate(acc1, Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc2 = TOp.Accumulate(acc2, Vector128.LoadUnsafe(ref xr, i), Vector128.LoadUnsafe(ref yr, i), pv); i += w; }
        if (i < n)
        {
            // The last vector overlaps elements already accumulated: only its lanes from element i on may count.
            Vector128<T> fresh = Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(i - (n - w))));
            Vector128<T> tail = TOp.Accumulate(acc3, Vector128.LoadUnsafe(ref xr, n - w), Vector128.LoadUnsafe(ref yr, n - w), pv);
            acc3 = Vector128.ConditionalSelect(fresh, tail, acc3);
        }
        Vector128<T> total = TOp.Combine(TOp.Combine(acc0, acc1), TOp.Combine(acc2, acc3));
        return Lanes<T, TOp>(total);
    }

    private static T Lanes<T, TOp>(Vector128<T> v) where TOp : struct, IReductionOperator<T>
    {
        T r = v.GetElement(0);
        for (int j = 1; j < Vector128<T>.Count; j++) r = TOp.Combine(r, v.GetElement(j));
        return r;
    }
}
