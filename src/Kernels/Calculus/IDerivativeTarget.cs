namespace Engine.Kernels.Calculus;

/// <summary>
/// What a derivative check needs of the function under test: its values, and its claimed derivative along a
/// coordinate or a direction, with the rounding that claim may carry. Implemented by small structs so that the probe
/// is specialized per kind of function and calls them without allocating.
/// </summary>
internal interface IDerivativeTarget
{
    /// <summary>m, the number of outputs.</summary>
    int Outputs { get; }

    /// <summary>Writes f(x) to <paramref name="value"/> (length m).</summary>
    void Evaluate(ReadOnlySpan<double> x, Span<double> value);

    /// <summary>
    /// Writes the claimed derivative along e_<paramref name="coordinate"/> to <paramref name="derivative"/>, and to
    /// <paramref name="allowance"/> the absolute rounding error it may carry when computed with relative noise
    /// <paramref name="noise"/>.
    /// </summary>
    void AlongCoordinate(ReadOnlySpan<double> x, int coordinate, double noise, Span<double> derivative, Span<double> allowance);

    /// <summary>As <see cref="AlongCoordinate"/>, along <paramref name="direction"/>.</summary>
    void AlongDirection(ReadOnlySpan<double> x, ReadOnlySpan<double> direction, double noise, Span<double> derivative, Span<double> allowance);
}
