using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Blas;

/// <summary>
/// The level-1 BLAS operations the solvers need, in double and single precision:
/// dot, axpy, scal, nrm2, sum of squares and max-abs. Reductions use a fixed number of accumulators
/// and a fixed combine order, so a result does not depend on alignment (it may differ in the last bits
/// between vector widths, which sum in different orders).
/// </summary>
public static class Blas1
{
    /// <summary>Effectively computes <c>sum_i x[i] * y[i]</c> (0 for empty spans).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => ReductionLoop.Run<double, DotOperator<double>>(x, y, 0d, "Dot");

    /// <summary>
    /// Effectively computes <c>y[i] += alpha * x[i]</c>, with a fused multiply-add where the hardware has one (the
    /// same at every width). <paramref name="x"/> and <paramref name="y"/> may be the same span, but must not overlap otherwise.
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
    private static T Nrm2<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
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

    /// <summary><c>acc + x * y</c>, fused where the hardware has FMA.</summary>
    private readonly struct DotOperator<T> : IReductionOperator<T> where T : INumberBase<T>
    {
        public static T Identity => T.Zero;

        public static T Accumulate(T acc, T x, T y, T unused) => T.MultiplyAddEstimate(x, y, acc);

        public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x, Vector128<T> y, Vector128<T> unused) => MultiplyAdd.Estimate(x, y, acc);

        public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x, Vector256<T> y, Vector256<T> unused) => MultiplyAdd.Estimate(x, y, acc);

        public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x, Vector512<T> y, Vector512<T> unused) => MultiplyAdd.Estimate(x, y, acc);

        public static T Combine(T a, T b) => a + b;

        public static Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;

        public static Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;

        public static Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
    }

    /// <summary><c>acc + (s x)^2</c> for a scale s (1, or a power of two in <see cref="Nrm2{T}"/>); the second span is ignored.</summary>
    private readonly struct SquareOperator<T> : IReductionOperator<T> where T : INumberBase<T>
    {
        public static T Identity => T.Zero;

        public static T Accumulate(T acc, T x, T unused, T s) { T v = x * s; return T.MultiplyAddEstimate(v, v, acc); }

        public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x, Vector128<T> unused, Vector128<T> s) { Vector128<T> v = x * s; return MultiplyAdd.Estimate(v, v, acc); }

        public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x, Vector256<T> unused, Vector256<T> s) { Vector256<T> v = x * s; return MultiplyAdd.Estimate(v, v, acc); }

        public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x, Vector512<T> unused, Vector512<T> s) { Vector512<T> v = x * s; return MultiplyAdd.Estimate(v, v, acc); }

        public static T Combine(T a, T b) => a + b;

        public static Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;

        public static Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;

        public static Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
    }

    /// <summary><c>max(acc, x &amp; magnitudeMask)</c> on the integer bits of IEEE numbers; the second span is ignored.</summary>
    private readonly struct MaxBitsOperator<T> : IReductionOperator<T> where T : IBinaryInteger<T>
    {
        public static T Identity => T.Zero;

        public static T Accumulate(T acc, T x, T unused, T magnitudeMask) => T.Max(acc, x & magnitudeMask);

        public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x, Vector128<T> unused, Vector128<T> magnitudeMask) => Vector128.Max(acc, x & magnitudeMask);

        public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x, Vector256<T> unused, Vector256<T> magnitudeMask) => Vector256.Max(acc, x & magnitudeMask);

        public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x, Vector512<T> unused, Vector512<T> magnitudeMask) => Vector512.Max(acc, x & magnitudeMask);

        public static T Combine(T a, T b) => T.Max(a, b);

        public static Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);

        public static Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);

        public static Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
    }

    /// <summary><c>y + alpha * x</c>, fused where the hardware has FMA.</summary>
    private readonly struct AxpyOperator<T> : IBinaryOperator<T> where T : INumberBase<T>
    {
        public static T Invoke(T x, T y, T alpha) => T.MultiplyAddEstimate(alpha, x, y);

        public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> alpha) => MultiplyAdd.Estimate(alpha, x, y);

        public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> alpha) => MultiplyAdd.Estimate(alpha, x, y);

        public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> alpha) => MultiplyAdd.Estimate(alpha, x, y);
    }

    /// <summary><c>alpha * x</c>.</summary>
    private readonly struct ScalOperator<T> : IUnaryOperator<T> where T : INumberBase<T>
    {
        public static T Invoke(T x, T alpha) => x * alpha;

        public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> alpha) => x * alpha;

        public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> alpha) => x * alpha;

        public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> alpha) => x * alpha;
    }
}
