using Engine.Kernels.Calculus;
using Engine.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Engine.Tests.Testing;

/// <summary>The generators give what they promise, and a user's property test built on them passes a right gradient.</summary>
public class DerivativeArbitrariesTests
{
    [Property(Arbitrary = [typeof(DerivativeArbitraries)], MaxTest = 100)]
    public bool PointsAreFiniteOfModerateSizeAndReproducible(Point p) =>
        p.Length is >= 1 and <= DerivativeArbitraries.MaxLength
        && p.Values.All(v => double.IsFinite(v) && Math.Abs(v) < 10)
        && DerivativeArbitraries.PointGen(p.Length, p.Length).Sample(10).All(q => q.Length == p.Length);

    [Property(Arbitrary = [typeof(DerivativeArbitraries)], MaxTest = 100)]
    public bool DirectionsHaveThePointsLengthAndUnitNorm(PointAndDirection pd) =>
        pd.Direction.Length == pd.Point.Length && Math.Abs(pd.Direction.Sum(v => v * v) - 1) < 1e-12;

    [Property(Arbitrary = [typeof(DerivativeArbitraries)], MaxTest = 100)]
    public bool InstancesHaveUnitNormColumnsAndMatchingSizes(WellScaledInstance w)
    {
        bool unit = Enumerable.Range(0, w.Cols).All(j =>
            Math.Abs(Enumerable.Range(0, w.Rows).Sum(i => w.A[i * w.Cols + j] * w.A[i * w.Cols + j]) - 1) < 1e-12);
        return unit && w.A.Length == w.Rows * w.Cols && w.B.Length == w.Rows && w.X.Length == w.Cols
            && w.A.SequenceEqual(DerivativeArbitraries.Instance(w.Seed, w.Rows, w.Cols).A);
    }

    [Fact]
    public void ShrinkingKeepsTheSeedAndShortensThePoint()
    {
        Point p = DerivativeArbitraries.Points().Generator.Sample(50).First(q => q.Length > 3);
        Point[] smaller = DerivativeArbitraries.Points().Shrinker(p).ToArray();
        Assert.NotEmpty(smaller);
        Assert.All(smaller, s => Assert.True(s.Seed == p.Seed && s.Length < p.Length && p.Values.Take(s.Length).SequenceEqual(s.Values)));
    }

    // A user's property test: the gradient of 1/2 ||A x - b||^2 + sum log cosh x_i, written by hand, at any instance.
    [Property(Arbitrary = [typeof(DerivativeArbitraries)], MaxTest = 60)]
    public Property AUsersGradientPassesOnEveryInstance(WellScaledInstance w)
    {
        double F(ReadOnlySpan<double> x)
        {
            double value = 0;
            for (int i = 0; i < w.Rows; i++)
            {
                double r = -w.B[i];
                for (int j = 0; j < w.Cols; j++) r += w.A[i * w.Cols + j] * x[j];
                value += 0.5 * r * r;
            }
            foreach (double v in x) value += Math.Log(Math.Cosh(v));
            return value;
        }
        var g = new double[w.Cols];
        for (int i = 0; i < w.Rows; i++)
        {
            double r = -w.B[i];
            for (int j = 0; j < w.Cols; j++) r += w.A[i * w.Cols + j] * w.X[j];
            for (int j = 0; j < w.Cols; j++) g[j] += w.A[i * w.Cols + j] * r;
        }
        for (int j = 0; j < w.Cols; j++) g[j] += Math.Tanh(w.X[j]);
        return GradientCheck.Run(F, w.X, g, new DerivativeCheckOptions { Seed = w.Seed }).ToProperty($"gradient at {w}");
    }

    [Property(Arbitrary = [typeof(DerivativeArbitraries)], MaxTest = 60)]
    public void AUsersJacobianVectorProductPassesAlongEveryDirection(PointAndDirection pd)
    {
        // f(x) = (sin x_0 * x_n-1, sum x_i^2): its product J v, written by hand, checked along the generated direction too.
        int n = pd.Point.Length;
        void F(ReadOnlySpan<double> x, Span<double> y) { y[0] = Math.Sin(x[0]) * x[n - 1]; y[1] = 0; foreach (double v in x) y[1] += v * v; }
        void Jvp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> jv)
        {
            jv[0] = Math.Cos(x[0]) * x[n - 1] * v[0] + Math.Sin(x[0]) * v[n - 1];
            jv[1] = 0;
            for (int i = 0; i < n; i++) jv[1] += 2 * x[i] * v[i];
        }
        DerivativeCheckAssert.Passes(JacobianCheck.Run(F, 2, pd.Point.Values, Jvp, new DerivativeCheckOptions { Seed = pd.Point.Seed }));
        var jv = new double[2];
        var shifted = new double[2];
        double[] x = pd.Point.Values;
        Jvp(x, pd.Direction, jv);
        const double t = 1e-6;
        double[] plus = x.Zip(pd.Direction, (a, d) => a + t * d).ToArray(), minus = x.Zip(pd.Direction, (a, d) => a - t * d).ToArray();
        var fPlus = new double[2];
        var fMinus = new double[2];
        F(plus, fPlus);
        F(minus, fMinus);
        for (int c = 0; c < 2; c++) shifted[c] = (fPlus[c] - fMinus[c]) / (2 * t);
        for (int c = 0; c < 2; c++) Assert.Equal(jv[c], shifted[c], 1e-6 * Math.Max(1, Math.Abs(jv[c])));
    }
}
