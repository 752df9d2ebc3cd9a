using System.Numerics;
using System.Runtime.Intrinsics;
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

    /// <summary><c>z &gt; 0 ? z : 0</c>; the vector form keeps the bits of z where the comparison holds.</summary>
    private readonly struct ForwardOperator<T> : IUnaryOperator<T> where T : INumber<T>
    {
        public static T Invoke(T z, T unused) => z > T.Zero ? z : T.Zero;

        public static Vector128<T> Invoke(Vector128<T> z, Vector128<T> unused) => z & Vector128.GreaterThan(z, Vector128<T>.Zero);

        public static Vector256<T> Invoke(Vector256<T> z, Vector256<T> unused) => z & Vector256.GreaterThan(z, Vector256<T>.Zero);

        public static Vector512<T> Invoke(Vector512<T> z, Vector512<T> unused) => z & Vector512.GreaterThan(z, Vector512<T>.Zero);
    }

    /// <summary><c>z &gt; 0 ? g : 0</c>.</summary>
    private readonly struct BackwardOperator<T> : IBinaryOperator<T> where T : INumber<T>
    {
        public static T Invoke(T z, T g, T unused) => z > T.Zero ? g : T.Zero;

        public static Vector128<T> Invoke(Vector128<T> z, Vector128<T> g, Vector128<T> unused) => g & Vector128.GreaterThan(z, Vector128<T>.Zero);

        public static Vector256<T> Invoke(Vector256<T> z, Vector256<T> g, Vector256<T> unused) => g & Vector256.GreaterThan(z, Vector256<T>.Zero);

        public static Vector512<T> Invoke(Vector512<T> z, Vector512<T> g, Vector512<T> unused) => g & Vector512.GreaterThan(z, Vector512<T>.Zero);
    }
}
