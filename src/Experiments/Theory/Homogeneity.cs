using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.Theory;

// Homework 2, problem 1: positive homogeneity of U relu(V^T x) makes the unregularized minimizers unbounded,
// forces balanced norms under the (2, 2) regularizer, and balances the (1, 2) regularizer only when c = 1/4.
// Every statement is checked on the rescaling orbit (alpha U, V / alpha), which leaves the network unchanged.

/// <summary>A one-hidden-layer ReLU network f(x) = U relu(V^T x) with a fixed data set, in double precision.</summary>
public sealed class HomogeneousNetwork
{
    public HomogeneousNetwork(int inputs, int hidden, int outputs, int samples, NormalSampler sampler)
    {
        D = inputs; R = hidden; Outputs = outputs; Samples = samples;
        U = new double[outputs * hidden];
        V = new double[inputs * hidden];
        X = new double[samples * inputs];
        Y = new double[samples * outputs];
        sampler.Fill(U, 0, 1 / Math.Sqrt(hidden));
        sampler.Fill(V, 0, 1 / Math.Sqrt(inputs));
        sampler.Fill(X);
        sampler.Fill(Y);
        _z = new double[samples * hidden];
        _yhat = new double[samples * outputs];
    }

    public int D { get; }
    public int R { get; }
    public int Outputs { get; }
    public int Samples { get; }
    /// <summary>U, outputs x hidden (row-major).</summary>
    public double[] U { get; }
    /// <summary>V, inputs x hidden (row-major).</summary>
    public double[] V { get; }
    public double[] X { get; }
    public double[] Y { get; }

    private readonly double[] _z;
    private readonly double[] _yhat;

    public double NormU => Math.Sqrt(U.Sum(v => v * v));
    public double NormV => Math.Sqrt(V.Sum(v => v * v));

    /// <summary>The convex loss sum_i 1/2 ||y_i - (a U) relu((V / a)^T x_i)||^2 of the network rescaled by a.</summary>
    public double Loss(double a)
    {
        // Z = X (V / a), rows are samples; Yhat = relu(Z) (a U)^T.
        Gemm.Multiply(Op.None, Op.None, Samples, R, D, 1 / a, X, D, V, R, 0.0, _z, R);
        Relu.Forward(_z, _z);
        Gemm.Multiply(Op.None, Op.Transpose, Samples, Outputs, R, a, _z, R, U, R, 0.0, _yhat, Outputs);
        double s = 0;
        for (int i = 0; i < _yhat.Length; i++) { double e = Y[i] - _yhat[i]; s += e * e; }
        return s / 2;
    }

    /// <summary>
    /// The Frobenius norms of the gradient of <see cref="Loss"/> with respect to the rescaled weights a U and V / a,
    /// at those weights: <c>grad_(aU) = E^T relu(Z)</c> and <c>grad_(V/a) = X^T ((E (aU)) ⊙ [Z &gt; 0])</c>, with
    /// <c>Z = X (V / a)</c> and <c>E = Yhat - Y</c>. Homogeneity makes the first scale as 1/a and the second as a.
    /// </summary>
    public (double U, double V) GradientNorms(double a)
    {
        Loss(a); // fills _z with relu(Z) and _yhat
        var gu = new double[Outputs * R];
        var gv = new double[D * R];
        var back = new double[R];
        for (int i = 0; i < Samples; i++)
        {
            Array.Clear(back);
            for (int o = 0; o < Outputs; o++)
            {
                double e = _yhat[i * Outputs + o] - Y[i * Outputs + o];
                for (int j = 0; j < R; j++)
                {
                    gu[o * R + j] += e * _z[i * R + j];
                    back[j] += e * a * U[o * R + j];
                }
            }
            // relu(Z) > 0 exactly where Z > 0: the ReLU's derivative.
            for (int j = 0; j < R; j++)
                if (_z[i * R + j] > 0)
                    for (int k = 0; k < D; k++) gv[k * R + j] += X[i * D + k] * back[j];
        }
        return (Math.Sqrt(gu.Sum(v => v * v)), Math.Sqrt(gv.Sum(v => v * v)));
    }
}

/// <summary>The optimum over the orbit of a regularized objective.</summary>
public sealed record OrbitOptimum(double Alpha, double Objective, double NormU, double NormV)
{
    public double Ratio => NormU / NormV;
}

public static class Homogeneity
{
    /// <summary>
    /// Minimizes <c>loss(a) + lambda/2 (a^pU ||U||^pU + ||V||^2 / a^2)</c> over a &gt; 0 by golden-section search on
    /// log a (the objective is unimodal in log a because the loss is constant along the orbit), for the
    /// regularizer exponent pU = 2 (problem (2)) or pU = 1 (problem (3)).
    /// </summary>
    public static OrbitOptimum MinimizeOnOrbit(HomogeneousNetwork net, double lambda, int powerU)
    {
        double nu = net.NormU, nv = net.NormV;
        double Objective(double t)
        {
            double a = Math.Exp(t);
            return net.Loss(a) + lambda / 2 * (Math.Pow(a * nu, powerU) + nv * nv / (a * a));
        }
        double lo = -20, hi = 20, g = (Math.Sqrt(5) - 1) / 2;
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
        double f1 = Objective(x1), f2 = Objective(x2);
        while (hi - lo > 1e-10)
        {
            if (f1 <= f2) { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = Objective(x1); }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = Objective(x2); }
        }
        double best = (lo + hi) / 2, alpha = Math.Exp(best);
        return new OrbitOptimum(alpha, Objective(best), alpha * nu, nv / alpha);
    }

    /// <summary>
    /// The closed form of the (1, 2) orbit optimum: minimizing a c1 + c2^2 / a^2 gives a^3 = 2 ||V||^2 / ||U||, so
    /// the optimal ratio ||a U|| / ||V / a|| is (4 c)^(1/3) with c = ||U|| ||V||, which is 1 exactly when c = 1/4.
    /// </summary>
    public static double PredictedRatioUnbalanced(double c) => Math.Cbrt(4 * c);

    /// <summary>Scales U and V by the same factor so that ||U|| ||V|| = c, keeping ||U|| / ||V||.</summary>
    public static void ScaleProductTo(HomogeneousNetwork net, double c)
    {
        double s = Math.Sqrt(c / (net.NormU * net.NormV));
        for (int i = 0; i < net.U.Length; i++) net.U[i] *= s;
        for (int i = 0; i < net.V.Length; i++) net.V[i] *= s;
    }
}
