using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Simd;

/// <summary>The 64-byte lanes in two <c>Vector256</c>: lanes 0 to Count/2 - 1 in <see cref="Lower"/>, the rest in <see cref="Upper"/>.</summary>
internal readonly struct Lanes256x2<T>(Vector256<T> lower, Vector256<T> upper) : ILanes<Lanes256x2<T>, T> where T : unmanaged, INumber<T>
{
    public readonly Vector256<T> Lower = lower, Upper = upper;

    private static int Half => Vector256<T>.Count;

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    public static int Count => 2 * Vector256<T>.Count;

    public static Lanes256x2<T> Zero => default;

    public static Lanes256x2<T> Indices => new(Vector256<T>.Indices, Vector256<T>.Indices + Vector256.Create(T.CreateTruncating(Half)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2<T> Create(T value) { Vector256<T> v = Vector256.Create(value); return new(v, v); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2<T> Load(ref T source, nuint elementOffset) =>
        new(Vector256.LoadUnsafe(ref source, elementOffset), Vector256.LoadUnsafe(ref source, elementOffset + (nuint)Half));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256x2<T> value, ref T destination, nuint elementOffset)
    {
        value.Lower.StoreUnsafe(ref destination, elementOffset);
        value.Upper.StoreUnsafe(ref destination, elementOffset + (nuint)Half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2<T> LoadFirst(ref T source, int count) =>
        new(LoadPart(ref source, count), LoadPart(ref Unsafe.Add(ref source, Half), count - Half));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(Lanes256x2<T> value, ref T destination, int count)
    {
        StorePart(value.Lower, ref destination, count);
        StorePart(value.Upper, ref Unsafe.Add(ref destination, Half), count - Half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2<T> FirstLanesMask(int count) => new(Mask(Math.Clamp(count, 0, Half)), Mask(Math.Clamp(count - Half, 0, Half)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes256x2<T> LoadMasked(T* source, Lanes256x2<T> mask) =>
        new(LoadMaskedPart(source, mask.Lower), LoadMaskedPart(source + Half, mask.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<T> LoadMaskedPart(T* source, Vector256<T> mask)
    {
        if (!Avx.IsSupported)
        {
            Vector256<T> v = Vector256<T>.Zero;
            for (int i = 0; i < Half; i++)
                if (mask.GetElement(i) != T.Zero) v = v.WithElement(i, source[i]);
            return v;
        }
        return sizeof(T) == 4
            ? Avx.MaskLoad((float*)source, mask.AsSingle()).As<float, T>()
            : Avx.MaskLoad((double*)source, mask.AsDouble()).As<double, T>();
    }

    // One register's share of a partial load or store: count may be below 0 (nothing) or above the register (all).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<T> LoadPart(ref T source, int count)
    {
        if (count >= Half) return Vector256.LoadUnsafe(ref source);
        if (count <= 0) return Vector256<T>.Zero;
        if (!Avx.IsSupported)
        {
            Vector256<T> v = Vector256<T>.Zero;
            for (int i = 0; i < count; i++) v = v.WithElement(i, Unsafe.Add(ref source, i));
            return v;
        }
        Vector256<T> mask = Mask(count);
        fixed (T* p = &source)
            return sizeof(T) == 4
                ? Avx.MaskLoad((float*)p, mask.AsSingle()).As<float, T>()
                : Avx.MaskLoad((double*)p, mask.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StorePart(Vector256<T> value, ref T destination, int count)
    {
        if (count >= Half) { value.StoreUnsafe(ref destination); return; }
        if (count <= 0) return;
        if (!Avx.IsSupported)
        {
            for (int i = 0; i < count; i++) Unsafe.Add(ref destination, i) = value.GetElement(i);
            return;
        }
        Vector256<T> mask = Mask(count);
        fixed (T* p = &destination)
        {
            if (sizeof(T) == 4) Avx.MaskStore((float*)p, mask.AsSingle(), value.AsSingle());
            else Avx.MaskStore((double*)p, mask.AsDouble(), value.AsDouble());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<T> Mask(int count) => sizeof(T) == 4
        ? Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).As<int, T>()
        : Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).As<long, T>();

    public static Lanes256x2<T> operator +(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower + right.Lower, left.Upper + right.Upper);

    public static Lanes256x2<T> operator -(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower - right.Lower, left.Upper - right.Upper);

    public static Lanes256x2<T> operator -(Lanes256x2<T> value) => new(-value.Lower, -value.Upper);

    public static Lanes256x2<T> operator *(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower * right.Lower, left.Upper * right.Upper);

    public static Lanes256x2<T> operator /(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower / right.Lower, left.Upper / right.Upper);

    public static Lanes256x2<T> operator &(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower & right.Lower, left.Upper & right.Upper);

    public static Lanes256x2<T> operator |(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower | right.Lower, left.Upper | right.Upper);

    public static Lanes256x2<T> operator ^(Lanes256x2<T> left, Lanes256x2<T> right) => new(left.Lower ^ right.Lower, left.Upper ^ right.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2<T> FusedMultiplyAdd(Lanes256x2<T> a, Lanes256x2<T> b, Lanes256x2<T> c) =>
        new(Fma(a.Lower, b.Lower, c.Lower), Fma(a.Upper, b.Upper, c.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2<T> Sqrt(Lanes256x2<T> value) => new(Vector256.Sqrt(value.Lower), Vector256.Sqrt(value.Upper));

    public static Lanes256x2<T> Max(Lanes256x2<T> left, Lanes256x2<T> right) => new(Vector256.Max(left.Lower, right.Lower), Vector256.Max(left.Upper, right.Upper));

    public static Lanes256x2<T> GreaterThan(Lanes256x2<T> left, Lanes256x2<T> right) =>
        new(Vector256.GreaterThan(left.Lower, right.Lower), Vector256.GreaterThan(left.Upper, right.Upper));

    public static Lanes256x2<T> GreaterThanOrEqual(Lanes256x2<T> left, Lanes256x2<T> right) =>
        new(Vector256.GreaterThanOrEqual(left.Lower, right.Lower), Vector256.GreaterThanOrEqual(left.Upper, right.Upper));

    public static Lanes256x2<T> LessThan(Lanes256x2<T> left, Lanes256x2<T> right) =>
        new(Vector256.LessThan(left.Lower, right.Lower), Vector256.LessThan(left.Upper, right.Upper));

    public static Lanes256x2<T> SelectWhereGreater(Lanes256x2<T> left, Lanes256x2<T> right, Lanes256x2<T> ifGreater, Lanes256x2<T> otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(left.Lower, right.Lower), ifGreater.Lower, otherwise.Lower),
            Vector256.ConditionalSelect(Vector256.GreaterThan(left.Upper, right.Upper), ifGreater.Upper, otherwise.Upper));

    public static Lanes256x2<T> ConditionalSelect(Lanes256x2<T> mask, Lanes256x2<T> left, Lanes256x2<T> right) =>
        new(Vector256.ConditionalSelect(mask.Lower, left.Lower, right.Lower), Vector256.ConditionalSelect(mask.Upper, left.Upper, right.Upper));

    public static bool EqualsAll(Lanes256x2<T> left, Lanes256x2<T> right) =>
        Vector256.EqualsAll(left.Lower, right.Lower) && Vector256.EqualsAll(left.Upper, right.Upper);

    public static Lanes256x2<T> ShiftRightLogical(Lanes256x2<T> value, int count) => new(value.Lower >>> count, value.Upper >>> count);

    public static Lanes256x2<T> ShiftLeft(Lanes256x2<T> value, int count) => new(value.Lower << count, value.Upper << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo BitCast<TTo, TElement>(Lanes256x2<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement> =>
        Unsafe.BitCast<Lanes256x2<TElement>, TTo>(new(value.Lower.As<T, TElement>(), value.Upper.As<T, TElement>()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo ConvertToFloating<TTo, TElement>(Lanes256x2<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>
    {
        if (typeof(T) == typeof(int))
            return Unsafe.BitCast<Lanes256x2<TElement>, TTo>(new(Vector256.ConvertToSingle(value.Lower.AsInt32()).As<float, TElement>(),
                Vector256.ConvertToSingle(value.Upper.AsInt32()).As<float, TElement>()));
        return Unsafe.BitCast<Lanes256x2<TElement>, TTo>(new(Vector256.ConvertToDouble(value.Lower.AsInt64()).As<double, TElement>(),
            Vector256.ConvertToDouble(value.Upper.AsInt64()).As<double, TElement>()));
    }

    public static T GetElement(Lanes256x2<T> value, int index) => index < Half ? value.Lower.GetElement(index) : value.Upper.GetElement(index - Half);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Lanes256x2<T> value)
    {
        Vector256<T> half = value.Lower + value.Upper;
        return LaneSum.Of(half.GetLower() + half.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxElement(Lanes256x2<T> value)
    {
        Vector256<T> half = Vector256.Max(value.Lower, value.Upper);
        return LaneSum.Max(Vector128.Max(half.GetLower(), half.GetUpper()));
    }
}
