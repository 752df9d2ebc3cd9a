using Engine.Experiments.MinNorm;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.MinNorm;

public class MinNormTests
{
    [Fact]
    public void Minimum_norm_solution_interpolates_lies_in_the_row_space_and_is_shortest()
    {
        var problem = MinNormProblem.Random(8, 21, new NormalSampler(7));
        double[] xHat = problem.MinimumNormSolution;
        var r = new double[problem.Rows];
        problem.Residual(xHat, r);
        Assert.All(r, v => Assert.True(Math.Abs(v) < 1e-10));
        // In the row space: its null-space component vanishes.
        Assert.All(problem.NullSpaceComponent(xHat), v => Assert.True(Math.Abs(v) < 1e-10));
        // Any other solution x_hat + v, v in the null space, is longer.
        var v0 = new double[problem.Cols];
        new NormalSampler(8).Fill(v0);
        var v = problem.NullSpaceComponent(v0);
        var other = xHat.Select((x, i) => x + v[i]).ToArray();
        problem.Residual(other, r);
        Assert.All(r, e => Assert.True(Math.Abs(e) < 1e-9));
        Assert.True(Norm(other) > Norm(xHat));
    }

    [Fact]
    public void L_is_the_largest_eigenvalue_and_gives_the_smoothness_inequality()
    {
        var problem = MinNormProblem.Random(6, 15, new NormalSampler(9));
        var sampler = new NormalSampler(10);
        double best = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var x = new double[problem.Cols];
            var w = new double[problem.Cols];
            sampler.Fill(x);
            sampler.Fill(w);
            // ||A d||^2 <= L ||d||^2, with equality approached by some direction.
            var d = w.Select((wi, i) => wi - x[i]).ToArray();
            var ad = new double[problem.Rows];
            Engine.Kernels.Blas.Gemv.Multiply(Engine.Kernels.Gemm.Op.None, problem.Rows, problem.Cols, 1, problem.A, problem.Cols, d, 0, ad);
            double ratio = ad.Sum(e => e * e) / d.Sum(e => e * e);
            Assert.True(ratio <= problem.L * (1 + 1e-12));
            best = Math.Max(best, ratio);
            // (6): f(w) <= f(x) + <grad f(x), w - x> + L/2 ||w - x||^2.
            var rx = new double[problem.Rows];
            problem.Residual(x, rx);
            var grad = new double[problem.Cols];
            Engine.Kernels.Blas.Gemv.Multiply(Engine.Kernels.Gemm.Op.Transpose, problem.Rows, problem.Cols, 1, problem.A, problem.Cols, rx, 0, grad);
            double bound = problem.Objective(x) + grad.Select((g, i) => g * d[i]).Sum() + problem.L / 2 * d.Sum(e => e * e);
            Assert.True(problem.Objective(w) <= bound * (1 + 1e-12));
        }
        Assert.True(problem.SmallestPositiveEigenvalue > 0 && problem.SmallestPositiveEigenvalue < problem.L);
        Assert.True(best > 0.1 * problem.SmallestPositiveEigenvalue);
    }

    [Fact]
    public void Gradient_descent_limits_are_the_minimum_norm_solution_and_its_shift_by_the_null_space_part()
    {
        var r = MinNormExperiment.Run(10, 25, 3000, new NormalSampler(11));
        Assert.True(r.ResidualOfMinimumNorm < 1e-10);
        Assert.True(r.DistanceFromZeroRun < 1e-9);
        Assert.True(r.DistanceRandomRunToPredictedLimit < 1e-9);
        Assert.Equal(r.NullSpaceNormOfStart, r.DistanceFromRandomRun, 1e-8);
        Assert.True(r.NullSpaceNormOfStart > 0.1);
        Assert.True(r.ObservedRateFromRandom <= r.RateBound + 1e-3, $"{r.ObservedRateFromRandom} vs bound {r.RateBound}");
        Assert.True(r.ObservedRateFromRandom > 0);
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));

    [Fact]
    public void Answer_follows_the_limits_of_both_runs()
    {
        var r = MinNormExperiment.Run(10, 25, 3000, new NormalSampler(11));
        string answer = MinNormConclusion.Answer(r);
        Assert.Contains("it converges to the minimum-l2-norm solution", answer);
        Assert.Contains("from x_hat plus the start's null-space component, which gradient descent never changes", answer);
        var shifted = r with { DistanceFromZeroRun = 1, DistanceFromRandomRun = r.NullSpaceNormOfStart + 1, DistanceRandomRunToPredictedLimit = 1 };
        string other = MinNormConclusion.Answer(shifted);
        Assert.Contains("NOT at the minimum-norm solution", other);
        Assert.Contains("not where gradient descent should end", other);
        // The same distance to x_hat as the component's norm, but another point: the point is what is checked.
        string elsewhere = MinNormConclusion.Answer(r with { DistanceRandomRunToPredictedLimit = 0.5 });
        Assert.Contains("not where gradient descent should end", elsewhere);
        Assert.StartsWith("The solutions are x_hat + null(A)", answer);
        // An x_hat that leaves a residual is not called the minimum-norm solution's family.
        string unsolved = MinNormConclusion.Answer(r with { ResidualOfMinimumNorm = 1 });
        Assert.StartsWith("x_hat = A^T(AA^T)^-1 y does NOT solve A x = y here (residual 1.0E+000", unsolved);
        Assert.DoesNotContain("The solutions are", unsolved);
    }

    [Fact]
    public void A_rate_that_rounds_to_one_is_printed_as_its_distance_from_one()
    {
        Assert.Equal("0.9666", MinNormConclusion.RateText(0.966615, 4));
        Assert.Equal("0.966615", MinNormConclusion.RateText(0.966615, 6));
        // 1 - 3.2E-007 would print as 1.000000: the distance from one is what the conditioning decides.
        Assert.Equal("1 - 3.20E-007", MinNormConclusion.RateText(1 - 3.2e-7, 6));
        Assert.Equal("1 - 3.20E-005", MinNormConclusion.RateText(1 - 3.2e-5, 4));
        Assert.Equal("0.999968", MinNormConclusion.RateText(1 - 3.2e-5, 6));
    }
}
