using Engine.Kernels.Blas;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Elementwise;

public class SimdDispatchTests
{
    [Theory]
    [InlineData("512", VectorWidth.Vector512)]
    [InlineData(" 256 ", VectorWidth.Vector256)]
    [InlineData("128", VectorWidth.Vector128)]
    [InlineData("0", VectorWidth.Scalar)]
    public void TheEnvironmentCapIsParsed(string text, VectorWidth expected) => Assert.Equal(expected, SimdDispatch.ParseCap(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("avx2")]
    [InlineData("64")]
    public void AnythingElseIsNoCap(string? text) => Assert.Null(SimdDispatch.ParseCap(text));

    [Fact]
    public void TheMaximumIsAvailableAndNoWiderThanTheHardware()
    {
        Assert.True(SimdDispatch.Maximum <= SimdDispatch.Hardware);
        Assert.Equal(SimdDispatch.Hardware, SimdDispatch.Available[0]);
        Assert.Equal(VectorWidth.Scalar, SimdDispatch.Available[^1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => SimdDispatch.Force((VectorWidth)64));
    }

    [Fact]
    public void HotPathsAllocateNothing()
    {
        const int n = 4800;
        float[] z = new float[n], g = new float[n], d = new float[n];
        double[] x = new double[n], y = new double[n];
        var sampler = new NormalSampler(1);
        sampler.Fill(z);
        sampler.Fill(x);
        sampler.Fill(y);
        KernelCases.AtEveryWidth(width =>
        {
            void Calls()
            {
                Relu.Forward(z, d);
                Relu.Backward(z, g, d);
                SoftThreshold.Apply(x, 0.1, y);
                SoftThreshold.ApplyNonnegative(x, 0.1, y);
                Blas1.Axpy(0.5, x, y);
                Blas1.Scal(1.0, y);
                _ = Blas1.Dot(x, y) + Blas1.Nrm2(x) + Blas1.SumOfSquares(x) + Blas1.MaxAbs(x) + Blas1.Dot(z, g) + Blas1.Nrm2(z);
                sampler.Fill(z);
                sampler.Fill(x.AsSpan(0, 999));
                _ = sampler.NextNormal();
            }

            // A kernel that allocates does so on every call; a one-off allocation on the thread (seen once in a full
            // suite run, never when the test ran alone) does not repeat, so the least of three measured calls is the
            // kernels' own.
            for (int i = 0; i < 3; i++) Calls();
            long least = long.MaxValue;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Calls();
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, least);
        });
    }
}
