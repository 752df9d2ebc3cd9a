namespace Engine.Kernels.Elementwise;

/// <summary>
/// Soft-thresholding S(x, t) = sign(x) * max(|x| - t, 0), the proximal operator of t * |.|_1,
/// and its nonnegative form max(x - t, 0), the proximal operator of t * |.|_1 plus the indicator of x &gt;= 0.
/// </summary>
public static class SoftThreshold
{
    /// <summary>Scalar soft-threshold: <c>sign(x) * max(|x| - t, 0)</c>.</summary>
    public static double Apply(double x, double t) => x > t ? x - t : x < -t ? x + t : 0d;

    /// <summary>Scalar nonnegative soft-threshold: <c>max(x - t, 0)</c>.</summary>
    public static double ApplyNonnegative(double x, double t) => x > t ? x - t : 0d;

    /// <summary>Effectively computes <c>result[i] = sign(x[i]) * max(|x[i]| - t, 0)</c>; <c>t &gt;= 0</c>.</summary>
    public static void Apply(ReadOnlySpan<double> x, double t, Span<double> result)
    {
        Check(x.Length, result.Length, t);
        for (int i = 0; i < x.Length; i++) result[i] = Apply(x[i], t);
    }

    /// <summary>Effectively computes <c>result[i] = max(x[i] - t, 0)</c>; <c>t &gt;= 0</c>.</summary>
    public static void ApplyNonnegative(ReadOnlySpan<double> x, double t, Span<double> result)
    {
        Check(x.Length, result.Length, t);
        for (int i = 0; i < x.Length; i++) result[i] = ApplyNonnegative(x[i], t);
    }

    /// <inheritdoc cref="Apply(ReadOnlySpan{double}, double, Span{double})"/>
    public static void Apply(ReadOnlySpan<float> x, float t, Span<float> result)
    {
        Check(x.Length, result.Length, t);
        for (int i = 0; i < x.Length; i++) result[i] = x[i] > t ? x[i] - t : x[i] < -t ? x[i] + t : 0f;
    }

    /// <inheritdoc cref="ApplyNonnegative(ReadOnlySpan{double}, double, Span{double})"/>
    public static void ApplyNonnegative(ReadOnlySpan<float> x, float t, Span<float> result)
    {
        Check(x.Length, result.Length, t);
        for (int i = 0; i < x.Length; i++) result[i] = x[i] > t ? x[i] - t : 0f;
    }

    private static void Check(int xLength, int resultLength, double t)
    {
        if (xLength != resultLength) throw new ArgumentException($"Soft-threshold: span lengths differ ({xLength} vs {resultLength}).");
        if (!(t >= 0)) throw new ArgumentOutOfRangeException(nameof(t), $"Soft-threshold: the threshold must be >= 0, got {t}.");
    }
}
