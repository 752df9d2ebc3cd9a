namespace Engine.Kernels.Calculus;

/// <summary>
/// Measures the noise in a function's computed values from high-order differences of closely spaced evaluations,
/// in the spirit of Moré and Wild's ECnoise: a smooth function's k-th differences at spacing delta shrink like
/// delta^k, while independent noise of deviation sigma gives k-th differences of variance <c>C(2k, k) sigma^2</c>.
/// </summary>
/// <remarks>
/// Rounding errors of a deterministic function at points a few thousand ulps apart behave like independent noise.
/// At spacing 2^-20 of the coordinate scales the smooth part's fourth and higher differences are below double
/// rounding for any function that varies on that scale, so the estimate is the largest of the per-order estimates
/// for orders 4 to 6. The largest, not the smallest: values quantized to a coarse grid (a function computed in single
/// precision) can make one order's few differences vanish by coincidence. The check then treats
/// <see cref="Bound"/> deviations as the noise bound.
/// </remarks>
internal static class EvaluationNoise
{
    /// <summary>Evaluations along the probe line: <c>x + j delta p</c> for j = -4..4 (the middle one is x).</summary>
    public const int Points = 9;

    /// <summary>delta, relative to each coordinate's scale: large against an ulp, small against any smooth feature.</summary>
    public const double Spacing = 1.0 / (1 << 20);

    /// <summary>The multiple of the measured deviation taken as the bound on one evaluation's noise.</summary>
    public const double Bound = 4;

    private const int DoubleSignificand = 53;
    private const int LowestOrder = 4;
    private const int HighestOrder = 6;

    /// <summary>The estimated standard deviation of the noise in <paramref name="values"/>, equispaced samples.</summary>
    public static double Deviation(ReadOnlySpan<double> values)
    {
        Span<double> differences = stackalloc double[Points];
        values[..Points].CopyTo(differences);
        double largest = 0;
        double centralBinomial = 1;
        int length = Points;
        for (int k = 1; k <= HighestOrder; k++)
        {
            length--;
            for (int j = 0; j < length; j++) differences[j] = differences[j + 1] - differences[j];
            centralBinomial = centralBinomial * (2 * k) * (2 * k - 1) / (k * k);
            if (k < LowestOrder) continue;
            double squares = 0;
            for (int j = 0; j < length; j++) squares += differences[j] * differences[j];
            largest = Math.Max(largest, Math.Sqrt(squares / length / centralBinomial));
        }
        return largest;
    }

    /// <summary>
    /// The number of significant bits the values carry: the most any nonzero finite one uses. A function computed in
    /// single precision and returned as double carries 24, whatever the spacing; its rounding is then correlated
    /// between nearby points (the differences can come out exactly arithmetic), so the difference table alone would
    /// miss it.
    /// </summary>
    public static int SignificantBits(ReadOnlySpan<double> values)
    {
        int most = 0;
        foreach (double v in values)
        {
            if (v == 0 || !double.IsNormal(v)) continue;
            long fraction = BitConverter.DoubleToInt64Bits(v) & ((1L << (DoubleSignificand - 1)) - 1);
            int trailing = fraction == 0 ? DoubleSignificand - 1 : System.Numerics.BitOperations.TrailingZeroCount(fraction);
            most = Math.Max(most, DoubleSignificand - trailing);
        }
        return most;
    }

    /// <summary>
    /// The noise level of <see cref="DerivativeCheckOptions.DoublePrecisionNoise"/> carried over to values of
    /// <paramref name="bits"/> significant bits: <c>2^-48 * 2^(53 - bits)</c> (about 1.9e-6 for single precision).
    /// </summary>
    public static double ForPrecision(int bits) =>
        bits <= 0 ? 0 : DerivativeCheckOptions.DoublePrecisionNoise * Math.ScaleB(1.0, DoubleSignificand - bits);
}
