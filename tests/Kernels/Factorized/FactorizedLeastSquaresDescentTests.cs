using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Factorized;

public class FactorizedLeastSquaresDescentTests
{
    [Theory]
    [InlineData(20, 40)]
    [InlineData(7, 13)]
    [InlineData(24, 40)]
    [InlineData(1, 1)]
    [InlineData(30, 41)]
    public void Every_variant_follows_the_scalar_reference(int rows, int cols)
    {
        var problem = ImplicitL1Problem.Generate(rows, cols, Math.Min(3, cols), new NormalSampler(21));
        var gd = new FactorizedLeastSquaresDescent(problem.A, rows, cols, problem.Y);
        const int steps = 2000, every = 7;
        var reference = Run(gd, FactorizedLeastSquaresVariant.Scalar, steps, every);
        // Each variant's own bits, taken at the scalar width, must come back at every width.
        var atScalarWidth = new Dictionary<FactorizedLeastSquaresVariant, double[]>();
        using (SimdDispatch.Force(VectorWidth.Scalar))
            foreach (var variant in gd.Available()) atScalarWidth[variant] = Run(gd, variant, steps, every);
        foreach (var width in SimdDispatch.Available)
        {
            using var forced = SimdDispatch.Force(width);
            Assert.Equal(cols <= 40 ? FactorizedLeastSquaresVariant.Gram : FactorizedLeastSquaresVariant.Gemv, gd.Fastest);
            foreach (var variant in gd.Available())
            {
                var record = Run(gd, variant, steps, every);
                for (int i = 0; i < record.Length; i++)
                    Assert.True(Math.Abs(record[i] - reference[i]) <= 1e-10 * (1 + Math.Abs(reference[i])), $"{width} {variant} element {i}: {record[i]} vs {reference[i]}");
                KernelCases.BitEqual<double>(atScalarWidth[variant], record, width);
            }
            Assert.Equal(cols <= 40, gd.Available().Contains(FactorizedLeastSquaresVariant.Gram));
        }
    }

    [Fact]
    public void Records_x0_and_every_kth_iterate()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(22));
        var gd = new FactorizedLeastSquaresDescent(problem.A, 20, 40, problem.Y);
        var record = Run(gd, gd.Fastest, 100, 10);
        Assert.Equal(11 * 40, record.Length);
        Assert.All(record.AsSpan(0, 40).ToArray(), v => Assert.Equal(1e-3, v));
        var x = Enumerable.Repeat(1e-3, 40).ToArray();
        var scratch = new double[FactorizedLeastSquaresDescent.RecordRows(30, 30) * 40];
        gd.Run(x, 1e-2, 30, 30, scratch, gd.Fastest);
        for (int j = 0; j < 40; j++) Assert.Equal(x[j], record[3 * 40 + j], 1e-15);
    }

    [Fact]
    public void Divergence_is_detected()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(23));
        foreach (var variant in new FactorizedLeastSquaresDescent(problem.A, 20, 40, problem.Y).Available())
        {
            var gd = new FactorizedLeastSquaresDescent(problem.A, 20, 40, problem.Y);
            var x = Enumerable.Repeat(3.0, 40).ToArray();
            var record = new double[FactorizedLeastSquaresDescent.RecordRows(10_000, 10) * 40];
            int done = gd.Run(x, 10, 10_000, 10, record, variant);
            Assert.True(done < 10_000, $"{variant} ran all steps");
            Assert.Contains(x, v => !double.IsFinite(v));
        }
    }

    [Fact]
    public void The_last_iterate_is_recorded_when_steps_are_not_a_multiple_of_record_every()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(24));
        var gd = new FactorizedLeastSquaresDescent(problem.A, 20, 40, problem.Y);
        Assert.Equal(2, FactorizedLeastSquaresDescent.RecordRows(100, 1000));
        Assert.Equal(100, FactorizedLeastSquaresDescent.RecordedStep(1, 100, 1000));
        var x = Enumerable.Repeat(1e-3, 40).ToArray();
        var record = Enumerable.Repeat(double.NaN, FactorizedLeastSquaresDescent.RecordRows(25, 10) * 40).ToArray();
        Assert.Equal(25, gd.Run(x, 1e-2, 25, 10, record, gd.Fastest));
        Assert.Equal(4 * 40, record.Length);
        Assert.Equal(x, record.AsSpan(3 * 40, 40).ToArray());
        Assert.Equal(20, FactorizedLeastSquaresDescent.RecordedStep(2, 25, 10));
    }

    private static double[] Run(FactorizedLeastSquaresDescent gd, FactorizedLeastSquaresVariant variant, int steps, int every)
    {
        var x = Enumerable.Repeat(1e-3, gd.Cols).ToArray();
        var record = new double[FactorizedLeastSquaresDescent.RecordRows(steps, every) * gd.Cols];
        gd.Run(x, 1e-2, steps, every, record, variant);
        return record;
    }
}
