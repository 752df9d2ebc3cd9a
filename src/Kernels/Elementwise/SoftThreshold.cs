using System.Numerics;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Elementwise;

/// <summary>
/// Soft-thresholding S(x, t) = sign(x) * max(|x| - t, 0), the proximal operator of t * |.|_1,
/// and its nonnegative form max(x - t, 0), the proximal operator of t * |.|_1 plus the indicator of x &gt;= 0.
/// </summary>
public static class SoftThreshold
{
    /// <summary>Scalar soft-threshold: <c>sign(x) * max(|x| - t, 0)</c> (0 for NaN x).</summary>
    public static double Apply(double x, double t) => ApplyOperator<double>.Invoke(x, t);

    /// <summary>Scalar nonnegative soft-threshold: <c>max(x - t, 0)</c> (0 for NaN x).</summary>
    public static double ApplyNonnegative(double x, double t) => NonnegativeOperator<double>.Invoke(x, t);

    /// <summary>
    /// Effectively computes <c>result[i] = sign(x[i]) * max(|x[i]| - t, 0)</c>; <c>t &gt;= 0</c>.
    /// <paramref name="result"/> may be <paramref name="x"/> itself.
    /// </summary>
    public static void Apply(ReadOnlySpan<double> x, double t, Span<double> result)
    {
        CheckThreshold(t);
        UnaryLoop.Run<double, ApplyOperator<double>>(x, t, result, "Soft-threshold");
    }

    /// <summary>
    /// Effectively computes <c>result[i] = max(x[i] - t, 0)</c>; <c>t &gt;= 0</c>.
    /// <paramref name="result"/> may be <paramref name="x"/> itself.
    /// </summary>
    public static void ApplyNonnegative(ReadOnlySpan<double> x, double t, Span<double> result)
    {
        CheckThreshold(t);
        UnaryLoop.Run<double, NonnegativeOperator<double>>(x, t, result, "Soft-threshold");
    }

    /// <inheritdoc cref="Apply(ReadOnlySpan{double}, double, Span{double})"/>
    public static void Apply(ReadOnlySpan<float> x, float t, Span<float> result)
    {
        CheckThreshold(t);
        UnaryLoop.Run<float, ApplyOperator<float>>(x, t, result, "Soft-threshold");
    }

    /// <inheritdoc cref="ApplyNonnegative(ReadOnlySpan{double}, double, Span{double})"/>
    public static void ApplyNonnegative(ReadOnlySpan<float> x, float t, Span<float> result)
    {
        CheckThreshold(t);
        UnaryLoop.Run<float, NonnegativeOperator<float>>(x, t, result, "Soft-threshold");
    }

    private static void CheckThreshold(double t)
    {
        if (!(t >= 0)) throw new ArgumentOutOfRangeException(nameof(t), $"Soft-threshold: the threshold must be >= 0, got {t}.");
    }

    /// <summary>
    /// <c>x &gt; t ? x - t : x &lt; -t ? x + t : 0</c>. Written with comparisons rather than sign and abs so that
    /// every width (and the scalar path) gives the same bits, including 0 for NaN.
    /// </summary>
    private readonly struct ApplyOperator<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Invoke(T x, T t) => x > t ? x - t : x < -t ? x + t : T.Zero;

        public static TLanes Invoke<TLanes>(TLanes x, TLanes t) where TLanes : struct, ILanes<TLanes, T> =>
            TLanes.SelectWhereGreater(x, t, x - t, TLanes.SelectWhereGreater(-t, x, x + t, TLanes.Zero));
    }

    /// <summary><c>x &gt; t ? x - t : 0</c>.</summary>
    private readonly struct NonnegativeOperator<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Invoke(T x, T t) => x > t ? x - t : T.Zero;

        public static TLanes Invoke<TLanes>(TLanes x, TLanes t) where TLanes : struct, ILanes<TLanes, T> =>
            TLanes.SelectWhereGreater(x, t, x - t, TLanes.Zero);
    }
}
