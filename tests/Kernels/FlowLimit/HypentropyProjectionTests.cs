using Engine.Kernels.FlowLimit;
using Engine.Kernels.Lasso;
using static Engine.Tests.Kernels.FlowLimit.FlowLimitCases;

namespace Engine.Tests.Kernels.FlowLimit;

public class HypentropyProjectionTests
{
    [Theory, MemberData(nameof(EntropicProjectionTests.Shapes), MemberType = typeof(EntropicProjectionTests))]
    public void Limit_satisfies_the_optimality_conditions(ulong seed, int n, int m, int k)
    {
        foreach (bool signedTarget in new[] { true, false })
        {
            var c = Homework(seed, n, m, k, signed: signedTarget);
            var projection = new HypentropyProjection(c.A, n, m, c.Y);
            foreach (double a in new[] { 1, 0.1, 1e-3, 1e-10, 1e-20, 1e-30 })
            {
                var result = projection.Solve(a);
                var logPrior = Enumerable.Repeat(2 * Math.Log(a), m).ToArray();
                AssertHypentropyKkt(c, logPrior, logPrior, result, $"{c} seed {seed} signed x* {signedTarget} a = {a:E0}");
            }
        }
    }

    [Theory]
    [InlineData(1e-20)]
    [InlineData(1e-30)]
    [InlineData(1e-100)]
    public void Tiny_initializations_converge_to_the_stopping_rule(double a)
    {
        for (ulong seed = 11; seed <= 14; seed++)
        {
            var c = Homework(seed, signed: true);
            var result = HypentropyProjection.Of(c.A, c.N, c.M, c.Y, a);
            var logPrior = Enumerable.Repeat(2 * Math.Log(a), c.M).ToArray();
            AssertHypentropyKkt(c, logPrior, logPrior, result, $"seed {seed} a = {a:E0}");
        }
    }

    [Fact]
    public void Unequal_general_priors_are_solved()
    {
        var c = Homework(22, signed: true);
        var plus = Enumerable.Range(0, c.M).Select(j => Math.Pow(10, -40.0 * j / (c.M - 1))).ToArray();
        var minus = plus.Reverse().ToArray();
        var result = new HypentropyProjection(c.A, c.N, c.M, c.Y).Solve(plus, minus);
        AssertHypentropyKkt(c, plus.Select(v => Math.Log(v)).ToArray(), minus.Select(v => Math.Log(v)).ToArray(), result, "graded priors");
    }

    [Fact]
    public void Limit_minimizes_the_hypentropy_potential_among_nearby_interpolants()
    {
        var c = Homework(31, 5, 10, 3, signed: true);
        double a = 0.1, a2 = a * a;
        var w = HypentropyProjection.Of(c.A, c.N, c.M, c.Y, a).W;
        double Potential(double[] x) => x.Sum(v => v * Math.Asinh(v / (2 * a2)) - Math.Sqrt(v * v + 4 * a2 * a2));
        double best = Potential(w);
        var sampler = new Engine.Kernels.Random.NormalSampler(33);
        for (int trial = 0; trial < 50; trial++)
        {
            var v = new double[c.M];
            sampler.Fill(v);
            EntropicProjectionTests.ProjectOntoNullSpace(c, v);
            double step = 1e-2 / v.Max(Math.Abs);
            foreach (double sign in new[] { -1.0, 1.0 })
            {
                var other = w.Select((x, j) => x + sign * step * v[j]).ToArray();
                Assert.True(Potential(other) >= best - 1e-14, $"trial {trial}: {Potential(other):R} < {best:R}");
            }
        }
    }

    [Fact]
    public void Gradient_descent_limits_approach_the_flow_limit_linearly_in_the_step_size()
    {
        var c = Homework(42, 5, 10, 3, signed: true);
        foreach (double a in new[] { 0.5, 0.1 })
        {
            var limit = HypentropyProjection.Of(c.A, c.N, c.M, c.Y, a);
            var distances = new List<double>();
            foreach (double eta in new[] { 0.04, 0.02, 0.01, 0.005 })
            {
                var u = Enumerable.Repeat(a, c.M).ToArray();
                var v = Enumerable.Repeat(a, c.M).ToArray();
                double[] w = SignedGradientDescent(c, u, v, eta, 1_000_000, 1e-12, out int steps);
                Assert.True(steps < 1_000_000, $"a = {a}, eta = {eta}: gradient descent did not converge");
                distances.Add(MaxAbsDifference(w, limit.W));
            }
            for (int t = 1; t < distances.Count; t++)
            {
                double ratio = distances[t] / distances[t - 1];
                Assert.True(ratio is > 0.4 and < 0.6, $"a = {a}: halving eta took the distance from {distances[t - 1]:E3} to {distances[t]:E3}");
            }
            Assert.True(distances[^1] <= 1e-3 * limit.W.Max(Math.Abs), $"a = {a}: distance {distances[^1]:E3} at eta = 0.005");
        }
    }

    [Fact]
    public void Projecting_an_iterate_part_way_predicts_where_gradient_descent_ends()
    {
        var c = Homework(42, 5, 10, 3, signed: true);
        double a = 0.1, eta = 0.005;
        var u = Enumerable.Repeat(a, c.M).ToArray();
        var v = Enumerable.Repeat(a, c.M).ToArray();
        double[] partWay = SignedGradientDescent(c, u, v, eta, 1_000_000, 1e-2, out _);
        double[] plus = u.Select(x => x * x).ToArray(), minus = v.Select(x => x * x).ToArray();
        double[] end = SignedGradientDescent(c, u, v, eta, 1_000_000, 1e-12, out _);

        var predicted = new HypentropyProjection(c.A, c.N, c.M, c.Y).Solve(plus, minus);
        AssertHypentropyKkt(c, plus.Select(v => Math.Log(v)).ToArray(), minus.Select(v => Math.Log(v)).ToArray(), predicted, "priors = iterate");
        double travelled = MaxAbsDifference(partWay, end);
        double error = MaxAbsDifference(predicted.W, end);
        Assert.True(error <= 0.02 * travelled, $"the projection is {error:E3} from the end, the iterate was {travelled:E3} from it");
        Assert.True(error <= 1e-3 * end.Max(Math.Abs), $"error {error:E3}");
    }

    [Fact]
    public void Small_initializations_tend_to_the_unique_minimum_l1_interpolant()
    {
        // min ||w||_1 subject to A w = y as a linear program in (w+, w-), solved over every basis.
        for (ulong seed = 51; seed <= 54; seed++)
        {
            var c = Homework(seed, 5, 10, 3, signed: true);
            var split = new double[c.N * 2 * c.M];
            for (int i = 0; i < c.N; i++)
                for (int j = 0; j < c.M; j++)
                {
                    split[i * 2 * c.M + j] = c.A[i * c.M + j];
                    split[i * 2 * c.M + c.M + j] = -c.A[i * c.M + j];
                }
            double[]? vertex = UniqueOptimalVertex(split, c.N, 2 * c.M, c.Y, Enumerable.Repeat(1.0, 2 * c.M).ToArray());
            Assert.NotNull(vertex);
            AssertTendsTo(c, Enumerable.Range(0, c.M).Select(j => vertex![j] - vertex[c.M + j]).ToArray(), $"seed {seed}");
        }
    }

    [Fact]
    public void On_the_homework_instance_the_limit_tends_to_the_end_of_the_lasso_path()
    {
        var c = Homework(1, signed: true);
        var l1 = Homotopy.Path(LassoProblem.FromRowMajor(c.A, c.N, c.M, c.Y)).End;
        AssertTendsTo(c, l1, "homework");
    }

    [Fact]
    public void A_target_outside_the_range_of_a_rank_deficient_matrix_is_rejected()
    {
        // Row 2 repeats row 0, but y does not.
        double[] a = [1, 2, 3, 4, 0, 1, 0, 1, 1, 2, 3, 4];
        var error = Assert.Throws<ArgumentException>(() => new HypentropyProjection(a, 3, 4, [1, 1, 2]));
        Assert.Contains("range", error.Message);
        var consistent = HypentropyProjection.Of(a, 3, 4, [1, 1, 1], 0.1);
        Assert.True(consistent.Converged && consistent.RelativeResidual <= 1e-12);
        Assert.Equal(0, consistent.Nu[0] * consistent.Nu[2]); // one of the two equal rows is dropped
    }

    // The distance to the l1 solution shrinks like a^(2 delta), delta the smallest reduced cost of the l1 linear
    // program, so instances with small margins need a far below 1e-30; the log-domain solver gets there.
    private static void AssertTendsTo(FlowLimitCase c, double[] l1, string label)
    {
        var projection = new HypentropyProjection(c.A, c.N, c.M, c.Y);
        double[] scales = [1e-2, 1e-5, 1e-10, 1e-30, 1e-100];
        double size = l1.Max(Math.Abs);
        var distances = FlowLimitSweep.Run(projection, scales).Select(r => MaxAbsDifference(r.W, l1)).ToArray();
        for (int t = 1; t < distances.Length; t++)
            Assert.True(distances[t] < distances[t - 1] || distances[t] <= 1e-11 * size,
                $"{label}: distance to the l1 solution grew from {distances[t - 1]:E3} to {distances[t]:E3}");
        Assert.True(distances[^1] <= 1e-5 * size, $"{label}: at a = 1e-100 the limit is {distances[^1]:E3} from the l1 solution");
    }
}
