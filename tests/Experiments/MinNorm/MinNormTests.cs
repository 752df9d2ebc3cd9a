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
        Assert.True(r.RateFromRandom.Rate <= r.RateBound + 1e-3, $"{r.RateFromRandom.Rate} vs bound {r.RateBound}");
        Assert.True(r.RateFromRandom.Rate > 0);
        Assert.True(r.RateFromRandom.Settled);
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
        Assert.StartsWith("x_hat = A^T(AA^T)^-1 y does NOT solve A x = y here (residual 1.0e+0", unsolved);
        Assert.DoesNotContain("The solutions are", unsolved);
    }

    [Fact]
    public void A_rate_that_rounds_to_one_is_printed_as_its_distance_from_one()
    {
        Assert.Equal("0.9666", MinNormConclusion.RateText(0.966615, 4));
        Assert.Equal("0.966615", MinNormConclusion.RateText(0.966615, 6));
        // 1 - 3.2e-7 would print as 1.000000: the distance from one is what the conditioning decides.
        Assert.Equal("1 - 3.20e-7", MinNormConclusion.RateText(1 - 3.2e-7, 6));
        Assert.Equal("1 - 3.20e-5", MinNormConclusion.RateText(1 - 3.2e-5, 4));
        Assert.Equal("0.999968", MinNormConclusion.RateText(1 - 3.2e-5, 6));
    }

    [Fact]
    public void The_answer_states_the_smoothness_condition_it_names()
    {
        string answer = MinNormConclusion.Answer(MinNormExperiment.Run(10, 25, 3000, new NormalSampler(11)));
        Assert.Contains("The smoothness condition (6), f(w) <= f(x) + <grad f(x), w - x> + ||w - x||^2/(2 eta) for all x and w, holds with eta = 1/L", answer);
    }

    [Fact]
    public void A_contraction_rate_is_measured_over_its_window_or_said_why_not()
    {
        // Geometric: every step contracts by the same factor, so the mean is settled.
        var geometric = ContractionRate.Of(Enumerable.Range(0, 41).Select(k => Math.Pow(0.5, k)).ToArray());
        Assert.Equal(0.5, geometric.Rate, 12);
        Assert.True(geometric.Settled);
        Assert.Equal((33, 3), (geometric.End, geometric.Start));
        Assert.Equal(34, geometric.RoundingStep);
        // One step to zero: converged at once, not "not measurable".
        var once = ContractionRate.Of([2, 0, 0, 0]);
        Assert.True(once.ConvergedAtOnce);
        Assert.Equal(1, once.RoundingStep);
        // Two directions, the fast one dying out: the mean over the first steps understates the slow rate.
        double[] mixed = Enumerable.Range(0, 3).Select(k => Math.Sqrt(Math.Pow(0.2, 2 * k) + 0.01 * Math.Pow(0.9, 2 * k))).ToArray();
        var early = ContractionRate.Of(mixed);
        Assert.True(early.Measured && !early.Settled);
        Assert.True(early.LastStepRate > early.Rate);
        Assert.Null(early.RoundingStep);
        // One step, still above rounding: too few.
        var one = ContractionRate.Of([1, 0.5]);
        Assert.False(one.Measured || one.ConvergedAtOnce);
    }

    [Fact]
    public void A_one_row_problem_converges_in_one_step_and_says_so()
    {
        // With one row, A^T A / L is the projection on A's row, so a step of 1/L lands on the solution: the QA's
        // "not measurable from 1200 step(s)" for a rate of 0.
        var r = MinNormExperiment.Run(1, 2, 1200, new NormalSampler(4));
        Assert.True(r.RateFromRandom.ConvergedAtOnce && r.RateFromZero.ConvergedAtOnce);
        string answer = MinNormConclusion.Answer(r);
        Assert.Contains("gradient descent converged to rounding in 1 step,", answer);
        Assert.DoesNotContain("not measurable", answer);
    }

    [Fact]
    public void A_rate_from_a_run_too_short_to_settle_says_it_is_still_growing()
    {
        // The QA's --steps 2: 0.727 printed as "observed rate per step" against a bound of 0.967.
        var r = MinNormExperiment.Run(20, 40, 2, new NormalSampler(4));
        Assert.False(r.RateFromRandom.Settled);
        string answer = MinNormConclusion.Answer(r);
        Assert.Contains("Over steps 0 to 2 the error from a random start contracts by", answer);
        Assert.Contains("but its ratio per step is still growing at the last of them", answer);
        Assert.DoesNotContain("The error contracts by", answer);
        Assert.Contains("the run is too short", answer);
    }

    [Fact]
    public void A_rate_cut_short_by_rounding_does_not_blame_the_run_length()
    {
        // The QA's seed 7: the error reached 1e-10 of its start at step 543 while its ratio was still growing; the
        // sentence said "the run is too short" of a run of 1,200 steps, which more steps would not have changed.
        // Two directions of rates 0.9 and 0.95, the slow one weighted 1e-4: it takes over only near rounding level.
        double[] error = Enumerable.Range(0, 1201).Select(k => Math.Pow(0.9, k) + 1e-4 * Math.Pow(0.95, k)).ToArray();
        var rate = ContractionRate.Of(error);
        Assert.True(rate.Measured && !rate.Settled && rate.RoundingStep is not null);
        var r = MinNormExperiment.Run(20, 40, 1200, new NormalSampler(4)) with { ErrorFromRandom = error };
        string answer = MinNormConclusion.Answer(r);
        Assert.Contains(FormattableString.Invariant($"the error fell to rounding level (1e-10 of its start) at step {rate.RoundingStep}, before"), answer);
        Assert.DoesNotContain("too short", answer);
        Assert.EndsWith(FormattableString.Invariant($", rounding level from step {rate.RoundingStep})"), MinNormConclusion.RateSummary(rate, 1200));
    }
}
