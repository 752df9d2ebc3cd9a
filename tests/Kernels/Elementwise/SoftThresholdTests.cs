using Engine.Kernels.Elementwise;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Engine.Tests.Kernels.KernelCases;

namespace Engine.Tests.Kernels.Elementwise;

public class SoftThresholdTests
{
    private static readonly Arbitrary<(Case Case, double T)> CasesWithThreshold = Arb.From(
        from c in Cases.Generator
        from t in Gen.Elements(0.0, 0.1, 0.5, 1.0, 2.5)
        select (c, t * Math.Pow(10, c.Exponent)));

    [Property(MaxTest = 60)]
    public Property SpansMatchTheScalarDefinitionAtEveryWidth() => Prop.ForAll(CasesWithThreshold, input =>
    {
        (Case c, double t) = input;
        float tf = (float)t;
        double[] x = Doubles(c, 0.0, t, -t, double.NaN);
        float[] xf = Floats(c, 0f, tf, -tf);
        double[] expected = Array.ConvertAll(x, v => v > t ? v - t : v < -t ? v + t : 0.0);
        double[] expectedNonnegative = Array.ConvertAll(x, v => v > t ? v - t : 0.0);
        float[] expectedF = Array.ConvertAll(xf, v => v > tf ? v - tf : v < -tf ? v + tf : 0f);
        float[] expectedNonnegativeF = Array.ConvertAll(xf, v => v > tf ? v - tf : 0f);
        AtEveryWidth(width =>
        {
            var p = new double[x.Length];
            SoftThreshold.Apply(x, t, p);
            BitEqual<double>(expected, p, width);
            SoftThreshold.ApplyNonnegative(x, t, p);
            BitEqual<double>(expectedNonnegative, p, width);
            var pf = new float[xf.Length];
            SoftThreshold.Apply(xf, tf, pf);
            BitEqual<float>(expectedF, pf, width);
            SoftThreshold.ApplyNonnegative(xf, tf, pf);
            BitEqual<float>(expectedNonnegativeF, pf, width);

            // Soft-thresholding twice is not soft-thresholding once: in place catches a re-read of stored values.
            double[] inPlace = (double[])x.Clone();
            SoftThreshold.Apply(inPlace, t, inPlace);
            BitEqual<double>(expected, inPlace, width);
        });
        for (int i = 0; i < x.Length; i++) Assert.Equal(expected[i], SoftThreshold.Apply(x[i], t));
    });

    [Property(MaxTest = 200)]
    public Property OutputSatisfiesTheProximalOptimalityCondition() => Prop.ForAll(ProxInputs, input =>
    {
        // p = argmin 1/2 (p - x)^2 + t |p|  <=>  x - p in t * subdifferential |.| at p.
        (double x, double t) = input;
        double p = SoftThreshold.Apply(x, t);
        double tolerance = 1e-14 * (Math.Abs(x) + t);
        if (p != 0) Assert.True(Math.Abs(x - p - t * Math.Sign(p)) <= tolerance, $"x={x} t={t} p={p}: x - p != t sign(p)");
        else Assert.True(Math.Abs(x) <= t, $"x={x} t={t}: p = 0 but |x| > t");
        AssertMinimizes(x, t, p, q => t * Math.Abs(q), allowNegative: true);
    });

    [Property(MaxTest = 200)]
    public Property NonnegativeOutputSatisfiesItsKktConditions() => Prop.ForAll(ProxInputs, input =>
    {
        // p = argmin over p >= 0 of 1/2 (p - x)^2 + t p: with multiplier mu >= 0 for p >= 0,
        // p - x + t - mu = 0 and mu p = 0, i.e. p > 0 with x - p = t, or p = 0 with x <= t.
        (double x, double t) = input;
        double p = SoftThreshold.ApplyNonnegative(x, t);
        Assert.True(p >= 0, $"x={x} t={t}: p = {p} < 0");
        double tolerance = 1e-14 * (Math.Abs(x) + t);
        if (p > 0) Assert.True(Math.Abs(x - p - t) <= tolerance, $"x={x} t={t} p={p}: x - p != t");
        else Assert.True(x <= t, $"x={x} t={t}: p = 0 but x > t");
        AssertMinimizes(x, t, p, q => t * q, allowNegative: false);
    });

    private static readonly Arbitrary<(double X, double T)> ProxInputs = Arb.From(
        from x in Gen.Choose(-400_000, 400_000)
        from t in Gen.Choose(0, 200_000)
        from exponent in Gen.Elements(-3, 0, 3)
        let scale = Math.Pow(10, exponent) / 100_000
        select (x * scale, t * scale));

    private static void AssertMinimizes(double x, double t, double p, Func<double, double> penalty, bool allowNegative)
    {
        double Objective(double q) => 0.5 * (q - x) * (q - x) + penalty(q);
        double best = Objective(p);
        double scale = Math.Abs(x) + t + 1e-300;
        foreach (double relative in new[] { 1e-1, 1e-3, 1e-6 })
        {
            foreach (double q in new[] { p + relative * scale, p - relative * scale })
            {
                if (!allowNegative && q < 0) continue;
                Assert.True(best <= Objective(q) + 1e-15 * scale * scale, $"x={x} t={t}: objective at p={p} is {best}, at {q} it is {Objective(q)}");
            }
        }
    }

    [Fact]
    public void InPlaceMatchesOutOfPlaceAtEveryOffsetAndLength()
    {
        // The vector loops store from an aligned index and then the overlapping first and last vectors; shifting the
        // span through every offset of a cache line moves the aligned start through every lane.
        var sampler = new Engine.Kernels.Random.NormalSampler(8);
        double[] source = new double[300];
        sampler.Fill(source);
        float[] sourceF = Array.ConvertAll(source, v => (float)v);
        AtEveryWidth(width =>
        {
            foreach (int n in new[] { 1, 7, 8, 9, 16, 17, 33, 64, 65, 100, 255 })
            {
                for (int offset = 0; offset < 16; offset++)
                {
                    var expected = new double[n];
                    SoftThreshold.Apply(source.AsSpan(offset, n), 0.3, expected);
                    double[] buffer = (double[])source.Clone();
                    SoftThreshold.Apply(buffer.AsSpan(offset, n), 0.3, buffer.AsSpan(offset, n));
                    BitEqual<double>(expected, buffer.AsSpan(offset, n), width);
                    BitEqual<double>(source.AsSpan(offset + n), buffer.AsSpan(offset + n), width);

                    var expectedF = new float[n];
                    SoftThreshold.ApplyNonnegative(sourceF.AsSpan(offset, n), 0.3f, expectedF);
                    float[] bufferF = (float[])sourceF.Clone();
                    SoftThreshold.ApplyNonnegative(bufferF.AsSpan(offset, n), 0.3f, bufferF.AsSpan(offset, n));
                    BitEqual<float>(expectedF, bufferF.AsSpan(offset, n), width);
                    BitEqual<float>(sourceF.AsSpan(0, offset), bufferF.AsSpan(0, offset), width);
                }
            }
        });
    }

    [Fact]
    public void NegativeOrNaNThresholdIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftThreshold.Apply(new double[2], -1, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftThreshold.ApplyNonnegative(new float[2], float.NaN, new float[2]));
    }
}
