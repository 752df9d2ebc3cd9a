namespace Engine.Tests.Kernels.Random;

/// <summary>
/// Statistics that a sample of independent N(0, 1) values passes and a broken sampler fails: each is expressed as
/// a score that is about standard normal (or, for Kolmogorov-Smirnov, below 1.95 with probability 0.999) under
/// the null hypothesis, so one bound serves all.
/// </summary>
internal sealed record NormalityStatistics(double MeanScore, double VarianceScore, double FourthMomentScore, double KolmogorovSmirnov, double WorstLagCorrelationScore)
{
    public const double ScoreBound = 4.5;
    public const double KolmogorovSmirnovBound = 1.95;

    /// <summary>The lags checked for correlation: neighbours, and the distances between paired Box-Muller outputs.</summary>
    public static readonly int[] Lags = [1, 2, 8, 16, 32];

    public static NormalityStatistics Of(ReadOnlySpan<double> sample)
    {
        int n = sample.Length;
        double mean = 0, m2 = 0, m4 = 0;
        foreach (double z in sample)
        {
            mean += z;
            m2 += z * z;
            m4 += z * z * z * z;
        }
        mean /= n;
        m2 /= n;
        m4 /= n;
        double variance = m2 - mean * mean;

        // Under N(0, 1): the mean has variance 1/n, the second moment 2/n, the fourth moment (105 - 9)/n.
        double meanScore = mean * Math.Sqrt(n);
        double varianceScore = (variance - 1) / Math.Sqrt(2.0 / n);
        double fourthScore = (m4 - 3) / Math.Sqrt(96.0 / n);

        double[] sorted = sample.ToArray();
        Array.Sort(sorted);
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double cdf = StandardNormalCdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - cdf, cdf - (double)i / n));
        }

        double[] squares = new double[n];
        for (int i = 0; i < n; i++) squares[i] = sample[i] * sample[i];
        double worstLag = 0;
        foreach (int lag in Lags)
        {
            worstLag = Math.Max(worstLag, Math.Abs(Correlation(sample[..^lag], sample[lag..])) * Math.Sqrt(n - lag));
            worstLag = Math.Max(worstLag, Math.Abs(Correlation(squares.AsSpan(0, n - lag), squares.AsSpan(lag))) * Math.Sqrt(n - lag));
        }
        return new NormalityStatistics(meanScore, varianceScore, fourthScore, d * Math.Sqrt(n), worstLag);
    }

    /// <summary>Why the sample fails, or null if it passes every statistic.</summary>
    public string? Failure()
    {
        var reasons = new List<string>();
        if (Math.Abs(MeanScore) > ScoreBound) reasons.Add($"mean score {MeanScore:F2}");
        if (Math.Abs(VarianceScore) > ScoreBound) reasons.Add($"variance score {VarianceScore:F2}");
        if (Math.Abs(FourthMomentScore) > ScoreBound) reasons.Add($"fourth moment score {FourthMomentScore:F2}");
        if (KolmogorovSmirnov > KolmogorovSmirnovBound) reasons.Add($"Kolmogorov-Smirnov sqrt(n) D = {KolmogorovSmirnov:F3}");
        if (WorstLagCorrelationScore > ScoreBound) reasons.Add($"lag correlation score {WorstLagCorrelationScore:F2}");
        return reasons.Count == 0 ? null : string.Join(", ", reasons);
    }

    public static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Phi(x) through erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, far below the KS bound here).</summary>
    public static double StandardNormalCdf(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double erf = 1 - poly * Math.Exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
