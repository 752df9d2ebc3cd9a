namespace Engine.Kernels.Calculus;

/// <summary>
/// The difference scheme every derivative check uses: central differences D(t) at t = h, h/2, h/4, and two
/// Richardson levels <c>R(t) = D(t/2) + (D(t/2) - D(t)) / 3</c>, at h and at h/2.
/// </summary>
/// <remarks>
/// <para>A central difference is <c>D(t) = f' + c2 t^2 + c4 t^4 + ...</c>, so R cancels the t^2 term and
/// <c>R(t) = f' - c4 t^4 / 4 + ...</c>. The estimate is R(h/2); the gap <c>|R(h) - R(h/2)|</c> is about fifteen times its
/// truncation error once the step is in the asymptotic range, and it carries whatever evaluation noise is present.</para>
/// <para>If one evaluation errs by at most <c>eps F</c> (F the largest |f| seen), D(t) errs by at most <c>eps F / t</c>,
/// so the noise reaching a linear combination <c>sum_k w_k D(h / 2^k)</c> is at most <c>(sum_k |w_k| 2^k) eps F / h</c>:
/// <see cref="FineNoise"/> (6) for R(h/2) and <see cref="GapNoise"/> (9) for the gap.</para>
/// </remarks>
internal static class RichardsonScheme
{
    /// <summary>The number of central differences, at h, h/2 and h/4.</summary>
    public const int Levels = 3;

    /// <summary>The factor by which a row shrinks its first step when truncation dominates.</summary>
    public const double Refinement = 8;

    /// <summary>Step t_k of level k relative to h: 1, 1/2, 1/4 (powers of two, so t_k is exact).</summary>
    public static ReadOnlySpan<double> StepFraction => [1.0, 0.5, 0.25];

    /// <summary>The weights of R(h) = (4 D(h/2) - D(h)) / 3 over the three levels.</summary>
    public static ReadOnlySpan<double> CoarseWeight => [-1.0 / 3, 4.0 / 3, 0.0];

    /// <summary>The weights of R(h/2) = (4 D(h/4) - D(h/2)) / 3 over the three levels: the estimate.</summary>
    public static ReadOnlySpan<double> FineWeight => [0.0, -1.0 / 3, 4.0 / 3];

    /// <summary>The bound on the noise in R(h/2), in units of <c>eps F / h</c>.</summary>
    public static readonly double FineNoise = NoiseGain(FineWeight, [0.0, 0.0, 0.0]);

    /// <summary>The bound on the noise in R(h) - R(h/2), in units of <c>eps F / h</c>.</summary>
    public static readonly double GapNoise = NoiseGain(CoarseWeight, FineWeight);

    /// <summary>R(h), from the three central differences.</summary>
    public static double Coarse(double d0, double d1) => d1 + (d1 - d0) / 3;

    /// <summary>R(h/2), from the three central differences.</summary>
    public static double Fine(double d1, double d2) => d2 + (d2 - d1) / 3;

    private static double NoiseGain(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double gain = 0;
        for (int k = 0; k < Levels; k++) gain += Math.Abs(a[k] - b[k]) / StepFraction[k];
        return gain;
    }
}
