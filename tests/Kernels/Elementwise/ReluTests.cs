using Engine.Kernels.Elementwise;
using Engine.Kernels.Simd;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Engine.Tests.Kernels.KernelCases;

namespace Engine.Tests.Kernels.Elementwise;

public class ReluTests
{
    [Property(MaxTest = 60)]
    public Property ForwardMatchesTheDefinitionAtEveryWidth() => Prop.ForAll(Cases, c =>
    {
        double[] z = Doubles(c, 0.0, -0.0, double.NaN);
        float[] zf = Floats(c, 0f, -0f, float.NaN);
        double[] expected = Array.ConvertAll(z, v => v > 0 ? v : 0.0);
        float[] expectedF = Array.ConvertAll(zf, v => v > 0 ? v : 0f);
        AtEveryWidth(width =>
        {
            var a = new double[z.Length];
            Relu.Forward(z, a);
            BitEqual<double>(expected, a, width);
            var af = new float[zf.Length];
            Relu.Forward(zf, af);
            BitEqual<float>(expectedF, af, width);

            // In place: the overlapping last vector must see the original values.
            double[] inPlace = (double[])z.Clone();
            Relu.Forward(inPlace, inPlace);
            BitEqual<double>(expected, inPlace, width);
        });
    });

    [Property(MaxTest = 60)]
    public Property BackwardMasksTheGradientBySignAtEveryWidth() => Prop.ForAll(Cases, c =>
    {
        double[] z = Doubles(c, 0.0, -0.0);
        double[] g = OtherDoubles(c);
        float[] zf = Floats(c, 0f, -0f);
        float[] gf = OtherFloats(c);
        double[] expected = new double[z.Length];
        float[] expectedF = new float[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            expected[i] = z[i] > 0 ? g[i] : 0.0;
            expectedF[i] = zf[i] > 0 ? gf[i] : 0f;
        }
        AtEveryWidth(width =>
        {
            var gradIn = new double[z.Length];
            Relu.Backward(z, g, gradIn);
            BitEqual<double>(expected, gradIn, width);
            var gradInF = new float[z.Length];
            Relu.Backward(zf, gf, gradInF);
            BitEqual<float>(expectedF, gradInF, width);

            double[] inPlace = (double[])g.Clone();
            Relu.Backward(z, inPlace, inPlace);
            BitEqual<double>(expected, inPlace, width);
        });
    });

    [Fact]
    public void BackwardIsTheGradientOfTheWeightedActivationSum()
    {
        // f(z) = sum_i g_i relu(z_i); its gradient is what Backward returns for gradOut = g.
        var sampler = new Engine.Kernels.Random.NormalSampler(11);
        const int n = 97;
        double[] z = new double[n], g = new double[n];
        sampler.Fill(z);
        sampler.Fill(g);
        for (int i = 0; i < n; i++) if (Math.Abs(z[i]) < 1e-3) z[i] = 0.5; // away from the kink
        var a = new double[n];
        double F(double[] point)
        {
            Relu.Forward(point, a);
            double s = 0;
            for (int i = 0; i < n; i++) s += g[i] * a[i];
            return s;
        }

        AtEveryWidth(width =>
        {
            var gradient = new double[n];
            Relu.Backward(z, g, gradient);
            const double h = 1e-6;
            for (int i = 0; i < n; i++)
            {
                double[] plus = (double[])z.Clone(), minus = (double[])z.Clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (F(plus) - F(minus)) / (2 * h);
                Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-8 * (1 + Math.Abs(g[i])), $"{width}: coordinate {i}: analytic {gradient[i]}, numeric {numeric}");
            }
        });
    }

    [Fact]
    public void PartialOverlapAndLengthMismatchAreRejected()
    {
        var buffer = new float[40];
        Assert.Throws<ArgumentException>(() => Relu.Forward(buffer.AsSpan(0, 32), buffer.AsSpan(1, 32)));
        Assert.Throws<ArgumentException>(() => Relu.Forward(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => Relu.Backward(new double[3], new double[3], new double[2]));
    }

    [Fact]
    public void ForcingAWidthFlowsIntoParallelWorkAndNowhereElse()
    {
        VectorWidth before = SimdDispatch.Current;
        using (SimdDispatch.Force(VectorWidth.Scalar))
        {
            Assert.Equal(VectorWidth.Scalar, SimdDispatch.Current);
            // Work started inside the scope (a parallel loop) runs at the forced width ...
            var seen = new VectorWidth[8];
            Parallel.For(0, seen.Length, i => seen[i] = SimdDispatch.Current);
            Assert.All(seen, w => Assert.Equal(VectorWidth.Scalar, w));
            // ... while a thread that does not inherit this flow, like every other test's, does not see it.
            VectorWidth other = VectorWidth.Scalar;
            var thread = new Thread(() => other = SimdDispatch.Current);
            thread.UnsafeStart();
            thread.Join();
            Assert.Equal(SimdDispatch.Maximum, other);
        }
        Assert.Equal(before, SimdDispatch.Current);
        Assert.Contains(VectorWidth.Scalar, SimdDispatch.Available);
    }
}
