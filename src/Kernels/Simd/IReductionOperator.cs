using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// A reduction over two spans with one broadcast parameter <c>p</c>: each accumulator starts at
/// <see cref="Identity"/>, takes elements with <c>Accumulate(acc, x, y, p)</c> (single-span reductions pass the
/// same span twice and ignore <c>y</c>), accumulators are merged with the associative <c>Combine</c>, and the lanes
/// of the merged accumulator are folded into one value by <see cref="Fold{TLanes}"/>.
/// </summary>
internal interface IReductionOperator<T> where T : unmanaged, INumber<T>
{
    static abstract T Identity { get; }

    static abstract T Accumulate(T acc, T x, T y, T p);

    static abstract TLanes Accumulate<TLanes>(TLanes acc, TLanes x, TLanes y, TLanes p) where TLanes : struct, ILanes<TLanes, T>;

    static abstract T Combine(T a, T b);

    static abstract TLanes Combine<TLanes>(TLanes a, TLanes b) where TLanes : struct, ILanes<TLanes, T>;

    /// <summary>
    /// The lanes combined into one value in an order that is the same at every width: by halving for sums
    /// (<see cref="ILanes{TSelf, T}.Sum"/>), any order for an exact, commutative combine such as an integer maximum.
    /// </summary>
    static abstract T Fold<TLanes>(TLanes value) where TLanes : struct, ILanes<TLanes, T>;
}

/// <summary>
/// The loops behind every <see cref="IReductionOperator{T}"/>. Below one set of lanes (16 floats, 8 doubles) the
/// reduction runs left to right. From there on, element i goes to lane i mod Count of accumulator (i / Count) mod 4,
/// except that the last, partial set of lanes is read overlapping the previous one, into the fourth accumulator, with
/// only its new lanes kept; the four are merged pairwise and the lanes folded by halving. That order is defined on the
/// 64-byte lanes of <see cref="ILanes{TSelf, T}"/>, which every width holds the same way, so a result depends on the
/// data alone: not on the width, the CPU or the alignment.
/// </summary>
internal static class ReductionLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T p, string operation)
        where T : unmanaged, INumber<T>
        where TOp : struct, IReductionOperator<T>
    {
        Spans.CheckSameLength(x.Length, y.Length, operation);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        if (n >= (nuint)Lanes512<T>.Count)
        {
            switch (SimdDispatch.Current)
            {
                case VectorWidth.Vector512: return Run<T, TOp, Lanes512<T>>(ref xr, ref yr, p, n);
                case VectorWidth.Vector256: return Run<T, TOp, Lanes256x2<T>>(ref xr, ref yr, p, n);
                case VectorWidth.Vector128: return Run<T, TOp, Lanes128x4<T>>(ref xr, ref yr, p, n);
                default: return Run<T, TOp, LanesScalar<T>>(ref xr, ref yr, p, n);
            }
        }
        T acc = TOp.Identity;
        for (nuint i = 0; i < n; i++) acc = TOp.Accumulate(acc, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), p);
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Run<T, TOp, TLanes>(ref T xr, ref T yr, T p, nuint n)
        where T : unmanaged, INumber<T>
        where TOp : struct, IReductionOperator<T>
        where TLanes : struct, ILanes<TLanes, T>
    {
        nuint w = (nuint)TLanes.Count;
        TLanes pv = TLanes.Create(p);
        TLanes acc0 = TLanes.Create(TOp.Identity), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            acc0 = TOp.Accumulate(acc0, TLanes.Load(ref xr, i), TLanes.Load(ref yr, i), pv);
            acc1 = TOp.Accumulate(acc1, TLanes.Load(ref xr, i + w), TLanes.Load(ref yr, i + w), pv);
            acc2 = TOp.Accumulate(acc2, TLanes.Load(ref xr, i + 2 * w), TLanes.Load(ref yr, i + 2 * w), pv);
            acc3 = TOp.Accumulate(acc3, TLanes.Load(ref xr, i + 3 * w), TLanes.Load(ref yr, i + 3 * w), pv);
        }
        if (i + w <= n) { acc0 = TOp.Accumulate(acc0, TLanes.Load(ref xr, i), TLanes.Load(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc1 = TOp.Accumulate(acc1, TLanes.Load(ref xr, i), TLanes.Load(ref yr, i), pv); i += w; }
        if (i + w <= n) { acc2 = TOp.Accumulate(acc2, TLanes.Load(ref xr, i), TLanes.Load(ref yr, i), pv); i += w; }
        if (i < n)
        {
            // The last lanes overlap elements already accumulated: only its lanes from element i on may count.
            TLanes fresh = TLanes.GreaterThanOrEqual(TLanes.Indices, TLanes.Create(T.CreateTruncating(i - (n - w))));
            TLanes tail = TOp.Accumulate(acc3, TLanes.Load(ref xr, n - w), TLanes.Load(ref yr, n - w), pv);
            acc3 = TLanes.ConditionalSelect(fresh, tail, acc3);
        }
        return TOp.Fold(TOp.Combine(TOp.Combine(acc0, acc1), TOp.Combine(acc2, acc3)));
    }
}
