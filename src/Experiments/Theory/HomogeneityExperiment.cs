using Engine.Experiments.Context;

namespace Engine.Experiments.Theory;

/// <summary>The numbers behind homework 2, problem 1, as written by <c>engine homogeneity</c>.</summary>
public sealed record HomogeneityResult(
    double Lambda,
    IReadOnlyList<(double Alpha, double Loss, double ParameterNorm)> Orbit,
    double MaxLossDeviation,
    IReadOnlyList<(double InitialRatio, double OptimalRatio, double ObjectiveBefore, double ObjectiveAfter)> Balance,
    IReadOnlyList<(double C, double NumericRatio, double PredictedRatio)> Unbalanced,
    HomogeneityInstance Instance,
    IReadOnlyList<(double Alpha, double NormRatio, double GradientRatio)> Gradients);

/// <summary>The data and the network every part starts from: X (samples x inputs), Y (samples x outputs), U (outputs x hidden), V (inputs x hidden), row-major.</summary>
public sealed record HomogeneityInstance(int Samples, int Inputs, int Hidden, int Outputs, double[] X, double[] Y, double[] U, double[] V);

/// <summary>Homework 2, problem 1 (a)-(c), illustrated on the rescaling orbit (a U, V / a) of a random network.</summary>
public static class HomogeneityExperiment
{
    public const double DefaultLambda = 0.1;

    public static HomogeneityResult Run(ExperimentContext ctx, double lambda)
    {
        var net = new HomogeneousNetwork(inputs: 20, hidden: 8, outputs: 3, samples: 200, ctx.Sampler(11));
        var instance = new HomogeneityInstance(net.Samples, net.D, net.R, net.Outputs, [.. net.X], [.. net.Y], [.. net.U], [.. net.V]);

        // (a) The loss is constant along (a U, V / a) while the parameter norm grows without bound.
        var orbit = new List<(double, double, double)>();
        double loss1 = net.Loss(1), worst = 0;
        for (int e = -3; e <= 3; e++)
        {
            double a = Math.Pow(10, e), loss = net.Loss(a);
            worst = Math.Max(worst, Math.Abs(loss - loss1) / loss1);
            orbit.Add((a, loss, Math.Sqrt(a * a * net.NormU * net.NormU + net.NormV * net.NormV / (a * a))));
        }

        // (b) Under lambda/2 (||U||^2 + ||V||^2), the best point of every orbit is balanced, and strictly better
        // than any unbalanced point of it: a minimizer must be balanced.
        var balance = new List<(double, double, double, double)>();
        double[] u0 = (double[])net.U.Clone();
        foreach (double s in new[] { 0.01, 0.1, 1, 10, 100 })
        {
            for (int i = 0; i < u0.Length; i++) net.U[i] = s * u0[i];
            double before = net.Loss(1) + lambda / 2 * (net.NormU * net.NormU + net.NormV * net.NormV);
            OrbitOptimum best = Homogeneity.MinimizeOnOrbit(net, lambda, powerU: 2);
            balance.Add((net.NormU / net.NormV, best.Ratio, before, best.Objective));
        }
        u0.CopyTo(net.U, 0);

        // (c) Under lambda/2 (||U|| + ||V||^2), the best point of the orbit has ratio (4c)^(1/3): balanced only at c = 1/4.
        var unbalanced = new List<(double, double, double)>();
        double[] v0 = (double[])net.V.Clone();
        foreach (double c in new[] { 0.01, 0.03, 0.1, 0.25, 0.5, 1, 3, 10 })
        {
            Homogeneity.ScaleProductTo(net, c);
            OrbitOptimum best = Homogeneity.MinimizeOnOrbit(net, lambda, powerU: 1);
            unbalanced.Add((c, best.Ratio, Homogeneity.PredictedRatioUnbalanced(c)));
        }
        u0.CopyTo(net.U, 0);
        v0.CopyTo(net.V, 0);

        // (d) On the same orbit the loss is unchanged but the layers' gradients are not: ||grad_(aU)|| / ||grad_(V/a)||
        // moves as 1/a^2 while ||aU|| / ||V/a|| moves as a^2, so one step size suits both layers only near balance.
        double balancedAlpha = Math.Sqrt(net.NormV / net.NormU);
        var gradients = new[] { 1e-3, balancedAlpha, 1e3 }.Select(a =>
        {
            var (gu, gv) = net.GradientNorms(a);
            return (a, a * net.NormU / (net.NormV / a), gu / gv);
        }).ToList();
        return new HomogeneityResult(lambda, orbit, worst, balance, unbalanced, instance, gradients);
    }
}
