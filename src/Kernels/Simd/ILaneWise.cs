using System.Numerics;

namespace Engine.Kernels.Simd;

/// <summary>
/// Operations that act on every lane alone: the part of <see cref="ILanes{TSelf, T}"/> a computation needs when no lane
/// ever reads another, as the normal sampler's. Such a computation gives each lane the same bits however the lanes are
/// grouped into registers, so besides the 64-byte layouts it may also run on one register of the width at a time
/// (<see cref="Lanes256{T}"/>, <see cref="Lanes128{T}"/>), whose loop bodies are a quarter or half the size and stay
/// within the JIT's inlining budget where four-register bodies do not.
/// </summary>
internal interface ILaneWise<TSelf, T>
    where TSelf : struct, ILaneWise<TSelf, T>
    where T : unmanaged, INumber<T>
{
    /// <summary>Whether this width runs on vector hardware here (the scalar layout always can).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>The number of lanes.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    /// <summary>Lane i holds i.</summary>
    static abstract TSelf Indices { get; }

    static abstract TSelf Create(T value);

    static abstract TSelf Load(ref T source, nuint elementOffset);

    static abstract void Store(TSelf value, ref T destination, nuint elementOffset);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf value);

    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>The correctly rounded quotient of every (floating-point) lane.</summary>
    static abstract TSelf operator /(TSelf left, TSelf right);

    static abstract TSelf operator &(TSelf left, TSelf right);

    static abstract TSelf operator |(TSelf left, TSelf right);

    static abstract TSelf operator ^(TSelf left, TSelf right);

    /// <summary><c>a * b + c</c> rounded once, in every lane (floating-point lanes; integer lanes multiply and add).</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>The correctly rounded square root of every lane.</summary>
    static abstract TSelf Sqrt(TSelf value);

    static abstract TSelf Max(TSelf left, TSelf right);

    /// <summary>All bits set in lanes where <c>left &gt; right</c>, zero elsewhere (false for NaN).</summary>
    static abstract TSelf GreaterThan(TSelf left, TSelf right);

    static abstract TSelf GreaterThanOrEqual(TSelf left, TSelf right);

    static abstract TSelf LessThan(TSelf left, TSelf right);

    /// <summary>
    /// <paramref name="ifGreater"/> in lanes where <c>left &gt; right</c>, <paramref name="otherwise"/> elsewhere (NaN
    /// compares false). One operation, so that AVX-512 keeps the comparison in a mask register.
    /// </summary>
    static abstract TSelf SelectWhereGreater(TSelf left, TSelf right, TSelf ifGreater, TSelf otherwise);

    /// <summary>Bits of <paramref name="left"/> where <paramref name="mask"/> is set, of <paramref name="right"/> elsewhere.</summary>
    static abstract TSelf ConditionalSelect(TSelf mask, TSelf left, TSelf right);

    /// <summary>Shifts every (integer) lane right, filling with zeros.</summary>
    static abstract TSelf ShiftRightLogical(TSelf value, int count);

    /// <summary>Shifts every (integer) lane left.</summary>
    static abstract TSelf ShiftLeft(TSelf value, int count);

    /// <summary>The same 64 bytes as lanes of <typeparamref name="TElement"/> (<typeparamref name="TTo"/> must be the same layout, of <typeparamref name="TElement"/>).</summary>
    static abstract TTo BitCast<TTo, TElement>(TSelf value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>;

    /// <summary>
    /// Converts integer lanes to floating point of the same size: int to float, long to double. Exact for the
    /// magnitudes the kernels convert (below 2^24 and 2^53), so every width and instruction gives the same value.
    /// </summary>
    static abstract TTo ConvertToFloating<TTo, TElement>(TSelf value)
        where TTo : struct, ILaneWise<TTo, TElement>
        where TElement : unmanaged, INumber<TElement>;
}
