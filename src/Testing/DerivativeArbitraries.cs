using Engine.Kernels.Random;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Testing;

/// <summary>
/// FsCheck generators for property tests of derivatives: points, points with a direction, and well-scaled
/// instances. Values come from the engine's counter-based sampler, so a case is a function of its seed and sizes;
/// shrinking drops trailing coordinates (and rows and columns) while keeping the seed.
/// </summary>
/// <example>
/// <code>
/// [Property(Arbitrary = [typeof(DerivativeArbitraries)])]
/// public void MyGradientIsRight(Point p) =&gt;
///     DerivativeCheckAssert.Passes(GradientCheck.Run(MyFunction, p.Values, MyGradient));
/// </code>
/// </example>
public static class DerivativeArbitraries
{
    /// <summary>The most coordinates a generated point has (before FsCheck's size caps it further).</summary>
    public const int MaxLength = 24;

    /// <summary>Points of 1 to <see cref="MaxLength"/> coordinates (for <c>[Property(Arbitrary = ...)]</c>).</summary>
    public static Arbitrary<Point> Points() => Arb.From(PointGen(1, MaxLength), ShrinkPoint);

    /// <summary>Points with a unit direction (for <c>[Property(Arbitrary = ...)]</c>).</summary>
    public static Arbitrary<PointAndDirection> PointsAndDirections() => Arb.From(
        from point in PointGen(1, MaxLength)
        from seed in Seeds
        select new PointAndDirection(point, Direction(point.Length, seed)),
        pd => ShrinkPoint(pd.Point).Select(p => new PointAndDirection(p, Normalize(pd.Direction[..p.Length]))));

    /// <summary>Well-scaled instances with 1 to 12 rows and 1 to 12 columns (for <c>[Property(Arbitrary = ...)]</c>).</summary>
    public static Arbitrary<WellScaledInstance> Instances() => Arb.From(InstanceGen(12, 12), ShrinkInstance);

    /// <summary>Points of <paramref name="minLength"/> to <paramref name="maxLength"/> coordinates, each normal with standard deviation <paramref name="scale"/>.</summary>
    public static Gen<Point> PointGen(int minLength, int maxLength, double scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, minLength);
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(scale), "The scale must be positive and finite.");
        return from length in Gen.Choose(minLength, maxLength)
               from seed in Seeds
               select new Point(seed, Values(length, seed, scale));
    }

    /// <summary>Well-scaled instances of up to <paramref name="maxRows"/> x <paramref name="maxCols"/>.</summary>
    public static Gen<WellScaledInstance> InstanceGen(int maxRows, int maxCols) =>
        from rows in Gen.Choose(1, maxRows)
        from cols in Gen.Choose(1, maxCols)
        from seed in Seeds
        select Instance(seed, rows, cols);

    /// <summary>The instance of a seed and size: A with unit-norm columns, B and X standard normal.</summary>
    public static WellScaledInstance Instance(ulong seed, int rows, int cols)
    {
        var sampler = new NormalSampler(seed, 0x7E57);
        var a = new double[rows * cols];
        sampler.Split(0).Fill(a);
        for (int j = 0; j < cols; j++)
        {
            double norm = 0;
            for (int i = 0; i < rows; i++) norm += a[i * cols + j] * a[i * cols + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < rows; i++) a[i * cols + j] = norm > 0 ? a[i * cols + j] / norm : 1 / Math.Sqrt(rows);
        }
        var b = new double[rows];
        var x = new double[cols];
        sampler.Split(1).Fill(b);
        sampler.Split(2).Fill(x);
        return new WellScaledInstance(seed, rows, cols, a, b, x);
    }

    private static Gen<ulong> Seeds { get; } = Gen.Choose(0, int.MaxValue).Select(s => (ulong)s);

    private static double[] Values(int length, ulong seed, double scale)
    {
        var values = new double[length];
        new NormalSampler(seed, 0x7E57).Fill(values, 0, scale);
        return values;
    }

    private static double[] Direction(int length, ulong seed)
    {
        var d = new double[length];
        new NormalSampler(seed, 0xD1).Fill(d);
        return Normalize(d);
    }

    private static double[] Normalize(double[] d)
    {
        double norm = Math.Sqrt(d.Sum(v => v * v));
        if (norm == 0) d[0] = norm = 1;
        return d.Select(v => v / norm).ToArray();
    }

    // Half the coordinates first, then one fewer: a failing case shrinks to a short prefix in a few steps.
    private static IEnumerable<Point> ShrinkPoint(Point p) =>
        new[] { p.Length / 2, p.Length - 1 }.Where(l => l >= 1 && l < p.Length).Distinct().Select(l => p with { Values = p.Values[..l] });

    private static IEnumerable<WellScaledInstance> ShrinkInstance(WellScaledInstance w)
    {
        if (w.Rows > 1) yield return Instance(w.Seed, w.Rows / 2, w.Cols);
        if (w.Cols > 1) yield return Instance(w.Seed, w.Rows, w.Cols / 2);
    }
}
