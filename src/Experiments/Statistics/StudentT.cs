namespace Engine.Experiments.Statistics;

/// <summary>Student's t distribution with a whole number of degrees of freedom: its two-sided tail and quantiles.</summary>
/// <remarks>
/// For whole nu the probability P(|T| &lt;= t) has a finite closed form in theta = atan(t / sqrt(nu)) (Abramowitz and
/// Stegun 26.7.3-4): for odd nu, (2/pi) (theta + sin(theta) (cos(theta) + (2/3) cos^3(theta) + ... )), the series
/// ending at cos^(nu-2); for even nu, sin(theta) (1 + (1/2) cos^2(theta) + (1*3)/(2*4) cos^4(theta) + ...), ending at
/// cos^(nu-2). Each term is the previous one times cos^2(theta) and a ratio of consecutive integers, so no gamma
/// function or incomplete beta is needed; the quantile inverts it by bisection, to full double precision.
/// </remarks>
public static class StudentT
{
    /// <summary>P(|T| &lt;= <paramref name="t"/>) for T with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double CentralProbability(double t, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (double.IsNaN(t)) return double.NaN;
        t = Math.Abs(t);
        if (double.IsPositiveInfinity(t)) return 1;
        int nu = degreesOfFreedom;
        double theta = Math.Atan(t / Math.Sqrt(nu));
        double sin = Math.Sin(theta), cos = Math.Cos(theta), cos2 = cos * cos;
        if (nu % 2 == 1)
        {
            double sum = 0, term = cos;
            for (int k = 3; k <= nu; k += 2)
            {
                sum += term;
                term *= cos2 * (k - 1) / k;
            }
            return Math.Min(1, 2 / Math.PI * (theta + sin * sum));
        }
        else
        {
            double sum = 0, term = 1;
            for (int k = 2; k <= nu; k += 2)
            {
                sum += term;
                term *= cos2 * (k - 1) / k;
            }
            return Math.Min(1, sin * sum);
        }
    }

    /// <summary>The t with P(|T| &lt;= t) = <paramref name="coverage"/>: the half-width, in standard errors, of a two-sided interval.</summary>
    public static double TwoSidedQuantile(double coverage, int degreesOfFreedom)
    {
        if (!(coverage > 0 && coverage < 1)) throw new ArgumentOutOfRangeException(nameof(coverage), "coverage must be in (0, 1).");
        double lo = 0, hi = 1;
        while (CentralProbability(hi, degreesOfFreedom) < coverage) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (CentralProbability(mid, degreesOfFreedom) < coverage) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
