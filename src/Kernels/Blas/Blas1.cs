namespace Engine.Kernels.Blas;

/// <summary>
/// The level-1 BLAS operations the solvers need, in double and single precision:
/// dot, axpy, scal, nrm2, sum of squares and max-abs. Reductions use a fixed number of accumulators
/// and a fixed combine order, so a result does not depend on alignment.
/// </summary>
public static class Blas1
{
    /// <summary>Effectively computes <c>sum_i x[i] * y[i]</c>.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        SameLength(x.Length, y.Length);
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Effectively computes <c>y[i] += alpha * x[i]</c>.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        SameLength(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>Effectively computes <c>x[i] *= alpha</c>.</summary>
    public static void Scal(double alpha, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }

    /// <summary>Effectively computes <c>sum_i x[i]^2</c>.</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x) => Dot(x, x);

    /// <summary>The Euclidean norm <c>sqrt(sum_i x[i]^2)</c>, scaled so that it neither overflows nor underflows.</summary>
    public static double Nrm2(ReadOnlySpan<double> x)
    {
        double scale = MaxAbs(x);
        if (scale == 0 || double.IsInfinity(scale) || double.IsNaN(scale)) return scale;
        double s = 0;
        for (int i = 0; i < x.Length; i++) { double v = x[i] / scale; s += v * v; }
        return scale * Math.Sqrt(s);
    }

    /// <summary>Effectively computes <c>max_i |x[i]|</c> (0 for an empty span; NaN if any element is NaN).</summary>
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        double m = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = Math.Abs(x[i]);
            if (double.IsNaN(v)) return double.NaN;
            if (v > m) m = v;
        }
        return m;
    }

    /// <inheritdoc cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        SameLength(x.Length, y.Length);
        float s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <inheritdoc cref="Axpy(double, ReadOnlySpan{double}, Span{double})"/>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        SameLength(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <inheritdoc cref="Scal(double, Span{double})"/>
    public static void Scal(float alpha, Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }

    /// <inheritdoc cref="SumOfSquares(ReadOnlySpan{double})"/>
    public static float SumOfSquares(ReadOnlySpan<float> x) => Dot(x, x);

    /// <inheritdoc cref="MaxAbs(ReadOnlySpan{double})"/>
    public static float MaxAbs(ReadOnlySpan<float> x)
    {
        float m = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float v = Math.Abs(x[i]);
            if (float.IsNaN(v)) return float.NaN;
            if (v > m) m = v;
        }
        return m;
    }

    private static void SameLength(int a, int b)
    {
        if (a != b) throw new ArgumentException($"BLAS-1: span lengths differ ({a} vs {b}).");
    }
}
