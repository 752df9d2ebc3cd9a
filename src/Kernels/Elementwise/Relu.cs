using System.Numerics;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Elementwise;

/// <summary>The rectified linear unit psi(z) = max(z, 0) and its backward pass.</summary>
public static class Relu
{
    /// <summary>
    /// Effectively computes <c>a[i] = z[i] &gt; 0 ? z[i] : 0</c> (so NaN and -0 give +0).
    /// <paramref name="a"/> may be <paramref name="z"/> itself.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => UnaryLoop.Run<float, ForwardOperator<float>>(z, 0f, a, "ReLU");

    /// <summary>
    /// Effectively computes <c>gradIn[i] = z[i] &gt; 0 ? gradOut[i] : 0</c>: the incoming gradient masked by the sign
    /// of the pre-activation (the subgradient 0 is used at z = 0). <paramref name="gradIn"/> may be
    /// <paramref name="gradOut"/> or <paramref name="z"/> itself.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> gradOut, Span<float> gradIn) =>
        BinaryLoop.Run<float, BackwardOperator<float>>(z, gradOut, 0f, gradIn, "ReLU backward");

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, Span{float})"/>
    public static void Forward(ReadOnlySpan<double> z, Span<double> a) => UnaryLoop.Run<double, ForwardOperator<double>>(z, 0d, a, "ReLU");

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void Backward(ReadOnlySpan<double> z, ReadOnlySpan<double> gradOut, Span<double> gradIn) =>
        BinaryLoop.Run<double, BackwardOperator<double>>(z, gradOut, 0d, gradIn, "ReLU backward");

    /// <summary><c>z &gt; 0 ? z : 0</c>; the lane form keeps the bits of z where the comparison holds.</summary>
    private readonly struct ForwardOperator<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Invoke(T z, T unused) => z > T.Zero ? z : T.Zero;

        public static TLanes Invoke<TLanes>(TLanes z, TLanes unused) where TLanes : struct, ILanes<TLanes, T> =>
            z & TLanes.GreaterThan(z, TLanes.Zero);
    }

    /// <summary><c>z &gt; 0 ? g : 0</c>.</summary>
    private readonly struct BackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
    {
        public static T Invoke(T z, T g, T unused) => z > T.Zero ? g : T.Zero;

        public static TLanes Invoke<TLanes>(TLanes z, TLanes g, TLanes unused) where TLanes : struct, ILanes<TLanes, T> =>
            g & TLanes.GreaterThan(z, TLanes.Zero);
    }
}
