using Engine.Kernels.Blas;
using Engine.Kernels.Simd;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Engine.Tests.Kernels.KernelCases;

namespace Engine.Tests.Kernels.Blas;

public class Blas1Tests
{
    private const double DoubleEps = 1.1102230246251565e-16;
    private const double FloatEps = 5.9604645e-8;

    [Property(MaxTest = 60)]
    public Property ReductionsMatchPlainSumsAtEveryWidth() => Prop.ForAll(Cases, c =>
    {
        double[] x = Doubles(c, 0.0), y = OtherDoubles(c);
        float[] xf = Floats(c, 0f), yf = OtherFloats(c);
        int n = x.Length;

        // References in double (for float data: exact products, then a double sum), with their magnitude sums
        // for the error bound n * eps * sum |x_i y_i| of any summation order.
        double dot = 0, dotMagnitude = 0, squares = 0, dotF = 0, dotFMagnitude = 0, squaresF = 0, maxAbs = 0;
        float maxAbsF = 0;
        for (int i = 0; i < n; i++)
        {
            dot += x[i] * y[i];
            dotMagnitude += Math.Abs(x[i] * y[i]);
            squares += x[i] * x[i];
            dotF += (double)xf[i] * yf[i];
            dotFMagnitude += Math.Abs((double)xf[i] * yf[i]);
            squaresF += (double)xf[i] * xf[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(x[i]));
            maxAbsF = Math.Max(maxAbsF, Math.Abs(xf[i]));
        }

        AtEveryWidth(width =>
        {
            AssertClose(dot, Blas1.Dot(x, y), 2 * (n + 1) * DoubleEps * dotMagnitude, width, "Dot");
            AssertClose(squares, Blas1.SumOfSquares(x), 2 * (n + 1) * DoubleEps * squares, width, "SumOfSquares");
            AssertClose(Math.Sqrt(squares), Blas1.Nrm2(x), 4 * (n + 1) * DoubleEps * Math.Sqrt(squares), width, "Nrm2");
            AssertClose(dotF, Blas1.Dot(xf, yf), 2 * (n + 1) * FloatEps * dotFMagnitude, width, "Dot float");
            AssertClose(squaresF, Blas1.SumOfSquares(xf), 2 * (n + 1) * FloatEps * squaresF, width, "SumOfSquares float");
            AssertClose(Math.Sqrt(squaresF), Blas1.Nrm2(xf), 4 * (n + 1) * FloatEps * Math.Sqrt(squaresF), width, "Nrm2 float");
            Assert.Equal(maxAbs, Blas1.MaxAbs(x));
            Assert.Equal(maxAbsF, Blas1.MaxAbs(xf));
        });
    });

    [Property(MaxTest = 60)]
    public Property AxpyAndScalMatchTheScalarPathBitForBit() => Prop.ForAll(Cases, c =>
    {
        double[] x = Doubles(c), y = OtherDoubles(c);
        float[] xf = Floats(c), yf = OtherFloats(c);
        const double alpha = -0.7315;
        const float alphaF = -0.7315f;
        double[] axpy, scal;
        float[] axpyF, scalF;
        using (SimdDispatch.Force(VectorWidth.Scalar))
        {
            axpy = (double[])y.Clone();
            Blas1.Axpy(alpha, x, axpy);
            scal = (double[])x.Clone();
            Blas1.Scal(alpha, scal);
            axpyF = (float[])yf.Clone();
            Blas1.Axpy(alphaF, xf, axpyF);
            scalF = (float[])xf.Clone();
            Blas1.Scal(alphaF, scalF);
        }
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] * alpha, scal[i]);
            Assert.True(Math.Abs(axpy[i] - (y[i] + alpha * x[i])) <= 2 * DoubleEps * (Math.Abs(y[i]) + Math.Abs(alpha * x[i])));
        }
        AtEveryWidth(width =>
        {
            double[] d = (double[])y.Clone();
            Blas1.Axpy(alpha, x, d);
            BitEqual<double>(axpy, d, width);
            d = (double[])x.Clone();
            Blas1.Scal(alpha, d);
            BitEqual<double>(scal, d, width);
            float[] f = (float[])yf.Clone();
            Blas1.Axpy(alphaF, xf, f);
            BitEqual<float>(axpyF, f, width);
            f = (float[])xf.Clone();
            Blas1.Scal(alphaF, f);
            BitEqual<float>(scalF, f, width);
        });
    });

    [Fact]
    public void ReductionsDoNotDependOnAlignment()
    {
        var sampler = new Engine.Kernels.Random.NormalSampler(5);
        double[] data = new double[1000];
        sampler.Fill(data);
        float[] dataF = Array.ConvertAll(data, v => (float)v);
        AtEveryWidth(width =>
        {
            double reference = Blas1.Dot(data.AsSpan(0, 977), data.AsSpan(1, 977));
            float referenceF = Blas1.SumOfSquares(dataF.AsSpan(0, 977));
            var shifted = new double[1000];
            var shiftedF = new float[1000];
            for (int offset = 1; offset < 17; offset++)
            {
                data.AsSpan(0, 978).CopyTo(shifted.AsSpan(offset));
                dataF.AsSpan(0, 977).CopyTo(shiftedF.AsSpan(offset));
                Assert.Equal(reference, Blas1.Dot(shifted.AsSpan(offset, 977), shifted.AsSpan(offset + 1, 977)));
                Assert.Equal(referenceF, Blas1.SumOfSquares(shiftedF.AsSpan(offset, 977)));
            }
        });
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    [InlineData(double.Epsilon)]
    [InlineData(1.7e308)]
    [InlineData(1.0)]
    public void Nrm2NeitherOverflowsNorUnderflows(double magnitude)
    {
        foreach (int n in new[] { 1, 2, 3, 7, 16, 33, 100 })
        {
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? magnitude : -magnitude;
            // Every element has the same magnitude, so the norm is magnitude * sqrt(n), up to the rounding of an n-term sum.
            double expected = magnitude * Math.Sqrt(n);
            if (magnitude == double.Epsilon) expected = magnitude * Math.Round(Math.Sqrt(n)); // subnormal results are rounded to multiples of epsilon
            if (!double.IsFinite(expected)) continue;
            AtEveryWidth(width =>
            {
                double actual = Blas1.Nrm2(x);
                Assert.True(double.IsFinite(actual) && actual > 0, $"{width}: n={n} |x_i|={magnitude}: nrm2 = {actual}");
                Assert.True(Math.Abs(actual - expected) <= Math.Max(2 * n * DoubleEps * expected, double.Epsilon), $"{width}: n={n} |x_i|={magnitude}: nrm2 = {actual}, expected {expected}");
            });
        }
    }

    [Theory]
    [InlineData(1e30f)]
    [InlineData(3e38f)]
    [InlineData(1e-30f)]
    [InlineData(1e-44f)]
    public void FloatNrm2NeitherOverflowsNorUnderflows(float magnitude)
    {
        foreach (int n in new[] { 1, 2, 5, 16, 33, 100 })
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i % 3 == 0 ? -magnitude : magnitude;
            double expected = magnitude * Math.Sqrt(n);
            if (expected > float.MaxValue) continue;
            AtEveryWidth(width =>
            {
                float actual = Blas1.Nrm2(x);
                Assert.True(float.IsFinite(actual) && actual > 0, $"{width}: n={n} |x_i|={magnitude}: nrm2 = {actual}");
                double tolerance = magnitude < 1e-38f ? 1.5 * float.Epsilon : 2 * n * FloatEps * expected;
                Assert.True(Math.Abs(actual - expected) <= tolerance, $"{width}: n={n} |x_i|={magnitude}: nrm2 = {actual}, expected {expected}");
            });
        }
    }

    [Fact]
    public void Nrm2MixesScalesAndPropagatesSpecials()
    {
        AtEveryWidth(width =>
        {
            // A huge and a tiny element: the tiny one must not disturb the result, and nothing overflows.
            var mixed = new double[37];
            mixed[3] = 3e300;
            mixed[30] = 4e300;
            mixed[31] = 1e-300;
            Assert.Equal(5e300, Blas1.Nrm2(mixed), 1e286);
            foreach (int n in new[] { 1, 9, 40 })
            {
                for (int at = 0; at < n; at += Math.Max(1, n / 4))
                {
                    var x = new double[n];
                    x[at] = double.NaN;
                    Assert.True(double.IsNaN(Blas1.Nrm2(x)), $"{width}: NaN at {at} of {n}");
                    Assert.True(double.IsNaN(Blas1.MaxAbs(x)), $"{width}: MaxAbs with NaN at {at} of {n}");
                    Assert.True(float.IsNaN(Blas1.MaxAbs(Array.ConvertAll(x, v => (float)v))), $"{width}: float MaxAbs with NaN at {at} of {n}");
                    x[at] = double.NegativeInfinity;
                    Assert.Equal(double.PositiveInfinity, Blas1.Nrm2(x));
                    Assert.Equal(double.PositiveInfinity, Blas1.MaxAbs(x));
                }
            }
            Assert.Equal(0.0, Blas1.Nrm2(new double[20]));
            Assert.Equal(0.0, Blas1.Nrm2(ReadOnlySpan<double>.Empty));
            Assert.Equal(0.0, Blas1.MaxAbs(ReadOnlySpan<double>.Empty));
            Assert.Equal(0.0, Blas1.Dot(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        });
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Blas1.Dot(new double[3], new double[4]));
        Assert.Throws<ArgumentException>(() => Blas1.Axpy(1f, new float[3], new float[2]));
    }

    private static void AssertClose(double expected, double actual, double tolerance, VectorWidth width, string what)
    {
        Assert.True(Math.Abs(actual - expected) <= tolerance + 1e-300, $"{width}: {what} = {actual}, expected {expected} (tolerance {tolerance:E2})");
    }
}
