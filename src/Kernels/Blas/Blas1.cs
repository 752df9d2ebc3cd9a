using System.Numerics;
using System.Runtime.InteropServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Blas;

/// <summary>
/// The level-1 BLAS operations the solvers need, in double and single precision:
/// dot, axpy, scal, nrm2, sum of squares and max-abs. Every multiply-add is fused (rounded once), and reductions
/// accumulate in a fixed order defined on 64-byte lanes (<see cref="ReductionLoop"/>), so a result is the same bits
/// at every vector width, on every CPU and at every alignment.
/// </summary>
public static class Blas1
{
    /// <summary>Effectively computes <c>sum_i x[i] * y[i]</c> (0 for empty spans).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => ReductionLoop.Run<double, DotOperator<double>>(x, y, 0d, "Dot");

    /// <summary>
    /// Effectively computes <c>y[i] += alpha * x[i]</c> with a fused multiply-add (the same at every width). <paramref name="x"/> and <paramref name="y"/> may be the same span, but must not overlap otherwise.
    /// </summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y) => BinaryLoop.Run<double, AxpyOperator<double>>(x, y, alpha, y, "Axpy");

    /// <summary>Effectively computes <c>x[i] *= alpha</c>.</summary>
    public static void Scal(double alpha, Span<double> x) => UnaryLoop.Run<double, ScalOperator<double>>(x, alpha, x, "Scal");

    /// <summary>Effectively computes <c>sum_i x[i]^2</c> (it overflows to infinity like the plain sum; see <see cref="Nrm2(ReadOnlySpan{double})"/>).</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x) => ReductionLoop.Run<double, SquareOperator<double>>(x, x, 1d, "SumOfSquares");

    /// <summary>
    /// The Euclidean norm <c>sqrt(sum_i x[i]^2)</c>, scaled so that it neither overflows nor underflows: it is finite
    /// whenever the true norm is (elements near 1e300 are fine), nonzero whenever an element is (1e-300, or the
    /// smallest subnormal, give their own magnitude), infinite if an element is, and NaN if an element is NaN.
    /// </summary>
    public static double Nrm2(ReadOnlySpan<double> x) => Nrm2<double>(x);

    /// <summary>
    /// Effectively computes <c>max_i |x[i]|</c>: 0 for an empty span, and NaN if any element is NaN (whichever
    /// NaN has the largest payload).
    /// </summary>
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        // For IEEE numbers with the sign cleared, integer order is magnitude order, and every NaN sorts above
        // infinity: an integer max of the magnitude bits is max-abs with NaN propagation built in.
        ReadOnlySpan<long> bits = MemoryMarshal.Cast<double, long>(x);
        return BitConverter.Int64BitsToDouble(ReductionLoop.Run<long, MaxBitsOperator<long>>(bits, bits, long.MaxValue, "MaxAbs"));
    }

    /// <inheritdoc cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => ReductionLoop.Run<float, DotOperator<float>>(x, y, 0f, "Dot");

    /// <inheritdoc cref="Axpy(double, ReadOnlySpan{double}, Span{double})"/>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => BinaryLoop.Run<float, AxpyOperator<float>>(x, y, alpha, y, "Axpy");

    /// <inheritdoc cref="Scal(double, Span{double})"/>
    public static void Scal(float alpha, Span<float> x) => UnaryLoop.Run<float, ScalOperator<float>>(x, alpha, x, "Scal");

    /// <inheritdoc cref="SumOfSquares(ReadOnlySpan{double})"/>
    public static float SumOfSquares(ReadOnlySpan<float> x) => ReductionLoop.Run<float, SquareOperator<float>>(x, x, 1f, "SumOfSquares");

    /// <inheritdoc cref="Nrm2(ReadOnlySpan{double})"/>
    public static float Nrm2(ReadOnlySpan<float> x) => Nrm2<float>(x);

    /// <inheritdoc cref="MaxAbs(ReadOnlySpan{double})"/>
    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(x);
        return BitConverter.Int32BitsToSingle(ReductionLoop.Run<int, MaxBitsOperator<int>>(bits, bits, int.MaxValue, "MaxAbs"));
    }

    /// <summary>
    /// One fast pass for the usual case, then, only if the plain sum of squares overflowed or is so small that squares
    /// may have underflowed, a second pass over the elements scaled by a power of two (exact), chosen so that the largest
    /// scaled square is a normal number and the scaled sum cannot overflow for any span length up to 2^31.
    /// </summary>
    private static T Nrm2<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Below this sum, the absolute error of underflowed squares (at most n times half the smallest subnormal)
        // could be visible; above it, it is below 2^-50 relative for any n < 2^31.
        T smallSum, scaleUp, scaleDown;
        if (typeof(T) == typeof(double))
        {
            smallSum = T.CreateTruncating(Math.ScaleB(1.0, -900));
            scaleUp = T.CreateTruncating(Math.ScaleB(1.0, 600));
            scaleDown = T.CreateTruncating(Math.ScaleB(1.0, -600));
        }
        else
        {
            smallSum = T.CreateTruncating(MathF.ScaleB(1f, -100));
            scaleUp = T.CreateTruncating(MathF.ScaleB(1f, 86));
            scaleDown = T.CreateTruncating(MathF.ScaleB(1f, -80));
        }

        T sum = ReductionLoop.Run<T, SquareOperator<T>>(x, x, T.One, "Nrm2");
        if (T.IsFinite(sum) && sum >= smallSum) return T.Sqrt(sum);
        if (T.IsNaN(sum)) return sum;
        T scale = T.IsInfinity(sum) ? scaleDown : scaleUp;
        T scaled = ReductionLoop.Run<T, SquareOperator<T>>(x, x, scale, "Nrm2");
        return T.Sqrt(scaled) / scale;
    }

    /// <summary><c>acc + x * y</c>, rounded once (a fused multiply-add at every width, scalar included).</summary>
    private readonly struct DotOperator<T> : IReductionOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Identity => T.Zero;

        public static T Accumulate(T acc, T x, T y, T unused) => LanesScalar<T>.Fma(x, y, acc);

        public static TLanes Accumulate<TLanes>(TLanes acc, TLanes x, TLanes y, TLanes unused) where TLanes : struct, ILanes<TLanes, T> =>
            TLanes.FusedMultiplyAdd(x, y, acc);

        public static T Combine(T a, T b) => a + b;

        public static TLanes Combine<TLanes>(TLanes a, TLanes b) where TLanes : struct, ILanes<TLanes, T> => a + b;

        public static T Fold<TLanes>(TLanes value) where TLanes : struct, ILanes<TLanes, T> => TLanes.Sum(value);
    }

    /// <summary><c>acc + (s x)^2</c> for a scale s (1, or a power of two in <see cref="Nrm2{T}"/>); the second span is ignored.</summary>
    private readonly struct SquareOperator<T> : IReductionOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Identity => T.Zero;

        public static T Accumulate(T acc, T x, T unused, T s) { T v = x * s; return LanesScalar<T>.Fma(v, v, acc); }

        public static TLanes Accumulate<TLanes>(TLanes acc, TLanes x, TLanes unused, TLanes s) where TLanes : struct, ILanes<TLanes, T>
        {
            TLanes v = x * s;
            return TLanes.FusedMultiplyAdd(v, v, acc);
        }

        public static T Combine(T a, T b) => a + b;

        public static TLanes Combine<TLanes>(TLanes a, TLanes b) where TLanes : struct, ILanes<TLanes, T> => a + b;

        public static T Fold<TLanes>(TLanes value) where TLanes : struct, ILanes<TLanes, T> => TLanes.Sum(value);
    }

    /// <summary><c>max(acc, x &amp; magnitudeMask)</c> on the integer bits of IEEE numbers; the second span is ignored.</summary>
    private readonly struct MaxBitsOperator<T> : IReductionOperator<T> where T : unmanaged, IBinaryInteger<T>
    {
        public static T Identity => T.Zero;

        public static T Accumulate(T acc, T x, T unused, T magnitudeMask) => T.Max(acc, x & magnitudeMask);

        public static TLanes Accumulate<TLanes>(TLanes acc, TLanes x, TLanes unused, TLanes magnitudeMask) where TLanes : struct, ILanes<TLanes, T> =>
            TLanes.Max(acc, x & magnitudeMask);

        public static T Combine(T a, T b) => T.Max(a, b);

        public static TLanes Combine<TLanes>(TLanes a, TLanes b) where TLanes : struct, ILanes<TLanes, T> => TLanes.Max(a, b);

        // The maximum of integers is exact and commutative: any order of the lanes gives the same result.
        public static T Fold<TLanes>(TLanes value) where TLanes : struct, ILanes<TLanes, T> => TLanes.MaxElement(value);
    }

    /// <summary><c>y + alpha * x</c>, rounded once at every width.</summary>
    private readonly struct AxpyOperator<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Invoke(T x, T y, T alpha) => LanesScalar<T>.Fma(alpha, x, y);

        public static TLanes Invoke<TLanes>(TLanes x, TLanes y, TLanes alpha) where TLanes : struct, ILanes<TLanes, T> =>
            TLanes.FusedMultiplyAdd(alpha, x, y);
    }

    /// <summary><c>alpha * x</c>.</summary>
    private readonly struct ScalOperator<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Invoke(T x, T alpha) => x * alpha;

        public static TLanes Invoke<TLanes>(TLanes x, TLanes alpha) where TLanes : struct, ILanes<TLanes, T> => x * alpha;
    }
}
