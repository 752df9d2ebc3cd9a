using Engine.Kernels.FlowLimit;
using Engine.Kernels.Random;
using static Engine.Tests.Kernels.FlowLimit.FlowLimitCases;

namespace Engine.Tests.Kernels.FlowLimit;

public class FlowLimitInternalsTests
{
    [Theory]
    [InlineData(3, 6)]
    [InlineData(4, 9)]
    [InlineData(5, 10)]
    public void Simplex_finds_the_vertex_that_enumeration_finds(int rows, int columns)
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var sampler = new NormalSampler(seed, (ulong)(rows * 100 + columns));
            var e = new double[rows * columns];
            sampler.Fill(e);
            var x0 = Enumerable.Range(0, columns).Select(_ => sampler.NextDouble()).ToArray();
            var b = Multiply(e, rows, columns, x0);
            // A positive cost keeps the program bounded over the nonnegative orthant.
            var c = Enumerable.Range(0, columns).Select(_ => 0.1 + sampler.NextDouble()).ToArray();
            double[]? expected = UniqueOptimalVertex(e, rows, columns, b, c);
            if (expected is null) continue;
            double[]? x = DenseSimplex.Minimize(e, rows, columns, b, c);
            Assert.NotNull(x);
            Assert.True(MaxAbsDifference(x!, expected) <= 1e-9, $"seed {seed}");
        }
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    public void Facial_reduction_of_a_60_by_120_instance_ends_and_its_free_set_admits_the_limit(ulong split)
    {
        // Seed 42's two instances of engine implicit-l1 at 60 x 120: the simplex used to cycle in phase one on the
        // first (pivot limit reached) and to report four spurious forced zeros on the second.
        var problem = Engine.Experiments.ImplicitL1.ImplicitL1Problem.Generate(60, 120, 10, new NormalSampler(42).Split(split));
        var projection = new EntropicProjection(problem.A, problem.Rows, problem.Cols, problem.Y);
        FlowLimitResult limit = projection.Solve(0.1);
        Assert.True(limit.Converged);
        // The limit solves A w = y with every coordinate positive, so y lies inside the cone A R^m_+ and no
        // coordinate is zero for every feasible w.
        Assert.All(limit.W, w => Assert.True(w > 0));
        Assert.Empty(projection.ForcedZeros);
    }

    [Fact]
    public void Simplex_reports_an_infeasible_program()
    {
        // x1 + x2 = -1 has no nonnegative solution.
        Assert.Null(DenseSimplex.Minimize([1, 1], 1, 2, [-1], [1, 1]));
    }

    [Fact]
    public void Graded_normal_equations_are_solved_to_the_accuracy_of_each_weight()
    {
        // H = U diag(h) U^T with U unit upper triangular and h falling from 1 to 1e-150: g_j is dominated by its own
        // term h_j (U^T d)_j, so every component of d is determined by g to working accuracy, although H has a
        // condition number of 1e150. Forming H and factoring it would lose everything below 1e-16.
        int r = 12;
        var sampler = new NormalSampler(5);
        var u = new double[r * r];
        for (int i = 0; i < r; i++)
        {
            u[i * r + i] = 1;
            for (int j = i + 1; j < r; j++) u[i * r + j] = sampler.NextDouble() - 0.5;
        }
        var h = Enumerable.Range(0, r).Select(i => Math.Pow(10, -150.0 * i / (r - 1))).ToArray();
        var d = new double[r];
        sampler.Fill(d);
        var z = new double[r]; // U^T d
        for (int i = 0; i < r; i++)
            for (int j = 0; j <= i; j++) z[i] += u[j * r + i] * d[j];
        var g = new double[r]; // U (h z)
        for (int i = 0; i < r; i++)
            for (int j = i; j < r; j++) g[i] += u[i * r + j] * h[j] * z[j];

        var system = new GradedNormalEquations(r, r);
        system.Factor(u, h.Select(Math.Sqrt).ToArray());
        var direction = new double[r];
        double scale = system.Solve(g, direction);
        Assert.Equal(r, system.Rank);
        // Check U^T d component by component: relative to the size of each component.
        var zSolved = new double[r];
        for (int i = 0; i < r; i++)
            for (int j = 0; j <= i; j++) zSolved[i] += u[j * r + i] * scale * direction[j];
        for (int i = 0; i < r; i++)
            Assert.True(Math.Abs(zSolved[i] - z[i]) <= 1e-10 * Math.Abs(z[i]) + 1e-12, $"component {i}: {zSolved[i]:R} vs {z[i]:R}");
    }
}
