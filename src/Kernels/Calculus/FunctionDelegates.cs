namespace Engine.Kernels.Calculus;

/// <summary>A scalar function f: R^n -> R, evaluated at the point <paramref name="x"/>.</summary>
/// <param name="x">The point, of length n. The checks pass the caller's own buffer, displaced in place, so a function
/// that reads a captured array instead of <paramref name="x"/> sees the same displaced values.</param>
/// <returns>f(x).</returns>
public delegate double ScalarFunction(ReadOnlySpan<double> x);

/// <summary>The gradient of a scalar function, written to <paramref name="gradient"/>.</summary>
/// <param name="x">The point, of length n.</param>
/// <param name="gradient">Receives the n partial derivatives of f at <paramref name="x"/>.</param>
public delegate void GradientFunction(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>A vector function f: R^n -> R^m, evaluated at the point <paramref name="x"/>.</summary>
/// <param name="x">The point, of length n (the caller's own buffer, displaced in place, as for <see cref="ScalarFunction"/>).</param>
/// <param name="value">Receives the m outputs f(x).</param>
public delegate void VectorFunction(ReadOnlySpan<double> x, Span<double> value);

/// <summary>A Jacobian-vector product: writes <c>J(x) v</c>, the derivative of f at x along v, to <paramref name="product"/>.</summary>
/// <param name="x">The point, of length n.</param>
/// <param name="v">The direction, of length n.</param>
/// <param name="product">Receives the m components of <c>J(x) v</c>.</param>
public delegate void JacobianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> product);
