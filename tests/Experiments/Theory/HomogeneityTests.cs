using Engine.Experiments.Theory;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Theory;

public class HomogeneityTests
{
    private static HomogeneousNetwork Network(ulong seed) => new(inputs: 6, hidden: 4, outputs: 2, samples: 30, new NormalSampler(seed));

    [Fact]
    public void LossIsConstantOnTheRescalingOrbit()
    {
        var net = Network(1);
        double reference = net.Loss(1);
        foreach (double a in new[] { 1e-4, 0.37, 3.1, 1e4 })
            Assert.Equal(reference, net.Loss(a), reference * 1e-12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.05)]
    [InlineData(30.0)]
    public void GradientNormsMatchCentralDifferencesAndScaleWithTheOrbit(double a)
    {
        // The gradient with respect to the rescaled weights a U and V / a, by central differences: a step h in an
        // entry of a U is a step h / a in U, and one in V / a a step h a in V.
        var net = Network(3);
        double Difference(double[] w, int i, double step)
        {
            double keep = w[i];
            w[i] = keep + step;
            double plus = net.Loss(a);
            w[i] = keep - step;
            double minus = net.Loss(a);
            w[i] = keep;
            return (plus - minus) / 2;
        }
        const double h = 1e-6;
        double fdU = Math.Sqrt(Enumerable.Range(0, net.U.Length).Sum(i => Math.Pow(Difference(net.U, i, h / a) / h, 2)));
        double fdV = Math.Sqrt(Enumerable.Range(0, net.V.Length).Sum(i => Math.Pow(Difference(net.V, i, h * a) / h, 2)));
        var (gu, gv) = net.GradientNorms(a);
        Assert.Equal(fdU, gu, fdU * 1e-6);
        Assert.Equal(fdV, gv, fdV * 1e-6);
        // Homogeneity: grad_(aU) = grad_U / a and grad_(V/a) = a grad_V.
        var (gu1, gv1) = net.GradientNorms(1);
        Assert.Equal(gu1 / a, gu, gu * 1e-12);
        Assert.Equal(gv1 * a, gv, gv * 1e-12);
    }

    [Fact]
    public void LossIsNotConstantForANonHomogeneousChange()
    {
        // Guards the test above: scaling only U changes the loss, so the orbit check is not vacuous.
        var net = Network(1);
        double reference = net.Loss(1);
        for (int i = 0; i < net.U.Length; i++) net.U[i] *= 2;
        Assert.True(Math.Abs(net.Loss(1) - reference) > 1e-3 * reference);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1.0)]
    [InlineData(50.0)]
    public void SquaredRegularizerOptimumIsBalanced(double unbalance)
    {
        var net = Network(2);
        for (int i = 0; i < net.U.Length; i++) net.U[i] *= unbalance;
        var best = Homogeneity.MinimizeOnOrbit(net, lambda: 0.3, powerU: 2);
        Assert.Equal(1.0, best.Ratio, 1e-5);
        // The regularizer at the optimum is lambda ||U|| ||V|| (AM-GM), the loss unchanged.
        Assert.Equal(net.Loss(1) + 0.3 * net.NormU * net.NormV, best.Objective, 1e-9);
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.25)]
    [InlineData(4.0)]
    public void UnbalancedRegularizerOptimumFollowsTheCubeRootLaw(double c)
    {
        var net = Network(3);
        Homogeneity.ScaleProductTo(net, c);
        Assert.Equal(c, net.NormU * net.NormV, c * 1e-12);
        var best = Homogeneity.MinimizeOnOrbit(net, lambda: 0.5, powerU: 1);
        Assert.Equal(Homogeneity.PredictedRatioUnbalanced(c), best.Ratio, 1e-5 * best.Ratio);
        Assert.Equal(c == 0.25, Math.Abs(best.Ratio - 1) < 1e-4);
    }
}
