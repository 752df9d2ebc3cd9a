using Engine.Kernels.FlowLimit;
using static Engine.Tests.Kernels.FlowLimit.FlowLimitCases;

namespace Engine.Tests.Kernels.FlowLimit;

public class FlowLimitSweepTests
{
    private static readonly double[] Scales = Enumerable.Range(1, 30).Select(q => Math.Pow(10, -q)).ToArray();

    [Theory]
    [InlineData(1, false)]
    [InlineData(6, false)]
    [InlineData(7, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void A_warm_started_sweep_agrees_with_cold_solves_in_fewer_iterations(ulong seed, bool signed)
    {
        var c = Homework(seed, signed: signed);
        IFlowLimitProjection projection = signed
            ? new HypentropyProjection(c.A, c.N, c.M, c.Y)
            : new EntropicProjection(c.A, c.N, c.M, c.Y);
        var sweep = FlowLimitSweep.Run(projection, Scales);
        int warm = 0, cold = 0;
        for (int q = 0; q < Scales.Length; q++)
        {
            var single = projection.Solve(Scales[q]);
            Assert.True(sweep[q].Converged && sweep[q].RelativeResidual <= 1e-12, $"a = {Scales[q]:E0}: residual {sweep[q].RelativeResidual:E2}");
            double difference = MaxAbsDifference(sweep[q].W, single.W);
            Assert.True(difference <= 1e-9 * single.W.Max(Math.Abs), $"a = {Scales[q]:E0}: sweep and cold solve differ by {difference:E2}");
            warm += sweep[q].Iterations;
            cold += single.Iterations;
        }
        Assert.True(2 * warm < cold, $"the sweep took {warm} iterations, cold solves {cold}");
    }

    [Fact]
    public void A_sweep_returns_results_in_the_order_of_its_scales()
    {
        var c = Homework(3);
        var projection = new EntropicProjection(c.A, c.N, c.M, c.Y);
        double[] scales = [1e-5, 0.3, 1e-12];
        var sweep = FlowLimitSweep.Run(projection, scales);
        for (int q = 0; q < scales.Length; q++)
            Assert.True(MaxAbsDifference(sweep[q].W, projection.Solve(scales[q]).W) <= 1e-9 * sweep[q].W.Max());
        Assert.Empty(FlowLimitSweep.Run(projection, []));
    }
}
