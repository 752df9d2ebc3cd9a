namespace Engine.Kernels.Calculus;

/// <summary>
/// Checks a claimed gradient of a scalar function f: R^n -> R against finite differences, coordinate by coordinate
/// and along seeded random directions, with a tolerance derived per probe from the estimated truncation and rounding
/// errors instead of a fixed constant.
/// </summary>
/// <remarks>
/// <para><b>Noise.</b> eps, the relative noise of one evaluation, is the largest of the stated
/// <see cref="DerivativeCheckOptions.NoiseLevel"/> (default 2^-48), four times the deviation measured from high-order
/// differences of nine evaluations spaced 2^-20 of the coordinate scales along a seeded direction, and the default
/// carried over to the precision the values actually carry (about 1.9e-6 for values computed in single precision).</para>
/// <para><b>Steps.</b> Coordinate i is stepped by <c>h_i = rho * max(|x_i|, s_i)</c>, where s_i is its typical scale
/// (1 by default) and <c>rho = eps^(1/5)</c>, where the fourth-order estimate's truncation and rounding errors balance
/// (about 1.3e-3 in double precision). A direction is a standard normal vector scaled to largest entry 1 and then
/// entrywise by <c>max(|x_i|, s_i)</c>, stepped by rho, so no coordinate moves further than its own step. The distance
/// actually stepped, <c>fl(x + t) - fl(x - t)</c>, is what the differences divide by.</para>
/// <para><b>Estimate.</b> Central differences D(t) at t = h, h/2, h/4 and Richardson extrapolation
/// <c>R(t) = D(t/2) + (D(t/2) - D(t)) / 3</c>; the estimate is R(h/2), accurate to fourth order.</para>
/// <para><b>Tolerance.</b> With F the largest |f| seen at the point and the displaced points and S the
/// <see cref="DerivativeCheckOptions.Safety"/> factor (default 2), a row passes when
/// <c>|analytic - numeric| &lt;= S (T + E + A)</c>, where
/// <c>T = |R(h) - R(h/2)|</c> estimates truncation (about fifteen times the truncation error of R(h/2), and it contains
/// the noise actually present), <c>E = 6 eps F / h</c> bounds the effect of evaluation noise on R(h/2) (the 6 is
/// <c>sum_k |w_k| 2^k</c> over the weights of R(h/2)), and A is the noise of the analytic value: <c>eps |g_i|</c> for a
/// coordinate, <c>(eps + 3u) sum_j |g_j d_j|</c> for a direction (u the unit roundoff). When T exceeds the
/// <c>9 eps F / h</c> that noise could put into it, the row retries with the step shrunk eightfold (up to
/// <see cref="DerivativeCheckOptions.MaxRefinements"/> times, while that helps) and keeps the attempt with the smallest
/// bound relative to its estimate.</para>
/// <para><b>Errors.</b> Rows report <c>|g - n| / max(|g|, |n|, E + A)</c> and the bound on the same scale, so a zero or
/// tiny entry is measured against what the differences can resolve rather than against itself.</para>
/// <para><b>Directions.</b> Checking k of n coordinates leaves the rest unchecked; each random direction involves every
/// coordinate, so an error <c>delta_i</c> anywhere in g moves <c>g^T d</c> by <c>delta_i d_i</c>.</para>
/// <para><b>Limits.</b> The step must be within the scale on which f is smooth: a coordinate of size 1e-6 on which f
/// varies on that scale needs its typical scale stated, or its rows may fail (or pass) on a meaningless estimate.
/// A function whose value is far smaller than the terms it is computed from carries more noise than eps |f|; the
/// measured noise and T usually see it, and stating the level makes sure.</para>
/// <para>The point is displaced in place and restored exactly; a check allocates its buffers once (O(n) plus a row per
/// probe) and nothing per evaluation beyond the function itself.</para>
/// </remarks>
/// <example>
/// <code>
/// double F(ReadOnlySpan&lt;double&gt; x) =&gt; x[0] * x[0] + Math.Sin(x[1]);
/// double[] x = [1.5, 0.3];
/// double[] g = [2 * x[0], Math.Cos(x[1])];
/// DerivativeCheckResult result = GradientCheck.Run(F, x, g);
/// Console.WriteLine(result);   // PASS: 2 coordinates and 8 directions of n = 2, 0 failed; ...
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>
    /// Checks <paramref name="gradient"/>, the claimed gradient of <paramref name="f"/> at <paramref name="x"/>.
    /// </summary>
    /// <param name="f">The function; it is evaluated at <paramref name="x"/> displaced in place.</param>
    /// <param name="x">The point (length n); restored bit for bit before the method returns, also if f throws.</param>
    /// <param name="gradient">The claimed gradient at <paramref name="x"/> (length n).</param>
    /// <param name="options">Coordinates, directions, seed, noise level and safety factor; null for the defaults.</param>
    /// <returns>One row per coordinate and per direction probed, and the verdict.</returns>
    /// <exception cref="ArgumentException">The lengths differ, the point is not finite, or an option is out of range.</exception>
    public static DerivativeCheckResult Run(ScalarFunction f, Span<double> x, ReadOnlySpan<double> gradient,
        DerivativeCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (gradient.Length != x.Length)
            throw new ArgumentException($"The gradient has {gradient.Length} entries for a point of {x.Length}.", nameof(gradient));
        return CentralDifferenceProbe<ScalarTarget>.Run(new ScalarTarget(f, gradient.ToArray()), x, options ?? new DerivativeCheckOptions());
    }

    /// <summary>
    /// Checks the gradient function <paramref name="gradient"/> of <paramref name="f"/>, evaluated once at
    /// <paramref name="x"/>.
    /// </summary>
    /// <param name="f">The function; it is evaluated at <paramref name="x"/> displaced in place.</param>
    /// <param name="x">The point (length n); restored bit for bit before the method returns.</param>
    /// <param name="gradient">Writes the claimed gradient at a point.</param>
    /// <param name="options">Coordinates, directions, seed, noise level and safety factor; null for the defaults.</param>
    /// <returns>One row per coordinate and per direction probed, and the verdict.</returns>
    public static DerivativeCheckResult Run(ScalarFunction f, Span<double> x, GradientFunction gradient,
        DerivativeCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        var g = new double[x.Length];
        gradient(x, g);
        return Run(f, x, g, options);
    }

    /// <summary>A scalar function and its claimed gradient, as the probe sees them.</summary>
    private readonly struct ScalarTarget(ScalarFunction f, double[] gradient) : IDerivativeTarget
    {
        public int Outputs => 1;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> value) => value[0] = f(x);

        public void AlongCoordinate(ReadOnlySpan<double> x, int coordinate, double noise, Span<double> derivative, Span<double> allowance)
        {
            derivative[0] = gradient[coordinate];
            allowance[0] = noise * Math.Abs(gradient[coordinate]);
        }

        /// <remarks>
        /// The products are summed with Neumaier's compensation, so the dot product's own rounding stays within about
        /// 3u of the sum of |terms| (one rounding per product, two for the sum) whatever n is.
        /// </remarks>
        public void AlongDirection(ReadOnlySpan<double> x, ReadOnlySpan<double> direction, double noise, Span<double> derivative, Span<double> allowance)
        {
            double sum = 0, compensation = 0, magnitude = 0;
            for (int i = 0; i < gradient.Length; i++)
            {
                double term = gradient[i] * direction[i];
                double next = sum + term;
                compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - next) + term : (term - next) + sum;
                sum = next;
                magnitude += Math.Abs(term);
            }
            derivative[0] = sum + compensation;
            allowance[0] = (noise + 3 * UnitRoundoff) * magnitude;
        }
    }

    /// <summary>u = 2^-53, the unit roundoff of double precision.</summary>
    internal const double UnitRoundoff = 1.0 / (1L << 53);
}
