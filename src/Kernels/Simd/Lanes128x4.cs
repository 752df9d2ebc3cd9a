using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Simd;

/// <summary>The 64-byte lanes in four <c>Vector128</c>, a quarter of the lanes in each, in order.</summary>
internal readonly struct Lanes128x4<T>(Vector128<T> v0, Vector128<T> v1, Vector128<T> v2, Vector128<T> v3)
    : ILanes<Lanes128x4<T>, T> where T : unmanaged, INumber<T>
{
    public readonly Vector128<T> V0 = v0, V1 = v1, V2 = v2, V3 = v3;

    private static int Quarter => Vector128<T>.Count;

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    public static int Count => 4 * Vector128<T>.Count;

    public static Lanes128x4<T> Zero => default;

    public static Lanes128x4<T> Indices
    {
        get
        {
            Vector128<T> i = Vector128<T>.Indices, q = Vector128.Create(T.CreateTruncating(Quarter));
            return new(i, i + q, i + q + q, i + q + q + q);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128x4<T> Create(T value) { Vector128<T> v = Vector128.Create(value); return new(v, v, v, v); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128x4<T> Load(ref T source, nuint elementOffset)
    {
        nuint q = (nuint)Quarter;
        return new(Vector128.LoadUnsafe(ref source, elementOffset), Vector128.LoadUnsafe(ref source, elementOffset + q),
            Vector128.LoadUnsafe(ref source, elementOffset + 2 * q), Vector128.LoadUnsafe(ref source, elementOffset + 3 * q));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes128x4<T> value, ref T destination, nuint elementOffset)
    {
        nuint q = (nuint)Quarter;
        value.V0.StoreUnsafe(ref destination, elementOffset);
        value.V1.StoreUnsafe(ref destination, elementOffset + q);
        value.V2.StoreUnsafe(ref destination, elementOffset + 2 * q);
        value.V3.StoreUnsafe(ref destination, elementOffset + 3 * q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128x4<T> LoadFirst(ref T source, int count) =>
        new(LoadPart(ref source, count), LoadPart(ref Unsafe.Add(ref source, Quarter), count - Quarter),
            LoadPart(ref Unsafe.Add(ref source, 2 * Quarter), count - 2 * Quarter), LoadPart(ref Unsafe.Add(ref source, 3 * Quarter), count - 3 * Quarter));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Lanes128x4<T> value, ref T destination, int count)
    {
        StorePart(value.V0, ref destination, count);
        StorePart(value.V1, ref Unsafe.Add(ref destination, Quarter), count - Quarter);
        StorePart(value.V2, ref Unsafe.Add(ref destination, 2 * Quarter), count - 2 * Quarter);
        StorePart(value.V3, ref Unsafe.Add(ref destination, 3 * Quarter), count - 3 * Quarter);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128x4<T> FirstLanesMask(int count) =>
        new(Mask(Math.Clamp(count, 0, Quarter)), Mask(Math.Clamp(count - Quarter, 0, Quarter)),
            Mask(Math.Clamp(count - 2 * Quarter, 0, Quarter)), Mask(Math.Clamp(count - 3 * Quarter, 0, Quarter)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes128x4<T> LoadMasked(T* source, Lanes128x4<T> mask) =>
        new(LoadMaskedPart(source, mask.V0), LoadMaskedPart(source + Quarter, mask.V1),
            LoadMaskedPart(source + 2 * Quarter, mask.V2), LoadMaskedPart(source + 3 * Quarter, mask.V3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<T> LoadMaskedPart(T* source, Vector128<T> mask)
    {
        if (!Avx.IsSupported)
        {
            Vector128<T> v = Vector128<T>.Zero;
            for (int i = 0; i < Quarter; i++)
                if (mask.GetElement(i) != T.Zero) v = v.WithElement(i, source[i]);
            return v;
        }
        return sizeof(T) == 4
            ? Avx.MaskLoad((float*)source, mask.AsSingle()).As<float, T>()
            : Avx.MaskLoad((double*)source, mask.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<T> LoadPart(ref T source, int count)
    {
        if (count >= Quarter) return Vector128.LoadUnsafe(ref source);
        if (count <= 0) return Vector128<T>.Zero;
        if (!Avx.IsSupported)
        {
            Vector128<T> v = Vector128<T>.Zero;
            for (int i = 0; i < count; i++) v = v.WithElement(i, Unsafe.Add(ref source, i));
            return v;
        }
        Vector128<T> mask = Mask(count);
        fixed (T* p = &source)
            return sizeof(T) == 4
                ? Avx.MaskLoad((float*)p, mask.AsSingle()).As<float, T>()
                : Avx.MaskLoad((double*)p, mask.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StorePart(Vector128<T> value, ref T destination, int count)
    {
        if (count >= Quarter) { value.StoreUnsafe(ref destination); return; }
        if (count <= 0) return;
        if (!Avx.IsSupported)
        {
            for (int i = 0; i < count; i++) Unsafe.Add(ref destination, i) = value.GetElement(i);
            return;
        }
        Vector128<T> mask = Mask(count);
        fixed (T* p = &destination)
        {
            if (sizeof(T) == 4) Avx.MaskStore((float*)p, mask.AsSingle(), value.AsSingle());
            else Avx.MaskStore((double*)p, mask.AsDouble(), value.AsDouble());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector128<T> Mask(int count) => sizeof(T) == 4
        ? Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).As<int, T>()
        : Vector128.LessThan(Vector128<long>.Indices, Vector128.Create((long)count)).As<long, T>();

    public static Lanes128x4<T> operator +(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 + r.V0, l.V1 + r.V1, l.V2 + r.V2, l.V3 + r.V3);

    public static Lanes128x4<T> operator -(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 - r.V0, l.V1 - r.V1, l.V2 - r.V2, l.V3 - r.V3);

    public static Lanes128x4<T> operator -(Lanes128x4<T> v) => new(-v.V0, -v.V1, -v.V2, -v.V3);

    public static Lanes128x4<T> operator *(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 * r.V0, l.V1 * r.V1, l.V2 * r.V2, l.V3 * r.V3);

    public static Lanes128x4<T> operator /(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 / r.V0, l.V1 / r.V1, l.V2 / r.V2, l.V3 / r.V3);

    public static Lanes128x4<T> operator &(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 & r.V0, l.V1 & r.V1, l.V2 & r.V2, l.V3 & r.V3);

    public static Lanes128x4<T> operator |(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 | r.V0, l.V1 | r.V1, l.V2 | r.V2, l.V3 | r.V3);

    public static Lanes128x4<T> operator ^(Lanes128x4<T> l, Lanes128x4<T> r) => new(l.V0 ^ r.V0, l.V1 ^ r.V1, l.V2 ^ r.V2, l.V3 ^ r.V3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128x4<T> FusedMultiplyAdd(Lanes128x4<T> a, Lanes128x4<T> b, Lanes128x4<T> c) =>
        new(Fma(a.V0, b.V0, c.V0), Fma(a.V1, b.V1, c.V1), Fma(a.V2, b.V2, c.V2), Fma(a.V3, b.V3, c.V3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fma(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128x4<T> Sqrt(Lanes128x4<T> v) => new(Vector128.Sqrt(v.V0), Vector128.Sqrt(v.V1), Vector128.Sqrt(v.V2), Vector128.Sqrt(v.V3));

    public static Lanes128x4<T> Max(Lanes128x4<T> l, Lanes128x4<T> r) =>
        new(Vector128.Max(l.V0, r.V0), Vector128.Max(l.V1, r.V1), Vector128.Max(l.V2, r.V2), Vector128.Max(l.V3, r.V3));

    public static Lanes128x4<T> GreaterThan(Lanes128x4<T> l, Lanes128x4<T> r) =>
        new(Vector128.GreaterThan(l.V0, r.V0), Vector128.GreaterThan(l.V1, r.V1), Vector128.GreaterThan(l.V2, r.V2), Vector128.GreaterThan(l.V3, r.V3));

    public static Lanes128x4<T> GreaterThanOrEqual(Lanes128x4<T> l, Lanes128x4<T> r) =>
        new(Vector128.GreaterThanOrEqual(l.V0, r.V0), Vector128.GreaterThanOrEqual(l.V1, r.V1),
            Vector128.GreaterThanOrEqual(l.V2, r.V2), Vector128.GreaterThanOrEqual(l.V3, r.V3));

    public static Lanes128x4<T> LessThan(Lanes128x4<T> l, Lanes128x4<T> r) =>
        new(Vector128.LessThan(l.V0, r.V0), Vector128.LessThan(l.V1, r.V1), Vector128.LessThan(l.V2, r.V2), Vector128.LessThan(l.V3, r.V3));

    public static Lanes128x4<T> SelectWhereGreater(Lanes128x4<T> l, Lanes128x4<T> r, Lanes128x4<T> a, Lanes128x4<T> b) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(l.V0, r.V0), a.V0, b.V0), Vector128.ConditionalSelect(Vector128.GreaterThan(l.V1, r.V1), a.V1, b.V1),
            Vector128.ConditionalSelect(Vector128.GreaterThan(l.V2, r.V2), a.V2, b.V2), Vector128.ConditionalSelect(Vector128.GreaterThan(l.V3, r.V3), a.V3, b.V3));

    public static Lanes128x4<T> ConditionalSelect(Lanes128x4<T> m, Lanes128x4<T> l, Lanes128x4<T> r) =>
        new(Vector128.ConditionalSelect(m.V0, l.V0, r.V0), Vector128.ConditionalSelect(m.V1, l.V1, r.V1),
            Vector128.ConditionalSelect(m.V2, l.V2, r.V2), Vector128.ConditionalSelect(m.V3, l.V3, r.V3));

    public static bool EqualsAll(Lanes128x4<T> l, Lanes128x4<T> r) =>
        Vector128.EqualsAll(l.V0, r.V0) && Vector128.EqualsAll(l.V1, r.V1) && Vector128.EqualsAll(l.V2, r.V2) && Vector128.EqualsAll(l.V3, r.V3);

    public static Lanes128x4<T> ShiftRightLogical(Lanes128x4<T> v, int count) => new(v.V0 >>> count, v.V1 >>> count, v.V2 >>> count, v.V3 >>> count);

    public static Lanes128x4<T> ShiftLeft(Lanes128x4<T> v, int count) => new(v.V0 << count, v.V1 << count, v.V2 << count, v.V3 << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo BitCast<TTo, TElement>(Lanes128x4<T> v)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement> =>
        Unsafe.BitCast<Lanes128x4<TElement>, TTo>(new(v.V0.As<T, TElement>(), v.V1.As<T, TElement>(), v.V2.As<T, TElement>(), v.V3.As<T, TElement>()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo ConvertToFloating<TTo, TElement>(Lanes128x4<T> v)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>
    {
        if (typeof(T) == typeof(int))
            return Unsafe.BitCast<Lanes128x4<TElement>, TTo>(new(Vector128.ConvertToSingle(v.V0.AsInt32()).As<float, TElement>(),
                Vector128.ConvertToSingle(v.V1.AsInt32()).As<float, TElement>(), Vector128.ConvertToSingle(v.V2.AsInt32()).As<float, TElement>(),
                Vector128.ConvertToSingle(v.V3.AsInt32()).As<float, TElement>()));
        return Unsafe.BitCast<Lanes128x4<TElement>, TTo>(new(Vector128.ConvertToDouble(v.V0.AsInt64()).As<double, TElement>(),
            Vector128.ConvertToDouble(v.V1.AsInt64()).As<double, TElement>(), Vector128.ConvertToDouble(v.V2.AsInt64()).As<double, TElement>(),
            Vector128.ConvertToDouble(v.V3.AsInt64()).As<double, TElement>()));
    }

    public static T GetElement(Lanes128x4<T> v, int index) => (index / Quarter) switch
    {
        0 => v.V0.GetElement(index),
        1 => v.V1.GetElement(index - Quarter),
        2 => v.V2.GetElement(index - 2 * Quarter),
        _ => v.V3.GetElement(index - 3 * Quarter),
    };

    // Halving: lanes i and i + Count/2 sit in V0/V2 and V1/V3, then lanes i and i + Count/4 in the two sums.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Lanes128x4<T> v) => LaneSum.Of((v.V0 + v.V2) + (v.V1 + v.V3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxElement(Lanes128x4<T> v) => LaneSum.Max(Vector128.Max(Vector128.Max(v.V0, v.V2), Vector128.Max(v.V1, v.V3)));
}
