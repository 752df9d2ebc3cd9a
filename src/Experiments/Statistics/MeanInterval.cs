namespace Engine.Experiments.Statistics;

/// <summary>
/// The mean of a sample and its two-sided Student t confidence interval, mean ± t_(coverage, n-1) s / sqrt(n),
/// with s the sample standard deviation. With fewer than two values the interval is undefined (NaN bounds).
/// </summary>
public sealed record MeanInterval(double Mean, double Low, double High, int Count, double Coverage)
{
    /// <summary>The 95 % coverage every table of the project uses.</summary>
    public const double DefaultCoverage = 0.95;

    public static MeanInterval Of(IReadOnlyList<double> values, double coverage = DefaultCoverage)
    {
        int n = values.Count;
        if (n == 0) return new MeanInterval(double.NaN, double.NaN, double.NaN, 0, coverage);
        double mean = values.Average();
        if (n < 2) return new MeanInterval(mean, double.NaN, double.NaN, n, coverage);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        double halfWidth = StudentT.TwoSidedQuantile(coverage, n - 1) * Math.Sqrt(ss / (n - 1) / n);
        return new MeanInterval(mean, mean - halfWidth, mean + halfWidth, n, coverage);
    }

    /// <summary>The whole interval lies below <paramref name="value"/>.</summary>
    public bool Below(double value) => High < value;

    /// <summary>The whole interval lies above <paramref name="value"/>.</summary>
    public bool Above(double value) => Low > value;

    /// <summary>Mean and bounds mapped by <paramref name="f"/> (monotone increasing), e.g. 10^x for an interval of log10 values.</summary>
    public MeanInterval Map(Func<double, double> f) => this with { Mean = f(Mean), Low = f(Low), High = f(High) };
}
