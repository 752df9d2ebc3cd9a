using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Simd;

/// <summary>
/// One <c>Vector256</c>: the lanes of a single 256-bit register, for lane-wise computations (<see cref="ILaneWise{TSelf, T}"/>)
/// at the 256-bit width. Each operation is the same IEEE operation per lane as in the 64-byte layouts.
/// </summary>
internal readonly struct Lanes256<T>(Vector256<T> value) : ILaneWise<Lanes256<T>, T> where T : unmanaged, INumber<T>
{
    public readonly Vector256<T> Value = value;

    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    public static int Count => Vector256<T>.Count;

    public static Lanes256<T> Zero => new(Vector256<T>.Zero);

    public static Lanes256<T> Indices => new(Vector256<T>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Create(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Load(ref T source, nuint elementOffset) => new(Vector256.LoadUnsafe(ref source, elementOffset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256<T> value, ref T destination, nuint elementOffset) => value.Value.StoreUnsafe(ref destination, elementOffset);

    public static Lanes256<T> operator +(Lanes256<T> left, Lanes256<T> right) => new(left.Value + right.Value);

    public static Lanes256<T> operator -(Lanes256<T> left, Lanes256<T> right) => new(left.Value - right.Value);

    public static Lanes256<T> operator -(Lanes256<T> value) => new(-value.Value);

    public static Lanes256<T> operator *(Lanes256<T> left, Lanes256<T> right) => new(left.Value * right.Value);

    public static Lanes256<T> operator /(Lanes256<T> left, Lanes256<T> right) => new(left.Value / right.Value);

    public static Lanes256<T> operator &(Lanes256<T> left, Lanes256<T> right) => new(left.Value & right.Value);

    public static Lanes256<T> operator |(Lanes256<T> left, Lanes256<T> right) => new(left.Value | right.Value);

    public static Lanes256<T> operator ^(Lanes256<T> left, Lanes256<T> right) => new(left.Value ^ right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> FusedMultiplyAdd(Lanes256<T> a, Lanes256<T> b, Lanes256<T> c)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.FusedMultiplyAdd(a.Value.AsSingle(), b.Value.AsSingle(), c.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.FusedMultiplyAdd(a.Value.AsDouble(), b.Value.AsDouble(), c.Value.AsDouble()).As<double, T>());
        return new(a.Value * b.Value + c.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Sqrt(Lanes256<T> value) => new(Vector256.Sqrt(value.Value));

    public static Lanes256<T> Max(Lanes256<T> left, Lanes256<T> right) => new(Vector256.Max(left.Value, right.Value));

    public static Lanes256<T> GreaterThan(Lanes256<T> left, Lanes256<T> right) => new(Vector256.GreaterThan(left.Value, right.Value));

    public static Lanes256<T> GreaterThanOrEqual(Lanes256<T> left, Lanes256<T> right) => new(Vector256.GreaterThanOrEqual(left.Value, right.Value));

    public static Lanes256<T> LessThan(Lanes256<T> left, Lanes256<T> right) => new(Vector256.LessThan(left.Value, right.Value));

    public static Lanes256<T> SelectWhereGreater(Lanes256<T> left, Lanes256<T> right, Lanes256<T> ifGreater, Lanes256<T> otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(left.Value, right.Value), ifGreater.Value, otherwise.Value));

    public static Lanes256<T> ConditionalSelect(Lanes256<T> mask, Lanes256<T> left, Lanes256<T> right) =>
        new(Vector256.ConditionalSelect(mask.Value, left.Value, right.Value));

    public static Lanes256<T> ShiftRightLogical(Lanes256<T> value, int count) => new(value.Value >>> count);

    public static Lanes256<T> ShiftLeft(Lanes256<T> value, int count) => new(value.Value << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo BitCast<TTo, TElement>(Lanes256<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement> =>
        Unsafe.BitCast<Lanes256<TElement>, TTo>(new Lanes256<TElement>(value.Value.As<T, TElement>()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo ConvertToFloating<TTo, TElement>(Lanes256<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>
    {
        if (typeof(T) == typeof(int))
            return Unsafe.BitCast<Lanes256<TElement>, TTo>(new(Vector256.ConvertToSingle(value.Value.AsInt32()).As<float, TElement>()));
        return Unsafe.BitCast<Lanes256<TElement>, TTo>(new(Vector256.ConvertToDouble(value.Value.AsInt64()).As<double, TElement>()));
    }
}
