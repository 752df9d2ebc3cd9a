namespace Engine.Kernels.Elementwise;

/// <summary>The rectified linear unit psi(z) = max(z, 0) and its backward pass.</summary>
public static class Relu
{
    /// <summary>Effectively computes <c>a[i] = max(z[i], 0)</c>. <paramref name="a"/> may alias <paramref name="z"/>.</summary>
    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        CheckLengths(z.Length, a.Length);
        for (int i = 0; i < z.Length; i++) a[i] = z[i] > 0 ? z[i] : 0f;
    }

    /// <summary>
    /// Effectively computes <c>gradIn[i] = z[i] &gt; 0 ? gradOut[i] : 0</c>: the incoming gradient masked by the sign
    /// of the pre-activation (the subgradient 0 is used at z = 0). <paramref name="gradIn"/> may alias <paramref name="gradOut"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> gradOut, Span<float> gradIn)
    {
        CheckLengths(z.Length, gradOut.Length);
        CheckLengths(z.Length, gradIn.Length);
        for (int i = 0; i < z.Length; i++) gradIn[i] = z[i] > 0 ? gradOut[i] : 0f;
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{float}, Span{float})"/>
    public static void Forward(ReadOnlySpan<double> z, Span<double> a)
    {
        CheckLengths(z.Length, a.Length);
        for (int i = 0; i < z.Length; i++) a[i] = z[i] > 0 ? z[i] : 0d;
    }

    /// <inheritdoc cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    public static void Backward(ReadOnlySpan<double> z, ReadOnlySpan<double> gradOut, Span<double> gradIn)
    {
        CheckLengths(z.Length, gradOut.Length);
        CheckLengths(z.Length, gradIn.Length);
        for (int i = 0; i < z.Length; i++) gradIn[i] = z[i] > 0 ? gradOut[i] : 0d;
    }

    private static void CheckLengths(int expected, int actual)
    {
        if (actual != expected) throw new ArgumentException($"ReLU: span lengths differ ({expected} vs {actual}).");
    }
}
