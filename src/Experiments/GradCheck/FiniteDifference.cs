namespace Engine.Experiments.GradCheck;

/// <summary>The result of checking one parameter block's analytic gradient against central differences.</summary>
public sealed record GradientBlockCheck(string Block, int Coordinates, double MaxRelativeError, double Tolerance)
{
    public bool Passed => MaxRelativeError <= Tolerance;
}

/// <summary>
/// Central finite differences in double precision. The relative error of a coordinate is
/// <c>|g - d| / max(|g|, |d|, 1e-6 * max_i |g_i|)</c>, so coordinates whose gradient is tiny relative to the
/// block are measured on the block's scale instead of blowing up.
/// </summary>
public static class FiniteDifference
{
    /// <summary>
    /// Compares <paramref name="analytic"/> with <c>(f(p + h e_i) - f(p - h e_i)) / 2h</c> for the coordinates
    /// <paramref name="coordinates"/> (all when null) of <paramref name="parameters"/>, which
    /// <paramref name="objective"/> reads. Parameters are restored exactly afterwards.
    /// </summary>
    public static GradientBlockCheck Check(string block, Func<double> objective, double[] parameters,
        ReadOnlySpan<double> analytic, double tolerance, double h = 1e-6, IReadOnlyList<int>? coordinates = null)
    {
        if (analytic.Length != parameters.Length) throw new ArgumentException("One analytic partial per parameter.");
        double scale = 0;
        foreach (double g in analytic) scale = Math.Max(scale, Math.Abs(g));
        double floor = Math.Max(1e-6 * scale, 1e-12);
        double worst = 0;
        int count = 0;
        int n = coordinates?.Count ?? parameters.Length;
        for (int t = 0; t < n; t++)
        {
            int i = coordinates is null ? t : coordinates[t];
            double saved = parameters[i];
            parameters[i] = saved + h;
            double plus = objective();
            parameters[i] = saved - h;
            double minus = objective();
            parameters[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double error = Math.Abs(analytic[i] - numeric) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)), floor);
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            worst = Math.Max(worst, error);
            count++;
        }
        return new GradientBlockCheck(block, count, worst, tolerance);
    }
}
