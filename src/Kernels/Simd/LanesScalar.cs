using System.Numerics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// The 64-byte lanes as plain scalars, one IEEE operation per lane (fused multiply-add through
/// <see cref="Math.FusedMultiplyAdd"/>): the reference the vector layouts reproduce, and the path of machines without SIMD.
/// </summary>
internal struct LanesScalar<T> : ILanes<LanesScalar<T>, T> where T : unmanaged, INumber<T>
{
    private Bytes64 _bytes;

    public static bool IsHardwareAccelerated => true;

    public static unsafe int Count => 64 / sizeof(T);

    public static LanesScalar<T> Zero => default;

    public static LanesScalar<T> Indices
    {
        get
        {
            LanesScalar<T> r = default;
            for (int i = 0; i < Count; i++) r.Lane(i) = T.CreateTruncating(i);
            return r;
        }
    }

    [UnscopedRef]
    private ref T Lane(int i) => ref Unsafe.Add(ref Unsafe.As<ulong, T>(ref _bytes[0]), i);

    [UnscopedRef]
    private ref ulong Word(int i) => ref _bytes[i];

    public static LanesScalar<T> Create(T value)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++) r.Lane(i) = value;
        return r;
    }

    public static LanesScalar<T> Load(ref T source, nuint elementOffset) => LoadFirst(ref Unsafe.Add(ref source, elementOffset), Count);

    public static void Store(LanesScalar<T> value, ref T destination, nuint elementOffset) =>
        StoreFirst(value, ref Unsafe.Add(ref destination, elementOffset), Count);

    public static LanesScalar<T> LoadFirst(ref T source, int count)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < count; i++) r.Lane(i) = Unsafe.Add(ref source, i);
        return r;
    }

    public static void StoreFirst(LanesScalar<T> value, ref T destination, int count)
    {
        for (int i = 0; i < count; i++) Unsafe.Add(ref destination, i) = value.Lane(i);
    }

    public static LanesScalar<T> FirstLanesMask(int count)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Math.Min(count, Count); i++) r.SetAllBits(i);
        return r;
    }

    public static unsafe LanesScalar<T> LoadMasked(T* source, LanesScalar<T> mask)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++)
            if (mask.Lane(i) != T.Zero) r.Lane(i) = source[i];
        return r;
    }

    private static LanesScalar<T> Map(LanesScalar<T> a, LanesScalar<T> b, Func<T, T, T> f)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++) r.Lane(i) = f(a.Lane(i), b.Lane(i));
        return r;
    }

    private static LanesScalar<T> Words(LanesScalar<T> a, LanesScalar<T> b, Func<ulong, ulong, ulong> f)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < 8; i++) r.Word(i) = f(a.Word(i), b.Word(i));
        return r;
    }

    private static LanesScalar<T> Compare(LanesScalar<T> a, LanesScalar<T> b, Func<T, T, bool> f)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++)
            if (f(a.Lane(i), b.Lane(i))) r.SetAllBits(i);
        return r;
    }

    private unsafe void SetAllBits(int i)
    {
        if (sizeof(T) == 4) Unsafe.As<T, uint>(ref Lane(i)) = uint.MaxValue;
        else Unsafe.As<T, ulong>(ref Lane(i)) = ulong.MaxValue;
    }

    public static LanesScalar<T> operator +(LanesScalar<T> left, LanesScalar<T> right) => Map(left, right, static (a, b) => a + b);

    public static LanesScalar<T> operator -(LanesScalar<T> left, LanesScalar<T> right) => Map(left, right, static (a, b) => a - b);

    public static LanesScalar<T> operator -(LanesScalar<T> value) => Map(value, value, static (a, _) => -a);

    public static LanesScalar<T> operator *(LanesScalar<T> left, LanesScalar<T> right) => Map(left, right, static (a, b) => a * b);

    public static LanesScalar<T> operator /(LanesScalar<T> left, LanesScalar<T> right) => Map(left, right, static (a, b) => a / b);

    public static LanesScalar<T> operator &(LanesScalar<T> left, LanesScalar<T> right) => Words(left, right, static (a, b) => a & b);

    public static LanesScalar<T> operator |(LanesScalar<T> left, LanesScalar<T> right) => Words(left, right, static (a, b) => a | b);

    public static LanesScalar<T> operator ^(LanesScalar<T> left, LanesScalar<T> right) => Words(left, right, static (a, b) => a ^ b);

    public static LanesScalar<T> FusedMultiplyAdd(LanesScalar<T> a, LanesScalar<T> b, LanesScalar<T> c)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++) r.Lane(i) = Fma(a.Lane(i), b.Lane(i), c.Lane(i));
        return r;
    }

    /// <summary>One lane of <see cref="FusedMultiplyAdd"/>: the scalar fused multiply-add every kernel's scalar path uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Fma(T a, T b, T c)
    {
        if (typeof(T) == typeof(float))
        {
            float r = MathF.FusedMultiplyAdd(Unsafe.As<T, float>(ref a), Unsafe.As<T, float>(ref b), Unsafe.As<T, float>(ref c));
            return Unsafe.As<float, T>(ref r);
        }
        if (typeof(T) == typeof(double))
        {
            double r = Math.FusedMultiplyAdd(Unsafe.As<T, double>(ref a), Unsafe.As<T, double>(ref b), Unsafe.As<T, double>(ref c));
            return Unsafe.As<double, T>(ref r);
        }
        return a * b + c;
    }

    public static LanesScalar<T> Sqrt(LanesScalar<T> value) => Map(value, value, static (a, _) =>
    {
        if (typeof(T) == typeof(float)) { float r = MathF.Sqrt(Unsafe.As<T, float>(ref a)); return Unsafe.As<float, T>(ref r); }
        double d = Math.Sqrt(double.CreateTruncating(a));
        return T.CreateTruncating(d);
    });

    public static LanesScalar<T> Max(LanesScalar<T> left, LanesScalar<T> right) => Map(left, right, static (a, b) => a > b ? a : b);

    public static LanesScalar<T> GreaterThan(LanesScalar<T> left, LanesScalar<T> right) => Compare(left, right, static (a, b) => a > b);

    public static LanesScalar<T> GreaterThanOrEqual(LanesScalar<T> left, LanesScalar<T> right) => Compare(left, right, static (a, b) => a >= b);

    public static LanesScalar<T> LessThan(LanesScalar<T> left, LanesScalar<T> right) => Compare(left, right, static (a, b) => a < b);

    public static LanesScalar<T> SelectWhereGreater(LanesScalar<T> left, LanesScalar<T> right, LanesScalar<T> ifGreater, LanesScalar<T> otherwise) =>
        ConditionalSelect(GreaterThan(left, right), ifGreater, otherwise);

    public static LanesScalar<T> ConditionalSelect(LanesScalar<T> mask, LanesScalar<T> left, LanesScalar<T> right)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < 8; i++) r.Word(i) = (mask.Word(i) & left.Word(i)) | (~mask.Word(i) & right.Word(i));
        return r;
    }

    public static bool EqualsAll(LanesScalar<T> left, LanesScalar<T> right)
    {
        for (int i = 0; i < Count; i++)
            if (left.Lane(i) != right.Lane(i)) return false;
        return true;
    }

    public static unsafe LanesScalar<T> ShiftRightLogical(LanesScalar<T> value, int count)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++)
        {
            if (sizeof(T) == 4) Unsafe.As<T, uint>(ref r.Lane(i)) = Unsafe.As<T, uint>(ref value.Lane(i)) >> count;
            else Unsafe.As<T, ulong>(ref r.Lane(i)) = Unsafe.As<T, ulong>(ref value.Lane(i)) >> count;
        }
        return r;
    }

    public static unsafe LanesScalar<T> ShiftLeft(LanesScalar<T> value, int count)
    {
        LanesScalar<T> r = default;
        for (int i = 0; i < Count; i++)
        {
            if (sizeof(T) == 4) Unsafe.As<T, uint>(ref r.Lane(i)) = Unsafe.As<T, uint>(ref value.Lane(i)) << count;
            else Unsafe.As<T, ulong>(ref r.Lane(i)) = Unsafe.As<T, ulong>(ref value.Lane(i)) << count;
        }
        return r;
    }

    public static TTo BitCast<TTo, TElement>(LanesScalar<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement> =>
        Unsafe.BitCast<LanesScalar<TElement>, TTo>(Unsafe.BitCast<LanesScalar<T>, LanesScalar<TElement>>(value));

    public static TTo ConvertToFloating<TTo, TElement>(LanesScalar<T> value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>
    {
        LanesScalar<TElement> r = default;
        for (int i = 0; i < Count; i++)
        {
            T lane = value.Lane(i);
            if (typeof(T) == typeof(int)) r.Lane(i) = TElement.CreateTruncating((float)Unsafe.As<T, int>(ref lane));
            else r.Lane(i) = TElement.CreateTruncating((double)Unsafe.As<T, long>(ref lane));
        }
        return Unsafe.BitCast<LanesScalar<TElement>, TTo>(r);
    }

    public static T GetElement(LanesScalar<T> value, int index) => value.Lane(index);

    public static T Sum(LanesScalar<T> value)
    {
        for (int half = Count / 2; half > 0; half /= 2)
            for (int i = 0; i < half; i++) value.Lane(i) = value.Lane(i) + value.Lane(i + half);
        return value.Lane(0);
    }

    public static T MaxElement(LanesScalar<T> value)
    {
        T r = value.Lane(0);
        for (int i = 1; i < Count; i++) r = T.Max(r, value.Lane(i));
        return r;
    }

    [InlineArray(8)]
    private struct Bytes64
    {
        private ulong _element;
    }
}
