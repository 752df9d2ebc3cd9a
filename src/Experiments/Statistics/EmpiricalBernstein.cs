namespace Engine.Experiments.Statistics;

/// <summary>
/// A confidence interval for the mean of a bounded variable that holds for any number of draws and any distribution:
/// the empirical Bernstein bound of Maurer and Pontil (2009, Theorem 4). For n &gt;= 2 independent draws in an interval
/// of length b, with sample variance s^2 (n - 1 in the denominator), each one-sided deviation of the sample mean from
/// the true mean exceeds sqrt(2 s^2 ln(2/delta) / n) + 7 b ln(2/delta) / (3 (n - 1)) with probability at most delta.
/// </summary>
/// <remarks>
/// The Student t interval assumes the mean is nearly normal, which a handful of draws from a skewed variable is not:
/// its sample variance is then often far too small (zero when every draw is the same value), and the interval misses
/// the true mean much more often than its nominal rate. This bound pays for validity with width, mostly through the
/// range term, which falls as 1/n; it is the interval to use where a miss would be reported as a refutation.
/// </remarks>
public static class EmpiricalBernstein
{
    /// <summary>
    /// The half-width h such that |sample mean - true mean| &lt;= h with probability at least 1 - <paramref name="delta"/>
    /// (two-sided: each side gets delta/2).
    /// </summary>
    /// <param name="sampleVariance">The unbiased sample variance of the draws.</param>
    /// <param name="count">The number of draws, at least 2.</param>
    /// <param name="range">The length b of an interval known to hold every possible draw.</param>
    /// <param name="delta">The probability the interval may miss, in (0, 1).</param>
    public static double HalfWidth(double sampleVariance, int count, double range, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), "delta must be in (0, 1).");
        if (!(range >= 0)) throw new ArgumentOutOfRangeException(nameof(range), "range must be nonnegative.");
        if (!(sampleVariance >= 0)) throw new ArgumentOutOfRangeException(nameof(sampleVariance), "sampleVariance must be nonnegative.");
        double log = Math.Log(4 / delta);
        return Math.Sqrt(2 * sampleVariance * log / count) + 7 * range * log / (3.0 * (count - 1));
    }
}
