using Engine.Kernels.FlowLimit;
using Engine.Kernels.Lasso;
using static Engine.Tests.Kernels.FlowLimit.FlowLimitCases;

namespace Engine.Tests.Kernels.FlowLimit;

public class EntropicProjectionTests
{
    public static TheoryData<ulong, int, int, int> Shapes => new()
    {
        { 1, 20, 40, 10 }, // the homework's instance
        { 2, 20, 40, 10 },
        { 3, 20, 40, 18 },
        { 4, 5, 10, 3 },
        { 5, 10, 11, 6 },
        { 6, 30, 100, 8 },
        { 7, 1, 3, 1 },
        { 8, 40, 40, 20 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Limit_satisfies_the_optimality_conditions(ulong seed, int n, int m, int k)
    {
        var c = Homework(seed, n, m, k);
        var projection = new EntropicProjection(c.A, n, m, c.Y);
        foreach (double a in new[] { 1, 0.1, 1e-3, 1e-10, 1e-20, 1e-30 })
        {
            var result = projection.Solve(a);
            var logPrior = Enumerable.Repeat(2 * Math.Log(a), m).ToArray();
            AssertEntropicKkt(c, logPrior, result, $"{c} seed {seed} a = {a:E0}");
        }
    }

    [Theory]
    [InlineData(1e-20)]
    [InlineData(1e-30)]
    [InlineData(1e-100)] // a^2 = 1e-200; the scalar form never squares a
    public void Tiny_initializations_converge_to_the_stopping_rule(double a)
    {
        for (ulong seed = 11; seed <= 14; seed++)
        {
            var c = Homework(seed);
            var result = EntropicProjection.Of(c.A, c.N, c.M, c.Y, a);
            Assert.True(result.Converged && result.RelativeResidual <= 1e-12, $"seed {seed}: residual {result.RelativeResidual:E2} after {result.Iterations} iterations");
            AssertEntropicKkt(c, Enumerable.Repeat(2 * Math.Log(a), c.M).ToArray(), result, $"seed {seed} a = {a:E0}");
        }
    }

    [Fact]
    public void A_general_prior_spanning_forty_orders_of_magnitude_is_solved()
    {
        var c = Homework(21);
        var prior = Enumerable.Range(0, c.M).Select(j => Math.Pow(10, -45.0 * j / (c.M - 1))).ToArray();
        var result = new EntropicProjection(c.A, c.N, c.M, c.Y).Solve(prior);
        AssertEntropicKkt(c, prior.Select(v => Math.Log(v)).ToArray(), result, "graded prior");
    }

    [Fact]
    public void Limit_minimizes_the_divergence_among_nearby_interpolants()
    {
        // Independent of the solver's own certificate: moving along the null space of A never lowers the objective.
        var c = Homework(31, 5, 10, 3);
        double a = 0.1, p = a * a;
        var w = EntropicProjection.Of(c.A, c.N, c.M, c.Y, a).W;
        double Objective(double[] x) => x.Sum(v => v * Math.Log(v / p) - v + p);
        double best = Objective(w);
        var sampler = new Engine.Kernels.Random.NormalSampler(32);
        for (int trial = 0; trial < 50; trial++)
        {
            var v = new double[c.M];
            sampler.Fill(v);
            ProjectOntoNullSpace(c, v);
            double step = 0.5 * w.Min() / v.Max(Math.Abs);
            foreach (double sign in new[] { -1.0, 1.0 })
            {
                var other = w.Select((x, j) => x + sign * step * v[j]).ToArray();
                Assert.True(RelativeResidual(c, other) <= 1e-10);
                Assert.True(Objective(other) >= best - 1e-14, $"trial {trial}: {Objective(other):R} < {best:R}");
            }
        }
    }

    [Fact]
    public void Gradient_descent_limits_approach_the_flow_limit_linearly_in_the_step_size()
    {
        var c = Homework(41, 5, 10, 3);
        foreach (double a in new[] { 0.5, 0.1 })
        {
            var limit = EntropicProjection.Of(c.A, c.N, c.M, c.Y, a);
            var distances = new List<double>();
            foreach (double eta in new[] { 0.04, 0.02, 0.01, 0.005 })
            {
                var x = Enumerable.Repeat(a, c.M).ToArray();
                double[] w = GradientDescent(c, x, eta, 1_000_000, 1e-12, out int steps);
                Assert.True(steps < 1_000_000, $"a = {a}, eta = {eta}: gradient descent did not converge");
                distances.Add(MaxAbsDifference(w, limit.W));
            }
            for (int t = 1; t < distances.Count; t++)
            {
                double ratio = distances[t] / distances[t - 1];
                Assert.True(ratio is > 0.4 and < 0.6, $"a = {a}: halving eta took the distance from {distances[t - 1]:E3} to {distances[t]:E3}");
            }
            Assert.True(distances[^1] <= 1e-3 * limit.W.Max(), $"a = {a}: distance {distances[^1]:E3} at eta = 0.005");
        }
    }

    [Fact]
    public void Projecting_an_iterate_part_way_predicts_where_gradient_descent_ends()
    {
        var c = Homework(41, 5, 10, 3);
        double a = 0.1, eta = 0.005;
        var x = Enumerable.Repeat(a, c.M).ToArray();
        GradientDescent(c, x, eta, 1_000_000, 1e-2, out _);
        double[] partWay = x.Select(v => v * v).ToArray();
        double[] end = GradientDescent(c, x, eta, 1_000_000, 1e-12, out _);

        var projection = new EntropicProjection(c.A, c.N, c.M, c.Y);
        var predicted = projection.Solve(partWay);
        AssertEntropicKkt(c, partWay.Select(v => Math.Log(v)).ToArray(), predicted, "prior = iterate");
        double travelled = MaxAbsDifference(partWay, end);
        double error = MaxAbsDifference(predicted.W, end);
        Assert.True(error <= 0.02 * travelled, $"the projection is {error:E3} from the end, the iterate was {travelled:E3} from it");
        Assert.True(error <= 1e-3 * end.Max(), $"error {error:E3}");
    }

    [Fact]
    public void Small_initializations_tend_to_the_unique_nonnegative_minimum_l1_interpolant()
    {
        // A brute-force linear program over every basis gives the minimum and says whether it is unique.
        for (ulong seed = 51; seed <= 54; seed++)
        {
            var c = Homework(seed, 5, 10, 3);
            double[]? l1 = UniqueOptimalVertex(c.A, c.N, c.M, c.Y, Enumerable.Repeat(1.0, c.M).ToArray());
            Assert.NotNull(l1);
            AssertTendsTo(c, l1!, $"seed {seed}");
        }
    }

    [Fact]
    public void On_the_homework_instance_the_limit_tends_to_the_end_of_the_positive_lasso_path()
    {
        var c = Homework(1);
        var l1 = Homotopy.Path(LassoProblem.FromRowMajor(c.A, c.N, c.M, c.Y), positive: true).End;
        AssertTendsTo(c, l1, "homework");
    }

    // The distance to the l1 solution shrinks like a^(2 delta), delta the smallest reduced cost of the l1 linear
    // program, so instances with small margins need a far below 1e-30; the log-domain solver gets there.
    private static void AssertTendsTo(FlowLimitCase c, double[] l1, string label)
    {
        var projection = new EntropicProjection(c.A, c.N, c.M, c.Y);
        double[] scales = [1e-2, 1e-5, 1e-10, 1e-30, 1e-100];
        double size = l1.Max();
        var distances = FlowLimitSweep.Run(projection, scales).Select(r => MaxAbsDifference(r.W, l1)).ToArray();
        for (int t = 1; t < distances.Length; t++)
            Assert.True(distances[t] < distances[t - 1] || distances[t] <= 1e-11 * size,
                $"{label}: distance to the l1 solution grew from {distances[t - 1]:E3} to {distances[t]:E3}");
        Assert.True(distances[^1] <= 1e-5 * size, $"{label}: at a = 1e-100 the limit is {distances[^1]:E3} from the l1 solution");
    }

    internal static void ProjectOntoNullSpace(FlowLimitCase c, double[] v)
    {
        var basis = new List<double[]>();
        for (int i = 0; i < c.N; i++)
        {
            var row = c.A.AsSpan(i * c.M, c.M).ToArray();
            foreach (var q in basis)
            {
                double d = row.Zip(q, (p, r) => p * r).Sum();
                for (int j = 0; j < c.M; j++) row[j] -= d * q[j];
            }
            double norm = Norm(row);
            for (int j = 0; j < c.M; j++) row[j] /= norm;
            basis.Add(row);
        }
        foreach (var q in basis)
        {
            double d = v.Zip(q, (p, r) => p * r).Sum();
            for (int j = 0; j < c.M; j++) v[j] -= d * q[j];
        }
    }
}
