namespace Engine.Kernels.Calculus;

/// <summary>
/// Checks the Jacobian-vector products of a vector function f: R^n -> R^m against finite differences, along
/// coordinate axes (the columns <c>J e_i</c>) and seeded random directions, with the same steps, estimate and derived
/// tolerances as <see cref="GradientCheck"/>, applied to every output component.
/// </summary>
/// <remarks>
/// <para>For output c, F is the largest |f_c| seen and the analytic allowance is <c>eps max_c' |(J v)_c'|</c>: the check
/// cannot see how the product was summed, so it allows the stated noise relative to the product's largest
/// component. A row passes when every component passes; it reports the component with the largest ratio of
/// difference to bound.</para>
/// <para>The product is requested at the restored point, once per row, along the direction the differences actually
/// probed (see <see cref="GradientCheck"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// void F(ReadOnlySpan&lt;double&gt; x, Span&lt;double&gt; y) { y[0] = x[0] * x[1]; y[1] = Math.Exp(x[0]); }
/// void Jvp(ReadOnlySpan&lt;double&gt; x, ReadOnlySpan&lt;double&gt; v, Span&lt;double&gt; jv)
/// {
///     jv[0] = x[1] * v[0] + x[0] * v[1];
///     jv[1] = Math.Exp(x[0]) * v[0];
/// }
/// Console.WriteLine(JacobianCheck.Run(F, 2, new double[] { 0.5, -1.0 }, Jvp));
/// </code>
/// </example>
public static class JacobianCheck
{
    /// <summary>Checks <paramref name="jvp"/>, the claimed Jacobian-vector product of <paramref name="f"/> at <paramref name="x"/>.</summary>
    /// <param name="f">The function; it is evaluated at <paramref name="x"/> displaced in place.</param>
    /// <param name="outputs">m, the number of outputs of f (at least 1).</param>
    /// <param name="x">The point (length n); restored bit for bit before the method returns, also if f throws.</param>
    /// <param name="jvp">Writes the claimed <c>J(x) v</c>.</param>
    /// <param name="options">Coordinates, directions, seed, noise level and safety factor; null for the defaults.</param>
    /// <returns>One row per coordinate and per direction probed, and the verdict.</returns>
    /// <exception cref="ArgumentException">The point is not finite, or an option is out of range.</exception>
    public static DerivativeCheckResult Run(VectorFunction f, int outputs, Span<double> x, JacobianVectorProduct jvp,
        DerivativeCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(jvp);
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), "A vector function has at least one output.");
        return CentralDifferenceProbe<VectorTarget>.Run(new VectorTarget(f, jvp, outputs, new double[x.Length]), x,
            options ?? new DerivativeCheckOptions());
    }

    /// <summary>A vector function and its claimed product, as the probe sees them; <c>unit</c> is scratch for e_i.</summary>
    private readonly struct VectorTarget(VectorFunction f, JacobianVectorProduct jvp, int outputs, double[] unit) : IDerivativeTarget
    {
        public int Outputs => outputs;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> value) => f(x, value);

        public void AlongCoordinate(ReadOnlySpan<double> x, int coordinate, double noise, Span<double> derivative, Span<double> allowance)
        {
            unit[coordinate] = 1;
            try
            {
                AlongDirection(x, unit, noise, derivative, allowance);
            }
            finally
            {
                unit[coordinate] = 0;
            }
        }

        public void AlongDirection(ReadOnlySpan<double> x, ReadOnlySpan<double> direction, double noise, Span<double> derivative, Span<double> allowance)
        {
            jvp(x, direction, derivative);
            double largest = 0;
            foreach (double v in derivative) largest = Math.Max(largest, Math.Abs(v));
            allowance.Fill(noise * largest);
        }
    }
}
