using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Gemm;

/// <summary>
/// The few vector operations the GEMM kernels need, generic over float and double. The type tests are
/// constants for the JIT, so each instantiation compiles to the single instruction of its element type.
/// </summary>
internal static unsafe class GemmSimd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    /// <summary>Scalar fused multiply-add, the same rounding as one lane of the vector form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Fma<T>(T x, T y, T addend)
    {
        if (typeof(T) == typeof(float))
        {
            float r = MathF.FusedMultiplyAdd(Unsafe.As<T, float>(ref x), Unsafe.As<T, float>(ref y), Unsafe.As<T, float>(ref addend));
            return Unsafe.As<float, T>(ref r);
        }
        double d = Math.FusedMultiplyAdd(Unsafe.As<T, double>(ref x), Unsafe.As<T, double>(ref y), Unsafe.As<T, double>(ref addend));
        return Unsafe.As<double, T>(ref d);
    }

    /// <summary>
    /// Sum of the lanes by halving (512 to 256 to 128 bits, then within 128): a fixed order, and about half the
    /// instructions of <see cref="Vector512.Sum{T}(Vector512{T})"/>, which reduces each 128-bit quarter on its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum<T>(Vector512<T> x)
    {
        Vector256<T> half = x.GetLower() + x.GetUpper();
        return Vector128.Sum(half.GetLower() + half.GetUpper());
    }

    /// <summary>Lanes below <paramref name="count"/> set, for loads and stores of a partial last vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FirstLanes<T>(int count)
    {
        if (typeof(T) == typeof(float))
            return Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).As<int, T>();
        return Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).As<long, T>();
    }

    /// <summary>Loads the lanes selected by <paramref name="mask"/>, zero elsewhere; unselected lanes are never touched in memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MaskLoad<T>(T* source, Vector512<T> mask) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Avx512F.MaskLoad((float*)source, mask.AsSingle(), Vector512<float>.Zero).As<float, T>();
        return Avx512F.MaskLoad((double*)source, mask.AsDouble(), Vector512<double>.Zero).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskStore<T>(T* destination, Vector512<T> mask, Vector512<T> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Avx512F.MaskStore((float*)destination, mask.AsSingle(), value.AsSingle());
        else
            Avx512F.MaskStore((double*)destination, mask.AsDouble(), value.AsDouble());
    }

    /// <summary>The 256-bit form of <see cref="MaskLoad{T}(T*, Vector512{T})"/>, in its AVX-512 encoding (a mask register).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaskLoad<T>(T* source, Vector256<T> mask) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Avx512F.VL.MaskLoad((float*)source, mask.AsSingle(), Vector256<float>.Zero).As<float, T>();
        return Avx512F.VL.MaskLoad((double*)source, mask.AsDouble(), Vector256<double>.Zero).As<double, T>();
    }

    /// <summary>The 256-bit masked store in its AVX-512 encoding (the AVX form is slow on AMD cores).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskStore<T>(T* destination, Vector256<T> mask, Vector256<T> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Avx512F.VL.MaskStore((float*)destination, mask.AsSingle(), value.AsSingle());
        else
            Avx512F.VL.MaskStore((double*)destination, mask.AsDouble(), value.AsDouble());
    }
}
