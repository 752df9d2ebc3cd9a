using Engine.Kernels.Calculus;
using Engine.Kernels.Random;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Engine.Tests.Kernels.Calculus;

public class GradientCheckTests
{
    private const int SeedsPerFamily = 40;
    private const double Injected = 1e-4;

    public static TheoryData<string> FamilyNames()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in GradientCases.Families) names.Add(name);
        return names;
    }

    private static IEnumerable<GradientCase> Cases(string family)
    {
        var make = GradientCases.Families.Single(f => f.Name == family).Make;
        for (ulong seed = 0; seed < SeedsPerFamily; seed++) yield return make(seed);
    }

    /// <summary>A coordinate drawn from the case's seed among those with |g_j| at least 1e-3 of the largest.</summary>
    private static int Substantial(GradientCase c)
    {
        double largest = Math.Abs(c.Gradient[c.Largest()]);
        int[] eligible = Enumerable.Range(0, c.Gradient.Length).Where(i => Math.Abs(c.Gradient[i]) >= 1e-3 * largest).ToArray();
        return eligible[new NormalSampler(c.Seed, 99).NextInt(eligible.Length)];
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void CorrectGradientsPass(string family)
    {
        foreach (GradientCase c in Cases(family))
        {
            DerivativeCheckResult result = c.Check();
            Assert.True(result.Passed, $"{c}\n{result}");
            Assert.Equal(c.X.Length + result.Options.Directions, result.Rows.Count);
        }
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void OneCoordinateOffByOneInTenThousandFails(string family)
    {
        foreach (GradientCase c in Cases(family))
        {
            int j = Substantial(c);
            double[] wrong = (double[])c.Gradient.Clone();
            wrong[j] *= 1 + Injected;
            DerivativeCheckResult result = c.Check(wrong);
            Assert.False(result.Passed, $"{c}, coordinate {j}\n{result}");
            Assert.False(result.CoordinateRows.Single(r => r.Index == j).Passed);
            Assert.All(result.CoordinateRows.Where(r => r.Index != j), r => Assert.True(r.Passed, $"{c}: {r}"));
        }
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void ASignFlipFails(string family)
    {
        foreach (GradientCase c in Cases(family))
        {
            double[] wrong = (double[])c.Gradient.Clone();
            int j = Substantial(c);
            wrong[j] = -wrong[j];
            Assert.False(c.Check(wrong).Passed, $"{c}, coordinate {j}");
        }
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void ASwappedPairFails(string family)
    {
        foreach (GradientCase c in Cases(family))
        {
            if (c.X.Length < 2) continue;
            // Swap the largest entry with the entry furthest from it, so that the swap changes something.
            int a = c.Largest();
            int b = Enumerable.Range(0, c.X.Length).MaxBy(i => Math.Abs(c.Gradient[i] - c.Gradient[a]));
            if (c.Gradient[a] == c.Gradient[b]) continue;
            double[] wrong = (double[])c.Gradient.Clone();
            (wrong[a], wrong[b]) = (wrong[b], wrong[a]);
            Assert.False(c.Check(wrong).Passed, $"{c}, coordinates {a} and {b}");
        }
    }

    [Property(MaxTest = 50)]
    public Property AnyQuadraticPassesAtAnySeed() => Prop.ForAll(ArbMap.Default.ArbFor<ulong>(), seed =>
    {
        GradientCase c = GradientCases.Quadratic(seed);
        DerivativeCheckResult result = c.Check();
        return result.Passed.Label($"{c}\n{result}");
    });

    [Fact]
    public void DirectionsCatchAnErrorInACoordinateTheSampleLeftOut()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            GradientCase c = GradientCases.LogSumExp(seed, 120);
            var options = c.Options with { CoordinateSample = 10 };
            DerivativeCheckResult honest = c.Check(options: options);
            Assert.True(honest.Passed, honest.ToString());
            var sampled = honest.CoordinateRows.Select(r => r.Index).ToHashSet();
            Assert.Equal(10, sampled.Count);

            int j = Enumerable.Range(0, c.X.Length).Where(i => !sampled.Contains(i)).MaxBy(i => Math.Abs(c.Gradient[i]));
            double[] wrong = (double[])c.Gradient.Clone();
            wrong[j] *= 1 + Injected;
            DerivativeCheckResult result = c.Check(wrong, options);
            Assert.All(result.CoordinateRows, r => Assert.True(r.Passed));
            Assert.False(result.Passed, $"{c}, coordinate {j}\n{result}");
            Assert.Contains(result.DirectionRows, r => !r.Passed);
        }
    }

    [Fact]
    public void ASinglePrecisionFunctionPassesItsGradientAndRejectsAWrongOne()
    {
        for (ulong seed = 0; seed < 100; seed++)
        {
            GradientCase c = GradientCases.SinglePrecision(seed);
            foreach (var options in new[] { c.Options, new DerivativeCheckOptions { Seed = seed } })
            {
                DerivativeCheckResult result = c.Check(options: options);
                Assert.True(result.Passed, $"{c}\n{result}");
                // Nothing stated: the values carry 24 bits, and the check takes the noise of that precision.
                Assert.True(result.NoiseLevel >= 1e-6, $"{c}: noise level {result.NoiseLevel}");

                int j = c.Largest();
                double[] tenPercent = (double[])c.Gradient.Clone();
                tenPercent[j] *= 1.1;
                Assert.False(c.Check(tenPercent, options).Passed, $"{c}: 10% off in coordinate {j}");
                double[] flipped = (double[])c.Gradient.Clone();
                flipped[j] = -flipped[j];
                Assert.False(c.Check(flipped, options).Passed, $"{c}: sign of coordinate {j}");
            }
        }
    }

    private static Arbitrary<double[]> Points { get; } = Arb.From(
        from length in Gen.Choose(0, 12)
        from values in Gen.ArrayOf(Gen.OneOf(
            ArbMap.Default.GeneratorFor<NormalFloat>().Select(v => v.Get),
            Gen.Elements(0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-300, 1e300, -1e300, 1.0 / 3, double.MaxValue / 4)), length)
        select values);

    [Property(MaxTest = 200)]
    public Property ThePointIsRestoredBitForBit() => Prop.ForAll(Points, x =>
    {
        long[] before = Array.ConvertAll(x, BitConverter.DoubleToInt64Bits);
        double[] g = new double[x.Length];
        // The function reads the captured array, not its argument, and is wrong on purpose: restoring must not depend on either.
        GradientCheck.Run(_ => x.Sum(v => Math.Atan(v)), x, g);
        long[] after = Array.ConvertAll(x, BitConverter.DoubleToInt64Bits);
        return before.SequenceEqual(after).Label($"[{string.Join(", ", x)}]");
    });

    [Fact]
    public void ThePointIsRestoredWhenTheFunctionThrows()
    {
        double[] x = [0.1, -2.5, 1e-20, 3];
        long[] before = Array.ConvertAll(x, BitConverter.DoubleToInt64Bits);
        int calls = 0;
        double F(ReadOnlySpan<double> p) => ++calls > 20 ? throw new InvalidOperationException("boom") : p[0];
        Assert.Throws<InvalidOperationException>(() => GradientCheck.Run(F, x, [1.0, 0, 0, 0]));
        Assert.Equal(before, Array.ConvertAll(x, BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void AFunctionReadingItsOwnArraySeesTheDisplacedPoint()
    {
        GradientCase c = GradientCases.Rosenbrock(3);
        double[] x = (double[])c.X.Clone();
        DerivativeCheckResult viaArgument = GradientCheck.Run(c.F, x, c.Gradient, c.Options);
        DerivativeCheckResult viaCapture = GradientCheck.Run(_ => c.F(x), x, c.Gradient, c.Options);
        Assert.True(viaCapture.Passed, viaCapture.ToString());
        Assert.Equal(viaArgument.Rows, viaCapture.Rows);
    }

    [Fact]
    public void EvaluationsAllocateNothing()
    {
        // A fast oscillation makes every row refine its step; a wide one does not. The rows are the same, the
        // evaluations are not, and the allocations must not differ.
        const int n = 24;
        double[] x = new double[n];
        new NormalSampler(5).Fill(x);
        double[] g = new double[n];
        double frequency = 1;
        double F(ReadOnlySpan<double> p)
        {
            double s = 0;
            for (int i = 0; i < p.Length; i++) s += Math.Sin(frequency * p[i]);
            return s;
        }
        var options = new DerivativeCheckOptions { Seed = 1 };
        long Allocated(double f, out int evaluations)
        {
            frequency = f;
            for (int i = 0; i < n; i++) g[i] = f * Math.Cos(f * x[i]);
            GradientCheck.Run(F, x, g, options);
            long start = GC.GetAllocatedBytesForCurrentThread();
            DerivativeCheckResult result = GradientCheck.Run(F, x, g, options);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - start;
            Assert.True(result.Passed, result.ToString());
            evaluations = result.Evaluations;
            return bytes;
        }
        long slow = Allocated(1, out int few);
        long fast = Allocated(300, out int many);
        Assert.True(many > few + 6 * n, $"{few} and {many} evaluations");
        Assert.Equal(slow, fast);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRowsAndAnotherSeedOtherDirections()
    {
        GradientCase c = GradientCases.SoftplusNetwork(8);
        var first = c.Check(options: c.Options with { Seed = 77 });
        var again = c.Check(options: c.Options with { Seed = 77 });
        var other = c.Check(options: c.Options with { Seed = 78 });
        Assert.Equal(first.Rows, again.Rows);
        Assert.NotEqual(first.DirectionRows.Select(r => r.Analytic), other.DirectionRows.Select(r => r.Analytic));
    }

    [Fact]
    public void CoordinatesCanBeListedOrSampled()
    {
        GradientCase c = GradientCases.MatrixCompletion(1);
        var listed = c.Check(options: c.Options with { Coordinates = [40, 3, 17], Directions = 2 });
        Assert.Equal([40, 3, 17], listed.CoordinateRows.Select(r => r.Index));
        Assert.Equal(2, listed.DirectionRows.Count);

        var sampled = c.Check(options: c.Options with { CoordinateSample = 7, Directions = 0 });
        int[] indices = sampled.CoordinateRows.Select(r => r.Index).ToArray();
        Assert.Equal(7, indices.Distinct().Count());
        Assert.Equal(indices.Order(), indices);
        Assert.Empty(sampled.DirectionRows);
    }

    [Fact]
    public void AGradientFunctionIsEvaluatedAtThePoint()
    {
        GradientCase c = GradientCases.LogSumExp(4);
        double[] x = (double[])c.X.Clone();
        DerivativeCheckResult result = GradientCheck.Run(c.F, x, (p, g) =>
        {
            Assert.Equal(x, p.ToArray());
            c.Gradient.CopyTo(g);
        }, c.Options);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void AnEmptyPointPassesWithNoRows()
    {
        DerivativeCheckResult result = GradientCheck.Run(_ => 1, Span<double>.Empty, ReadOnlySpan<double>.Empty);
        Assert.True(result.Passed);
        Assert.Empty(result.Rows);
        Assert.Null(result.Worst);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        double[] x = [1, 2];
        double[] g = [1, 1];
        static double F(ReadOnlySpan<double> p) => p[0] + p[1];
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(F, x, [1.0]));
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(F, new[] { 1, double.NaN }, g));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { Safety = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { NoiseLevel = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { RelativeStep = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { Directions = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { CoordinateSample = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { Coordinates = [2] }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(F, x, g, new() { Coordinates = [1, 1] }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(F, x, g, new() { Coordinates = [1], CoordinateSample = 1 }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Run(F, x, g, new() { TypicalScales = [1.0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run(F, x, g, new() { TypicalScales = [1.0, 0] }));
    }

    [Fact]
    public void TheReportNamesTheVerdictTheWorstRowsAndTheSettings()
    {
        GradientCase c = GradientCases.Rosenbrock(2);
        string pass = c.Check().ToString();
        Assert.StartsWith("PASS", pass);
        Assert.Contains("noise level", pass);
        Assert.Contains("coordinate", pass);
        Assert.Contains("direction", pass);

        double[] wrong = (double[])c.Gradient.Clone();
        wrong[1] = -wrong[1];
        DerivativeCheckResult failed = c.Check(wrong);
        string fail = failed.ToString();
        Assert.StartsWith("FAIL", fail);
        Assert.Contains(failed.Worst!.Value.ToString(), fail);
        Assert.Equal(failed.Rows.Count + 3, failed.Table().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
