using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// An elementwise operation <c>d = f(x; p)</c> with one broadcast parameter <c>p</c> (ignored by operations that
/// have none), written once for every width through <see cref="ILanes{TSelf, T}"/>. The scalar form is the
/// reference the lane form must reproduce bit for bit.
/// </summary>
internal interface IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    static abstract T Invoke(T x, T p);

    static abstract TLanes Invoke<TLanes>(TLanes x, TLanes p) where TLanes : struct, ILanes<TLanes, T>;
}

/// <summary>
/// The loops behind every <see cref="IUnaryOperator{T}"/>, specialized by the JIT for each operator and width. Like
/// the other loops they are compiled fully optimized on first call: kernels are hot from their first call, and tier-0
/// code of a vector loop (calls instead of inlined vector operations) runs tens of times slower.
/// </summary>
internal static class UnaryLoop
{
    /// <summary>
    /// Computes <c>d[i] = TOp.Invoke(x[i], p)</c> at <see cref="SimdDispatch.Current"/>. <paramref name="d"/> may be
    /// <paramref name="x"/> itself, but must not overlap it otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TOp>(ReadOnlySpan<T> x, T p, Span<T> d, string operation)
        where T : unmanaged, INumber<T>
        where TOp : struct, IUnaryOperator<T>
    {
        Spans.CheckDestination(x, d, operation);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length;
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512 when n >= (nuint)Lanes512<T>.Count: Run<T, TOp, Lanes512<T>>(ref xr, p, ref dr, n); break;
            case VectorWidth.Vector256 when n >= (nuint)Lanes256x2<T>.Count: Run<T, TOp, Lanes256x2<T>>(ref xr, p, ref dr, n); break;
            case VectorWidth.Vector128 when n >= (nuint)Lanes128x4<T>.Count: Run<T, TOp, Lanes128x4<T>>(ref xr, p, ref dr, n); break;
            default:
                for (nuint i = 0; i < n; i++) Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), p);
                break;
        }
    }

    // The first and the last lanes are computed before anything is stored, so an in-place call reads only original
    // values; the body then runs from the first index where stores are aligned, four lane sets per iteration and
    // then one, and the first and last sets, which may overlap the body, are stored last. Lanes are independent, so
    // the result is the scalar one at every width.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TOp, TLanes>(ref T xr, T p, ref T dr, nuint n)
        where T : unmanaged, INumber<T>
        where TOp : struct, IUnaryOperator<T>
        where TLanes : struct, ILanes<TLanes, T>
    {
        nuint w = (nuint)TLanes.Count;
        TLanes pv = TLanes.Create(p);
        TLanes last = TOp.Invoke(TLanes.Load(ref xr, n - w), pv);
        TLanes first = TOp.Invoke(TLanes.Load(ref xr, 0), pv);
        nuint i = Spans.AlignedStart(ref dr, w);
        for (; i + 4 * w <= n; i += 4 * w)
        {
            TLanes d0 = TOp.Invoke(TLanes.Load(ref xr, i), pv);
            TLanes d1 = TOp.Invoke(TLanes.Load(ref xr, i + w), pv);
            TLanes d2 = TOp.Invoke(TLanes.Load(ref xr, i + 2 * w), pv);
            TLanes d3 = TOp.Invoke(TLanes.Load(ref xr, i + 3 * w), pv);
            TLanes.Store(d0, ref dr, i);
            TLanes.Store(d1, ref dr, i + w);
            TLanes.Store(d2, ref dr, i + 2 * w);
            TLanes.Store(d3, ref dr, i + 3 * w);
        }
        for (; i + w <= n; i += w) TLanes.Store(TOp.Invoke(TLanes.Load(ref xr, i), pv), ref dr, i);
        TLanes.Store(first, ref dr, 0);
        TLanes.Store(last, ref dr, n - w);
    }
}
