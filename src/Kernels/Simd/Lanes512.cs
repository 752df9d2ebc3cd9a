using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Simd;

/// <summary>The 64-byte lanes in one <c>Vector512</c>: the widest layout, one instruction per operation.</summary>
internal readonly struct Lanes512<T>(Vector512<T> value) : ILanes<Lanes512<T>, T> where T : unmanaged, INumber<T>
{
    public readonly Vector512<T> Value = value;

    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    public static int Count => Vector512<T>.Count;

    public static Lanes512<T> Zero => new(Vector512<T>.Zero);

    public static Lanes512<T> Indices => new(Vector512<T>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Load(ref T source, nuint elementOffset) => new(Vector512.LoadUnsafe(ref source, elementOffset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes512<T> value, ref T destination, nuint elementOffset) => value.Value.StoreUnsafe(ref destination, elementOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes512<T> LoadFirst(ref T source, int count)
    {
        Vector512<T> mask = FirstLanes(count);
        fixed (T* p = &source)
        {
            if (sizeof(T) == 4) return new(Avx512F.MaskLoad((float*)p, mask.AsSingle(), Vector512<float>.Zero).As<float, T>());
            return new(Avx512F.MaskLoad((double*)p, mask.AsDouble(), Vector512<double>.Zero).As<double, T>());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreFirst(Lanes512<T> value, ref T destination, int count)
    {
        Vector512<T> mask = FirstLanes(count);
        fixed (T* p = &destination)
        {
            if (sizeof(T) == 4) Avx512F.MaskStore((float*)p, mask.AsSingle(), value.Value.AsSingle());
            else Avx512F.MaskStore((double*)p, mask.AsDouble(), value.Value.AsDouble());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> FirstLanesMask(int count) => new(FirstLanes(count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Lanes512<T> LoadMasked(T* source, Lanes512<T> mask) => sizeof(T) == 4
        ? new(Avx512F.MaskLoad((float*)source, mask.Value.AsSingle(), Vector512<float>.Zero).As<float, T>())
        : new(Avx512F.MaskLoad((double*)source, mask.Value.AsDouble(), Vector512<double>.Zero).As<double, T>());

    /// <summary>All bits set in the lanes below <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<T> FirstLanes(int count) => sizeof(T) == 4
        ? Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).As<int, T>()
        : Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).As<long, T>();

    public static Lanes512<T> operator +(Lanes512<T> left, Lanes512<T> right) => new(left.Value + right.Value);

    public static Lanes512<T> operator -(Lanes512<T> left, Lanes512<T> right) => new(left.Value - right.Value);

    public static Lanes512<T> operator -(Lanes512<T> value) => new(-value.Value);

    public static Lanes512<T> operator *(Lanes512<T> left, Lanes512<T> right) => new(left.Value * right.Value);

    public static Lanes512<T> operator /(Lanes512<T> left, Lanes512<T> right) => new(left.Value / right.Value);

    public static Lanes512<T> operator &(Lanes512<T> left, Lanes512<T> right) => new(left.Value & right.Value);

    public static Lanes512<T> operator |(Lanes512<T> left, Lanes512<T> right) => new(left.Value | right.Value);

    public static Lanes512<T> operator ^(Lanes512<T> left, Lanes512<T> right) => new(left.Value ^ right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> FusedMultiplyAdd(Lanes512<T> a, Lanes512<T> b, Lanes512<T> c)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.FusedMultiplyAdd(a.Value.AsSingle(), b.Value.AsSingle(), c.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.FusedMultiplyAdd(a.Value.AsDouble(), b.Value.AsDouble(), c.Value.AsDouble()).As<double, T>());
        return new(a.Value * b.Value + c.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Sqrt(Lanes512<T> value) => new(Vector512.Sqrt(value.Value));

    public static Lanes512<T> Max(Lanes512<T> left, Lanes512<T> right) => new(Vector512.Max(left.Value, right.Value));

    public static Lanes512<T> GreaterThan(Lanes512<T> left, Lanes512<T> right) => new(Vector512.GreaterThan(left.Value, right.Value));

    public static Lanes512<T> GreaterThanOrEqual(Lanes512<T> left, Lanes512<T> right) => new(Vector512.GreaterThanOrEqual(left.Value, right.Value));

    public static Lanes512<T> LessThan(Lanes512<T> left, Lanes512<T> right) => new(Vector512.LessThan(left.Value, right.Value));

    public static Lanes512<T> SelectWhereGreater(Lanes512<T> left, Lanes512<T> right, Lanes512<T> ifGreater, Lanes512<T> otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(left.Value, right.Value), ifGreater.Value, otherwise.Value));

    public static Lanes512<T> ConditionalSelect(Lanes512<T> mask, Lanes512<T> left, Lanes512<T> right) =>
        new(Vector512.ConditionalSelect(mask.Value, left.Value, right.Value));

    public static bool EqualsAll(Lanes512<T> left, Lanes512<T> right) => Vector512.EqualsAll(left.Value, right.Value);

    public static Lanes512<T> ShiftRightLogical(Lanes512<T> value, int count) => new(value.Value >>> count);

    public static Lanes512<T> ShiftLeft(Lanes512<T> value, int count) => new(value.Value << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo BitCast<TTo, TElement>(Lanes512<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement> =>
        Unsafe.BitCast<Lanes512<TElement>, TTo>(new Lanes512<TElement>(value.Value.As<T, TElement>()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TTo ConvertToFloating<TTo, TElement>(Lanes512<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>
    {
        if (typeof(T) == typeof(int))
            return Unsafe.BitCast<Lanes512<TElement>, TTo>(new(Vector512.ConvertToSingle(value.Value.AsInt32()).As<float, TElement>()));
        return Unsafe.BitCast<Lanes512<TElement>, TTo>(new(Vector512.ConvertToDouble(value.Value.AsInt64()).As<double, TElement>()));
    }

    public static T GetElement(Lanes512<T> value, int index) => value.Value.GetElement(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Lanes512<T> value)
    {
        Vector256<T> half = value.Value.GetLower() + value.Value.GetUpper();
        return LaneSum.Of(half.GetLower() + half.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxElement(Lanes512<T> value)
    {
        Vector256<T> half = Vector256.Max(value.Value.GetLower(), value.Value.GetUpper());
        return LaneSum.Max(Vector128.Max(half.GetLower(), half.GetUpper()));
    }
}

/// <summary>The last steps of <see cref="ILanes{TSelf, T}.Sum"/> and <see cref="ILanes{TSelf, T}.MaxElement"/>, shared by the vector layouts: halving a 128-bit vector.</summary>
internal static class LaneSum
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T Of<T>(Vector128<T> q) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            // (q0 + q2, q1 + q3) in lanes 0 and 1, then their sum in lane 0.
            Vector128<float> f = q.AsSingle();
            f += Vector128.Shuffle(f, Vector128.Create(2, 3, 0, 1));
            f += Vector128.Shuffle(f, Vector128.Create(1, 0, 3, 2));
            return Unsafe.BitCast<float, T>(f.ToScalar());
        }
        return sizeof(T) == 4
            ? (q.GetElement(0) + q.GetElement(2)) + (q.GetElement(1) + q.GetElement(3))
            : q.GetElement(0) + q.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T Max<T>(Vector128<T> q) where T : unmanaged, INumber<T>
    {
        T r = T.Max(q.GetElement(0), q.GetElement(1));
        return sizeof(T) == 4 ? T.Max(r, T.Max(q.GetElement(2), q.GetElement(3))) : r;
    }
}
