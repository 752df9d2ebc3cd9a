using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Tests.Kernels.Factorized;

public class DifferenceOfSquaresDescentTests
{
    [Theory]
    [InlineData(20, 40)]
    [InlineData(7, 13)]
    [InlineData(1, 1)]
    [InlineData(30, 41)]
    public void Vectorized_steps_follow_the_scalar_reference_at_every_width(int rows, int cols)
    {
        var problem = ImplicitL1Problem.Generate(rows, cols, Math.Min(3, cols), new NormalSampler(31));
        var gd = new DifferenceOfSquaresDescent(problem.A, rows, cols, problem.Y);
        const int steps = 1500, every = 7;
        var reference = Run(gd, steps, every, scalar: true);
        foreach (var width in SimdDispatch.Available)
        {
            using var forced = SimdDispatch.Force(width);
            var record = Run(gd, steps, every, scalar: false);
            for (int i = 0; i < record.Length; i++)
                Assert.True(Math.Abs(record[i] - reference[i]) <= 1e-10 * (1 + Math.Abs(reference[i])), $"{width} element {i}: {record[i]} vs {reference[i]}");
        }
    }

    [Fact]
    public void One_step_is_the_hand_computed_update()
    {
        // A = [1 2], y = 1, u = (1, 1), v = (0.5, 0.5): w = (0.75, 0.75), r = 0.75 + 1.5 - 1 = 1.25, g = (1.25, 2.5);
        // with eta = 0.1: u_j <- u_j (1 - 0.2 g_j), v_j <- v_j (1 + 0.2 g_j).
        var gd = new DifferenceOfSquaresDescent([1, 2], 1, 2, [1]);
        double[] u = [1, 1], v = [0.5, 0.5];
        var record = new double[2 * 2];
        gd.Run(u, v, 0.1, 1, 1, record);
        Assert.Equal(0.75, u[0], 15);
        Assert.Equal(0.5, u[1], 15);
        Assert.Equal(0.625, v[0], 15);
        Assert.Equal(0.75, v[1], 15);
        Assert.Equal(0.75 * 0.75 - 0.625 * 0.625, record[2], 15);
    }

    [Fact]
    public void Gradient_is_the_derivative_of_the_objective()
    {
        var problem = ImplicitL1Problem.Generate(6, 11, 3, new NormalSampler(32));
        var gd = new DifferenceOfSquaresDescent(problem.A, 6, 11, problem.Y);
        var sampler = new NormalSampler(33);
        var uv = new double[22];
        sampler.Fill(uv);
        var gu = new double[11];
        var gv = new double[11];
        gd.Gradient(uv.AsSpan(0, 11), uv.AsSpan(11), gu, gv);
        var result = Engine.Kernels.Calculus.GradientCheck.Run(p => gd.Objective(p[..11], p[11..]), uv, [.. gu, .. gv]);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Divergence_stops_the_run()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(34));
        var gd = new DifferenceOfSquaresDescent(problem.A, 20, 40, problem.Y);
        var u = Enumerable.Repeat(3.0, 40).ToArray();
        var v = Enumerable.Repeat(1.0, 40).ToArray();
        var record = new double[FactorizedLeastSquaresDescent.RecordRows(10_000, 10) * 40];
        int done = gd.Run(u, v, 10, 10_000, 10, record);
        Assert.True(done < 10_000);
        Assert.Contains(u.Concat(v), x => !double.IsFinite(x));
    }

    private static double[] Run(DifferenceOfSquaresDescent gd, int steps, int every, bool scalar)
    {
        var u = Enumerable.Repeat(0.1, gd.Cols).ToArray();
        var v = Enumerable.Repeat(0.1, gd.Cols).ToArray();
        var record = new double[FactorizedLeastSquaresDescent.RecordRows(steps, every) * gd.Cols];
        if (scalar) gd.RunScalar(u, v, 0.05, steps, every, record);
        else gd.Run(u, v, 0.05, steps, every, record);
        return record;
    }
}
