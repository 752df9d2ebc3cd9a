using Engine.Experiments.GradCheck;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Random;
using FsCheck.Xunit;

namespace Engine.Tests.Experiments.Overparam;

public class OptimizerStepTests
{
    /// <summary>A network with D = r = n = 1, u and v set by hand: f(x) = alpha u relu(v x).</summary>
    private static ShallowReluNetwork Scalar(float u, float v)
    {
        var network = new ShallowReluNetwork(1, 1, 1);
        network.U[0] = u;
        network.V[0] = v;
        return network;
    }

    [Fact]
    public void SgdStepWithAnOutputScaleByHand()
    {
        // alpha = 1/2, u = v = 1, x = 2, y = 0, eta = 0.1: f = 0.5 * 1 * relu(2) = 1, residual 1, objective 1/2;
        // dU = alpha * residual * relu(v x) = 0.5 * 2 = 1, dV = alpha * residual * u * x = 0.5 * 2 = 1; both move to 0.9.
        var network = Scalar(1, 1);
        var step = new OptimizerStep(network, 1, OptimizerKind.Sgd, outputScale: 0.5f);
        Assert.Equal(0.5, step.Apply([2f], [0f], 0.1f), 12);
        Assert.Equal(0.9f, network.U[0], 6);
        Assert.Equal(0.9f, network.V[0], 6);
    }

    [Fact]
    public void FirstTwoMomentumStepsByHand()
    {
        // u = 1, v = 0.5, x = 2, y = 0.5, eta = 0.1, mu = 0.9.
        // Step 1: h = relu(0.5 * 2) = 1, f = 1, residual 0.5, objective 0.125; gU = 0.5 * 1 = 0.5, gV = 0.5 * u * x = 1.
        //   Buffers b = g: u = 1 - 0.1 * 0.5 = 0.95, v = 0.5 - 0.1 * 1 = 0.4.
        // Step 2: h = relu(0.4 * 2) = 0.8, f = 0.95 * 0.8 = 0.76, residual 0.26, objective 0.0338;
        //   gU = 0.26 * 0.8 = 0.208, gV = 0.26 * 0.95 * 2 = 0.494;
        //   bU = 0.9 * 0.5 + 0.208 = 0.658, u = 0.95 - 0.0658 = 0.8842; bV = 0.9 * 1 + 0.494 = 1.394, v = 0.4 - 0.1394 = 0.2606.
        var network = Scalar(1, 0.5f);
        var step = new OptimizerStep(network, 1, OptimizerKind.Momentum);
        Assert.Equal(0.125, step.Apply([2f], [0.5f], 0.1f), 7);
        Assert.Equal(0.95f, network.U[0], 6);
        Assert.Equal(0.4f, network.V[0], 6);
        Assert.Equal(0.0338, step.Apply([2f], [0.5f], 0.1f), 6);
        Assert.Equal(0.8842f, network.U[0], 5);
        Assert.Equal(0.2606f, network.V[0], 5);
    }

    [Fact]
    public void FirstTwoAdamStepsByHand()
    {
        // Same network and sample, eta = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
        // Step 1: gU = 0.5, gV = 1 (as above). mU = 0.05, vU = 0.00025; m_hat = 0.05 / 0.1 = 0.5, v_hat = 0.00025 / 0.001 = 0.25,
        //   so u moves by 0.1 * 0.5 / 0.5 = 0.1 (Adam's first step is eta times the sign): u = 0.9; likewise v = 0.5 - 0.1 = 0.4.
        // Step 2: h = 0.8, f = 0.9 * 0.8 = 0.72, residual 0.22, objective 0.0242; gU = 0.22 * 0.8 = 0.176, gV = 0.22 * 0.9 * 2 = 0.396.
        //   U: m = 0.9 * 0.05 + 0.1 * 0.176 = 0.0626, v = 0.999 * 0.00025 + 0.001 * 0.030976 = 0.000280726;
        //      m_hat = 0.0626 / 0.19 = 0.329474, v_hat = 0.000280726 / 0.001999 = 0.140433, sqrt = 0.374744;
        //      u = 0.9 - 0.1 * 0.329474 / 0.374744 = 0.9 - 0.0879196 = 0.812080.
        //   V: m = 0.9 * 0.1 + 0.1 * 0.396 = 0.1296, v = 0.999 * 0.001 + 0.001 * 0.156816 = 0.001155816;
        //      m_hat = 0.682105, v_hat = 0.578197, sqrt = 0.760392; v = 0.4 - 0.1 * 0.682105 / 0.760392 = 0.4 - 0.0897043 = 0.310296.
        var network = Scalar(1, 0.5f);
        var step = new OptimizerStep(network, 1, OptimizerKind.Adam);
        Assert.Equal(0.125, step.Apply([2f], [0.5f], 0.1f), 7);
        Assert.Equal(0.9f, network.U[0], 6);
        Assert.Equal(0.4f, network.V[0], 6);
        Assert.Equal(0.0242, step.Apply([2f], [0.5f], 0.1f), 6);
        Assert.Equal(0.812080f, network.U[0], 5);
        Assert.Equal(0.310296f, network.V[0], 5);
    }

    [Fact]
    public void SgdWithUnitOutputScaleIsTheHomeworkStepBitForBit()
    {
        int m = 7, d = 13, r = 11, n = 3;
        var a = ShallowReluNetwork.Initialize(new NormalSampler(8), d, r, n);
        var b = ShallowReluNetwork.Initialize(new NormalSampler(8), d, r, n);
        var sgd = new SgdStep(a, m);
        var general = new OptimizerStep(b, m, OptimizerKind.Sgd);
        var sampler = new NormalSampler(9);
        float[] x = new float[m * d], y = new float[m * n];
        for (int t = 0; t < 20; t++)
        {
            sampler.Fill(x);
            sampler.Fill(y);
            Assert.Equal(sgd.Apply(x, y, 0.05f), general.Apply(x, y, 0.05f));
        }
        Assert.Equal(a.U, b.U);
        Assert.Equal(a.V, b.V);
    }

    /// <summary>The objective of the scaled network alpha U relu(V^T x) in double: the unscaled one at alpha U.</summary>
    private static double ScaledObjective(double[] x, double[] y, double[] u, double[] v, double alpha, int m, int d, int r, int n) =>
        ShallowReluObjective.Value(x, y, u.Select(w => alpha * w).ToArray(), v, m, d, r, n);

    /// <summary>Its gradient: with U' = alpha U, dU = alpha dU' and dV = dV'.</summary>
    private static (double[] U, double[] V) ScaledGradient(double[] x, double[] y, double[] u, double[] v, double alpha, int m, int d, int r, int n)
    {
        double[] du = new double[n * r], dv = new double[d * r];
        ShallowReluObjective.ValueAndGradient(x, y, u.Select(w => alpha * w).ToArray(), v, m, d, r, n, du, dv);
        return (du.Select(g => alpha * g).ToArray(), dv);
    }

    [Property(MaxTest = 60)]
    public void ScaledGradientMatchesCentralDifferencesAndEveryOptimizerFollowsIt(byte mb, byte db, byte rb, byte nb, byte pb, ulong seed)
    {
        int m = 1 + mb % 6, d = 1 + db % 9, r = 1 + rb % 9, n = 1 + nb % 4;
        var parameterization = (Parameterization)(pb % 3);
        float alpha = parameterization.OutputScale(r);
        var sampler = new NormalSampler(seed);
        var network = parameterization.Initialize(sampler, d, r, n, 1);
        float[] x = new float[m * d], y = new float[m * n];
        sampler.Fill(x);
        sampler.Fill(y);
        double[] xd = x.Select(v => (double)v).ToArray(), yd = y.Select(v => (double)v).ToArray();
        double[] u = network.U.ToArray().Select(v => (double)v).ToArray(), v = network.V.ToArray().Select(w => (double)w).ToArray();

        // The reference gradient of the scaled network against central differences of its objective, away from ReLU kinks.
        double nearest = ShallowReluObjective.PreActivations(xd, v, m, d, r).Min(Math.Abs);
        var (gu, gv) = ScaledGradient(xd, yd, u, v, alpha, m, d, r, n);
        if (nearest > 1e-2)
        {
            var options = new Engine.Kernels.Calculus.DerivativeCheckOptions { RelativeStep = 1e-4, Seed = seed };
            var du = Engine.Kernels.Calculus.GradientCheck.Run(point => ScaledObjective(xd, yd, point.ToArray(), v, alpha, m, d, r, n), u, gu, options);
            var dv = Engine.Kernels.Calculus.GradientCheck.Run(point => ScaledObjective(xd, yd, u, point.ToArray(), alpha, m, d, r, n), v, gv, options);
            Assert.True(du.Passed, $"U: {du}");
            Assert.True(dv.Passed, $"V: {dv}");
        }

        // One step of each optimizer from the same weights moves along that gradient as its rule says.
        const float eta = 0.01f;
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            var copy = new ShallowReluNetwork(d, r, n);
            network.U.CopyTo(copy.U);
            network.V.CopyTo(copy.V);
            double objective = new OptimizerStep(copy, m, kind, alpha).Apply(x, y, eta);
            Assert.Equal(ScaledObjective(xd, yd, u, v, alpha, m, d, r, n), objective, 1e-5 * Math.Max(1, objective));
            // SGD and momentum (whose buffer starts at the gradient) step by eta g; Adam's first step by eta g / (|g| + eps).
            double Move(double g) => kind == OptimizerKind.Adam ? eta * g / (Math.Abs(g) + Optimizer.Epsilon) : eta * g;
            // The step's gradient is computed in single precision: off by up to about gradientError (a millionth of the
            // largest gradient entry), which moves a step by its sensitivity to g. For Adam that is large where |g| is
            // near eps (a gradient of 1e-7 that cancels from terms of 1e-2 moves its step by 5e-6).
            double gradientError = 1e-6 * gu.Concat(gv).Max(Math.Abs);
            double Tolerance(double w, double g) => 2e-6 + 2e-5 * Math.Abs(w) + Math.Abs(Move(g + gradientError) - Move(g - gradientError)) / 2;
            for (int i = 0; i < u.Length; i++) Assert.Equal(u[i] - Move(gu[i]), copy.U[i], Tolerance(u[i], gu[i]));
            for (int i = 0; i < v.Length; i++) Assert.Equal(v[i] - Move(gv[i]), copy.V[i], Tolerance(v[i], gv[i]));
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public void StepsAllocateNothing(OptimizerKind kind)
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(1), 20, 6, 3);
        var settings = new TrainingSettings(16, 1e-3, 5, 50, 500, Optimizer: kind, Parameterization: Parameterization.Ntk);
        var run = new SgdRun(planted, settings, new NormalSampler(2));
        var stream = new PlantedStream(planted, new NormalSampler(3), 5);
        for (int i = 0; i < 200; i++) { stream.Next(); run.Train(stream.X, stream.Y); }
        Assert.Equal(0, SteadyState.FewestBytes(() => { for (int i = 0; i < 1000; i++) { stream.Next(); run.Train(stream.X, stream.Y); } }));
    }

    [Fact]
    public void NtkInitializationIsTheStandardFunction()
    {
        // From the same draws, U / sqrt(r) with U ~ N(0, 1) is the standard U ~ N(0, 1/r): the same network function.
        int d = 9, r = 16, n = 2;
        var standard = Parameterization.Standard.Initialize(new NormalSampler(4), d, r, n, 1.5);
        var ntk = Parameterization.Ntk.Initialize(new NormalSampler(4), d, r, n, 1.5);
        Assert.Equal(standard.V, ntk.V);
        float alpha = Parameterization.Ntk.OutputScale(r);
        for (int i = 0; i < standard.U.Length; i++) Assert.Equal(standard.U[i], alpha * ntk.U[i], 1e-6);
        Assert.Equal(1f / r, Parameterization.MeanField.OutputScale(r));
    }
}
