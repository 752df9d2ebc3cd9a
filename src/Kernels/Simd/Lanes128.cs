using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Simd;

/// <summary>
/// One <c>Vector128</c>: the lanes of a single 128-bit register, for lane-wise computations (<see cref="ILaneWise{TSelf, T}"/>)
/// at the 128-bit width. Each operation is the same IEEE operation per lane as in the 64-byte layouts.
/// </summary>
internal readonly struct Lanes128<T>(Vector128<T> value) : ILaneWise<Lanes128<T>, T> where T : unmanaged, INumber<T>
{
    public readonly Vector128<T> Value = value;

    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    public static int Count => Vector128<T>.Count;

    public static Lanes128<T> Zero => new(Vector128<T>.Zero);

    public static Lanes128<T> Indices => new(Vector128<T>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Create(T value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Load(ref T source, nuint elementOffset) => new(Vector128.LoadUnsafe(ref source, elementOffset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes128<T> value, ref T destination, nuint elementOffset) => value.Value.StoreUnsafe(ref destination, elementOffset);

    public static Lanes128<T> operator +(Lanes128<T> left, Lanes128<T> right) => new(left.Value + right.Value);

    public static Lanes128<T> operator -(Lanes128<T> left, Lanes128<T> right) => new(left.Value - right.Value);

    public static Lanes128<T> operator -(Lanes128<T> value) => new(-value.Value);

    public static Lanes128<T> operator *(Lanes128<T> left, Lanes128<T> right) => new(left.Value * right.Value);

    public static Lanes128<T> operator /(Lanes128<T> left, Lanes128<T> right) => new(left.Value / right.Value);

    public static Lanes128<T> operator &(Lanes128<T> left, Lanes128<T> right) => new(left.Value & right.Value);

    public static Lanes128<T> operator |(Lanes128<T> left, Lanes128<T> right) => new(left.Value | right.Value);

    public static Lanes128<T> operator ^(Lanes128<T> left, Lanes128<T> right) => new(left.Value ^ right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> FusedMultiplyAdd(Lanes128<T> a, Lanes128<T> b, Lanes128<T> c)
    {
        if (typeof(T) == typeof(float)) return new(Vector128.FusedMultiplyAdd(a.Value.AsSingle(), b.Value.AsSingle(), c.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector128.FusedMultiplyAdd(a.Value.AsDouble(), b.Value.AsDouble(), c.Value.AsDouble()).As<double, T>());
        return new(a.Value * b.Value + c.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Sqrt(Lanes128<T> value) => new(Vector128.Sqrt(value.Value));

    public static Lanes128<T> Max(Lanes128<T> left, Lanes128<T> right) => new(Vector128.Max(left.Value, right.Value));

    public static Lanes128<T> GreaterThan(Lanes128<T> left, Lanes128<T> right) => new(Vector128.GreaterThan(left.Value, right.Value));

    public static Lanes128<T> GreaterThanOrEqual(Lanes128<T> left, Lanes128<T> right) => new(Vector128.GreaterThanOrEqual(left.Value, right.Value));

    public static Lanes128<T> LessThan(Lanes128<T> left, Lanes128<T> right) => new(Vector128.LessThan(left.Value, right.Value));

    public static Lanes128<T> SelectWhereGreater(Lanes128<T> left, Lanes128<T> right, Lanes128<T> ifGreater, Lanes128<T> otherwise) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(left.Value, right.Value), ifGreater.Value, otherwise.Value));

    public static Lanes128<T> ConditionalSelect(Lanes128<T> mask, Lanes128<T> left, Lanes128<T> right) =>
        new(Vector128.ConditionalSelect(mask.Value, left.Value, right.Value));

    public static Lanes128<T> ShiftRightLogical(Lanes128<T> value, int count) => new(value.Value >>> count);

    public static Lanes128<T> ShiftLeft(Lanes128<T> value, int count) => new(value.Value << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo BitCast<TTo, TElement>(Lanes128<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement> =>
        Unsafe.BitCast<Lanes128<TElement>, TTo>(new Lanes128<TElement>(value.Value.As<T, TElement>()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo ConvertToFloating<TTo, TElement>(Lanes128<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>
    {
        if (typeof(T) == typeof(int))
            return Unsafe.BitCast<Lanes128<TElement>, TTo>(new(Vector128.ConvertToSingle(value.Value.AsInt32()).As<float, TElement>()));
        return Unsafe.BitCast<Lanes128<TElement>, TTo>(new(Vector128.ConvertToDouble(value.Value.AsInt64()).As<double, TElement>()));
    }
}
