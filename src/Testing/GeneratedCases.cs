namespace Engine.Testing;

/// <summary>A point at which to check a derivative: finite coordinates of moderate size, drawn from <see cref="Seed"/>.</summary>
/// <param name="Seed">The seed the coordinates were drawn from, printed by a failing property so a case can be rerun.</param>
/// <param name="Values">The coordinates; the checks displace them in place and restore them exactly.</param>
public sealed record Point(ulong Seed, double[] Values)
{
    public int Length => Values.Length;

    public override string ToString() => $"Point(seed {Seed}, n = {Values.Length}: {string.Join(", ", Values.Take(8).Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}{(Values.Length > 8 ? ", ..." : "")})";
}

/// <summary>A point and a direction of the same length, the direction of unit Euclidean norm.</summary>
public sealed record PointAndDirection(Point Point, double[] Direction)
{
    public override string ToString() => $"{Point}, direction of unit norm";
}

/// <summary>
/// A well-scaled least-squares instance for building test functions: A (<see cref="Rows"/> x <see cref="Cols"/>,
/// row-major) with unit-norm columns, a right-hand side B of the size of A's columns, and a point X, all finite and
/// of order one, so values, gradients and curvatures stay of order one too.
/// </summary>
public sealed record WellScaledInstance(ulong Seed, int Rows, int Cols, double[] A, double[] B, double[] X)
{
    public override string ToString() => $"WellScaledInstance(seed {Seed}, A {Rows} x {Cols})";
}
