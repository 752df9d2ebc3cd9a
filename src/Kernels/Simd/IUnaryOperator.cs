using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Simd;

/// <summary>
/// An elementwise operation <c>d = f(x; p)</c> with one broadcast parameter <c>p</c> (ignored by operations that
/// have none), written once per width. The scalar form is the reference the vector forms must reproduce bit for bit.
/// </summary>
internal interface IUnaryOperator<T>
{
    static abstract T Invoke(T x, T p);

    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> p);

    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> p);

    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> p);
}

/// <summary>
/// The loops behind every <see cref="IUnaryOperator{T}"/>, specialized by the JIT for each operator. Like the other
/// loops they are compiled fully optimized on first call: kernels are hot from their first call, and tier-0 code of a
/// vector loop (calls instead of inlined vector operations) runs tens of times slower.
/// </summary>
internal static class UnaryLoop
{
    /// <summary>
    /// Computes <c>d[i] = TOp.Invoke(x[i], p)</c> at <see cref="SimdDispatch.Current"/>. <paramref name="d"/> may be
    /// <paramref name="x"/> itself, but must not overlap it otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TOp>(ReadOnlySpan<T> x, T p, Span<T> d, string operation)
        where TOp : struct, IUnaryOperator<T>
    {
        Spans.CheckDestination(x, d, operation);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length;
        VectorWidth width = SimdDispatch.Current;

        if (Vector512.IsHardwareAccelerated && width >= VectorWidth.Vector512 && n >= (nuint)Vector512<T>.Count)
            Run512<T, TOp>(ref xr, p, ref dr, n);
        else if (Vector256.IsHardwareAccelerated && width >= VectorWidth.Vector256 && n >= (nuint)Vector256<T>.Count)
            Run256<T, TOp>(ref xr, p, ref dr, n);
        else if (Vector128.IsHardwareAccelerated && width >= VectorWidth.Vector128 && n >= (nuint)Vector128<T>.Count)
            Run128<T, TOp>(ref xr, p, ref dr, n);
        else
            for (nuint i = 0; i < n; i++) Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), p);
    }

    // Each width: the first and the last vector are computed before anything is stored, so an in-place call reads
    // only original values; the body then runs from the first index where stores are aligned, four vectors per
    // iteration and then single vectors, and the first and last vectors, which may overlap the body, are stored last.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512<T, TOp>(ref T xr, T p, ref T dr, nuint n) where TOp : struct, IUnaryOperator<T>
    {
        nuint w = (nuint)Vector512<T>.Count;
        Vector512<T> pv = Vector512.Create(p);
        Vector512<T> last = TOp.Invoke(Vector512.LoadUnsafe(ref xr, n - w), pv);
        Vector512<T> first = TOp.Invoke(Vector512.LoadUnsafe(ref xr), pv);
        nuint i = Spans.AlignedStart(ref dr, w);
        for (; i + 4 * w <= n; i += 4 * w)
        {
            Vector512<T> d0 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), pv);
            Vector512<T> d1 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i + w), pv);
            Vector512<T> d2 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i + 2 * w), pv);
            Vector512<T> d3 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i + 3 * w), pv);
            d0.StoreUnsafe(ref dr, i);
            d1.StoreUnsafe(ref dr, i + w);
            d2.StoreUnsafe(ref dr, i + 2 * w);
            d3.StoreUnsafe(ref dr, i + 3 * w);
        }
        for (; i + w <= n; i += w) TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), pv).StoreUnsafe(ref dr, i);
        first.StoreUnsafe(ref dr);
        last.StoreUnsafe(ref dr, n - w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run256<T, TOp>(ref T xr, T p, ref T dr, nuint n) where TOp : struct, IUnaryOperator<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        Vector256<T> pv = Vector256.Create(p);
        Vector256<T> last = TOp.Invoke(Vector256.LoadUnsafe(ref xr, n - w), pv);
        Vector256<T> first = TOp.Invoke(Vector256.LoadUnsafe(ref xr), pv);
        nuint i = Spans.AlignedStart(ref dr, w);
        for (; i + 4 * w <= n; i += 4 * w)
        {
            Vector256<T> d0 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), pv);
            Vector256<T> d1 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i + w), pv);
            Vector256<T> d2 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i + 2 * w), pv);
            Vector256<T> d3 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i + 3 * w), pv);
            d0.StoreUnsafe(ref dr, i);
            d1.StoreUnsafe(ref dr, i + w);
            d2.StoreUnsafe(ref dr, i + 2 * w);
            d3.StoreUnsafe(ref dr, i + 3 * w);
        }
        for (; i + w <= n; i += w) TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), pv).StoreUnsafe(ref dr, i);
        first.StoreUnsafe(ref dr);
        last.StoreUnsafe(ref dr, n - w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run128<T, TOp>(ref T xr, T p, ref T dr, nuint n) where TOp : struct, IUnaryOperator<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        Vector128<T> pv = Vector128.Create(p);
        Vector128<T> last = TOp.Invoke(Vector128.LoadUnsafe(ref xr, n - w), pv);
        Vector128<T> first = TOp.Invoke(Vector128.LoadUnsafe(ref xr), pv);
        nuint i = Spans.AlignedStart(ref dr, w);
        for (; i + 4 * w <= n; i += 4 * w)
        {
            Vector128<T> d0 = TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), pv);
            Vector128<T> d1 = TOp.Invoke(Vector128.LoadUnsafe(ref xr, i + w), pv);
            Vector128<T> d2 = TOp.Invoke(Vector128.LoadUnsafe(ref xr, i + 2 * w), pv);
            Vector128<T> d3 = TOp.Invoke(Vector128.LoadUnsafe(ref xr, i + 3 * w), pv);
            d0.StoreUnsafe(ref dr, i);
            d1.StoreUnsafe(ref dr, i + w);
            d2.StoreUnsafe(ref dr, i + 2 * w);
            d3.StoreUnsafe(ref dr, i + 3 * w);
        }
        for (; i + w <= n; i += w) TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), pv).StoreUnsafe(ref dr, i);
        first.StoreUnsafe(ref dr);
        last.StoreUnsafe(ref dr, n - w);
    }
}
