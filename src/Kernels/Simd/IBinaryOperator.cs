using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// An elementwise operation <c>d = f(x, y; p)</c> of two spans with one broadcast parameter <c>p</c> (ignored by
/// operations that have none), written once for every width. The scalar form is the reference the lane form must
/// reproduce bit for bit.
/// </summary>
internal interface IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    static abstract T Invoke(T x, T y, T p);

    static abstract TLanes Invoke<TLanes>(TLanes x, TLanes y, TLanes p) where TLanes : struct, ILanes<TLanes, T>;
}

/// <summary>The loops behind every <see cref="IBinaryOperator{T}"/>, specialized by the JIT for each operator and width.</summary>
internal static class BinaryLoop
{
    /// <summary>
    /// Computes <c>d[i] = TOp.Invoke(x[i], y[i], p)</c> at <see cref="SimdDispatch.Current"/>. <paramref name="d"/> may
    /// be <paramref name="x"/> or <paramref name="y"/> itself, but must not overlap either otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T p, Span<T> d, string operation)
        where T : unmanaged, INumber<T>
        where TOp : struct, IBinaryOperator<T>
    {
        Spans.CheckSameLength(x.Length, y.Length, operation);
        Spans.CheckDestination(x, d, operation);
        Spans.CheckDestination(y, d, operation);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length;
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512 when n >= (nuint)Lanes512<T>.Count: Run<T, TOp, Lanes512<T>>(ref xr, ref yr, p, ref dr, n); break;
            case VectorWidth.Vector256 when n >= (nuint)Lanes256x2<T>.Count: Run<T, TOp, Lanes256x2<T>>(ref xr, ref yr, p, ref dr, n); break;
            case VectorWidth.Vector128 when n >= (nuint)Lanes128x4<T>.Count: Run<T, TOp, Lanes128x4<T>>(ref xr, ref yr, p, ref dr, n); break;
            default:
                for (nuint i = 0; i < n; i++) Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), p);
                break;
        }
    }

    // The same scheme as UnaryLoop: first and last lane sets computed before any store, an aligned body, both stored last.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TOp, TLanes>(ref T xr, ref T yr, T p, ref T dr, nuint n)
        where T : unmanaged, INumber<T>
        where TOp : struct, IBinaryOperator<T>
        where TLanes : struct, ILanes<TLanes, T>
    {
        nuint w = (nuint)TLanes.Count;
        TLanes pv = TLanes.Create(p);
        TLanes last = TOp.Invoke(TLanes.Load(ref xr, n - w), TLanes.Load(ref yr, n - w), pv);
        TLanes first = TOp.Invoke(TLanes.Load(ref xr, 0), TLanes.Load(ref yr, 0), pv);
        nuint i = Spans.AlignedStart(ref dr, w);
        for (; i + 4 * w <= n; i += 4 * w)
        {
            TLanes d0 = TOp.Invoke(TLanes.Load(ref xr, i), TLanes.Load(ref yr, i), pv);
            TLanes d1 = TOp.Invoke(TLanes.Load(ref xr, i + w), TLanes.Load(ref yr, i + w), pv);
            TLanes d2 = TOp.Invoke(TLanes.Load(ref xr, i + 2 * w), TLanes.Load(ref yr, i + 2 * w), pv);
            TLanes d3 = TOp.Invoke(TLanes.Load(ref xr, i + 3 * w), TLanes.Load(ref yr, i + 3 * w), pv);
            TLanes.Store(d0, ref dr, i);
            TLanes.Store(d1, ref dr, i + w);
            TLanes.Store(d2, ref dr, i + 2 * w);
            TLanes.Store(d3, ref dr, i + 3 * w);
        }
        for (; i + w <= n; i += w) TLanes.Store(TOp.Invoke(TLanes.Load(ref xr, i), TLanes.Load(ref yr, i), pv), ref dr, i);
        TLanes.Store(first, ref dr, 0);
        TLanes.Store(last, ref dr, n - w);
    }
}
