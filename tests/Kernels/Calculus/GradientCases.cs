using Engine.Kernels.Calculus;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Calculus;

/// <summary>A scalar function, a point, its exact gradient there, and the options a user of it would state.</summary>
internal sealed record GradientCase(string Name, ulong Seed, double[] X, ScalarFunction F, double[] Gradient, DerivativeCheckOptions Options)
{
    public override string ToString() => $"{Name} (seed {Seed}, n = {X.Length})";

    /// <summary>Runs the check on a copy of the point, with <paramref name="gradient"/> in place of the exact one.</summary>
    public DerivativeCheckResult Check(double[]? gradient = null, DerivativeCheckOptions? options = null) =>
        GradientCheck.Run(F, X, gradient ?? Gradient, options ?? Options);

    /// <summary>The coordinate with the largest |g_i| (the first one on ties).</summary>
    public int Largest()
    {
        int best = 0;
        for (int i = 1; i < Gradient.Length; i++) if (Math.Abs(Gradient[i]) > Math.Abs(Gradient[best])) best = i;
        return best;
    }
}

/// <summary>The test functions: smooth, badly scaled, with exact zeros, and one computed in single precision.</summary>
internal static class GradientCases
{
    /// <summary>Every double-precision family, by name, built from a seed.</summary>
    public static readonly (string Name, Func<ulong, GradientCase> Make)[] Families =
    [
        ("quadratic", Quadratic),
        ("log-sum-exp", seed => LogSumExp(seed)),
        ("softplus network", SoftplusNetwork),
        ("rosenbrock", Rosenbrock),
        ("badly scaled", BadlyScaled),
        ("zeros and tiny entries", ZerosAndTiny),
        ("matrix completion", MatrixCompletion),
    ];

    private static NormalSampler Sampler(ulong seed, ulong family) => new NormalSampler(seed, 0xCA1C).Split(family);

    private static int Size(NormalSampler s, int smallest, int largest) => smallest + s.NextInt(largest - smallest + 1);

    /// <summary>1/2 x^T Q x + b^T x with Q = B^T B / n - I / 2 (indefinite), gradient Q x + b.</summary>
    public static GradientCase Quadratic(ulong seed)
    {
        var s = Sampler(seed, 1);
        int n = Size(s, 1, 30);
        var b = new double[n * n];
        s.Fill(b);
        var q = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += b[k * n + i] * b[k * n + j];
                q[i * n + j] = sum / n - (i == j ? 0.5 : 0);
            }
        var c = new double[n];
        var x = new double[n];
        s.Fill(c);
        s.Fill(x, 0, 3);
        double F(ReadOnlySpan<double> p)
        {
            double value = 0;
            for (int i = 0; i < n; i++)
            {
                double row = 0;
                for (int j = 0; j < n; j++) row += q[i * n + j] * p[j];
                value += p[i] * (0.5 * row + c[i]);
            }
            return value;
        }
        var g = new double[n];
        for (int i = 0; i < n; i++)
        {
            double row = c[i];
            for (int j = 0; j < n; j++) row += q[i * n + j] * x[j];
            g[i] = row;
        }
        return new GradientCase("quadratic", seed, x, F, g, new DerivativeCheckOptions { Seed = seed });
    }

    /// <summary>log sum_k exp(a_k^T x + c_k), computed stably; gradient A^T softmax.</summary>
    public static GradientCase LogSumExp(ulong seed) => LogSumExp(seed, 0);

    /// <summary>The log-sum-exp case with n = <paramref name="size"/> coordinates (0 for a random n up to 25).</summary>
    public static GradientCase LogSumExp(ulong seed, int size)
    {
        var s = Sampler(seed, 2);
        int n = size > 0 ? size : Size(s, 1, 25), m = Size(s, 1, 12);
        var a = new double[m * n];
        var c = new double[m];
        var x = new double[n];
        s.Fill(a);
        s.Fill(c, 0, 2);
        s.Fill(x);
        var z = new double[m];
        double F(ReadOnlySpan<double> p)
        {
            double top = double.NegativeInfinity;
            for (int k = 0; k < m; k++)
            {
                double v = c[k];
                for (int i = 0; i < n; i++) v += a[k * n + i] * p[i];
                z[k] = v;
                top = Math.Max(top, v);
            }
            double sum = 0;
            for (int k = 0; k < m; k++) sum += Math.Exp(z[k] - top);
            return top + Math.Log(sum);
        }
        double lse = F(x);
        var g = new double[n];
        for (int k = 0; k < m; k++)
        {
            double w = Math.Exp(z[k] - lse);
            for (int i = 0; i < n; i++) g[i] += w * a[k * n + i];
        }
        return new GradientCase("log-sum-exp", seed, x, F, g, new DerivativeCheckOptions { Seed = seed });
    }

    /// <summary>
    /// The loss (1/2m) sum_s ||y_s - W2 softplus(W1 x_s)||^2 of a two-layer network, as a function of (W1, W2)
    /// flattened; gradient by hand-written back-propagation.
    /// </summary>
    public static GradientCase SoftplusNetwork(ulong seed)
    {
        var s = Sampler(seed, 3);
        int d = Size(s, 1, 6), h = Size(s, 1, 6), o = Size(s, 1, 3), m = Size(s, 1, 5);
        var inputs = new double[m * d];
        var targets = new double[m * o];
        s.Fill(inputs);
        s.Fill(targets);
        var x = new double[h * d + o * h];
        s.Fill(x, 0, 0.7);
        var hidden = new double[h];
        var residual = new double[o];
        double Softplus(double v) => v > 0 ? v + Math.Log(1 + Math.Exp(-v)) : Math.Log(1 + Math.Exp(v));
        double Forward(ReadOnlySpan<double> p, int sample)
        {
            ReadOnlySpan<double> w1 = p[..(h * d)], w2 = p[(h * d)..];
            for (int j = 0; j < h; j++)
            {
                double v = 0;
                for (int i = 0; i < d; i++) v += w1[j * d + i] * inputs[sample * d + i];
                hidden[j] = Softplus(v);
            }
            double loss = 0;
            for (int k = 0; k < o; k++)
            {
                double v = 0;
                for (int j = 0; j < h; j++) v += w2[k * h + j] * hidden[j];
                residual[k] = v - targets[sample * o + k];
                loss += residual[k] * residual[k];
            }
            return loss;
        }
        double F(ReadOnlySpan<double> p)
        {
            double loss = 0;
            for (int sample = 0; sample < m; sample++) loss += Forward(p, sample);
            return loss / (2 * m);
        }
        var g = new double[x.Length];
        for (int sample = 0; sample < m; sample++)
        {
            Forward(x, sample);
            for (int k = 0; k < o; k++)
                for (int j = 0; j < h; j++)
                    g[h * d + k * h + j] += residual[k] * hidden[j] / m;
            for (int j = 0; j < h; j++)
            {
                double back = 0;
                for (int k = 0; k < o; k++) back += residual[k] * x[h * d + k * h + j];
                double v = 0;
                for (int i = 0; i < d; i++) v += x[j * d + i] * inputs[sample * d + i];
                double sigmoid = 1 / (1 + Math.Exp(-v));
                for (int i = 0; i < d; i++) g[j * d + i] += back * sigmoid * inputs[sample * d + i] / m;
            }
        }
        return new GradientCase("softplus network", seed, x, F, g, new DerivativeCheckOptions { Seed = seed });
    }

    /// <summary>sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 at a point around the valley.</summary>
    public static GradientCase Rosenbrock(ulong seed)
    {
        var s = Sampler(seed, 4);
        int n = Size(s, 2, 20);
        var x = new double[n];
        s.Fill(x, 1, 0.8);
        double F(ReadOnlySpan<double> p)
        {
            double value = 0;
            for (int i = 0; i + 1 < n; i++)
            {
                double a = p[i + 1] - p[i] * p[i], b = 1 - p[i];
                value += 100 * a * a + b * b;
            }
            return value;
        }
        var g = new double[n];
        for (int i = 0; i + 1 < n; i++)
        {
            double a = x[i + 1] - x[i] * x[i];
            g[i] += -400 * x[i] * a - 2 * (1 - x[i]);
            g[i + 1] += 200 * a;
        }
        return new GradientCase("rosenbrock", seed, x, F, g, new DerivativeCheckOptions { Seed = seed });
    }

    /// <summary>
    /// q(z) = log-sum-exp(A z) + |z|^2 / 4 of the scaled coordinates z_i = x_i / s_i, where each s_i is 1e-6 or 1e6:
    /// coordinates of size 1e-6 and 1e6 whose gradients are of size 1e6 and 1e-6. The typical scales are stated.
    /// </summary>
    public static GradientCase BadlyScaled(ulong seed)
    {
        var s = Sampler(seed, 5);
        int n = Size(s, 2, 16), m = Size(s, 1, 6);
        var scales = new double[n];
        for (int i = 0; i < n; i++) scales[i] = (s.NextInt(2) == 0) ? 1e-6 : 1e6;
        var a = new double[m * n];
        s.Fill(a);
        var x = new double[n];
        s.Fill(x);
        for (int i = 0; i < n; i++) x[i] *= scales[i];
        var z = new double[m];
        double F(ReadOnlySpan<double> p)
        {
            double top = double.NegativeInfinity, square = 0;
            for (int i = 0; i < n; i++) square += (p[i] / scales[i]) * (p[i] / scales[i]);
            for (int k = 0; k < m; k++)
            {
                double v = 0;
                for (int i = 0; i < n; i++) v += a[k * n + i] * (p[i] / scales[i]);
                z[k] = v;
                top = Math.Max(top, v);
            }
            double sum = 0;
            for (int k = 0; k < m; k++) sum += Math.Exp(z[k] - top);
            return top + Math.Log(sum) + square / 4;
        }
        double value = F(x);
        double lse = value;
        for (int i = 0; i < n; i++) lse -= (x[i] / scales[i]) * (x[i] / scales[i]) / 4;
        var g = new double[n];
        for (int k = 0; k < m; k++)
        {
            double w = Math.Exp(z[k] - lse);
            for (int i = 0; i < n; i++) g[i] += w * a[k * n + i] / scales[i];
        }
        for (int i = 0; i < n; i++) g[i] += x[i] / scales[i] / 2 / scales[i];
        return new GradientCase("badly scaled", seed, x, F, g, new DerivativeCheckOptions { Seed = seed, TypicalScales = scales });
    }

    /// <summary>
    /// log(2 + sum_i w_i x_i^2) + sum_i u_i x_i^3, with a third of the coordinates exactly 0 (so g_i = 0 exactly)
    /// and a third of the weights 1e-12 (so g_i is about 1e-12 of the largest).
    /// </summary>
    public static GradientCase ZerosAndTiny(ulong seed)
    {
        var s = Sampler(seed, 6);
        int n = Size(s, 3, 24);
        var w = new double[n];
        var u = new double[n];
        var x = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.5 + s.NextDouble();
        s.Fill(u, 0, 0.3);
        s.Fill(x);
        x[0] = x[0] >= 0 ? x[0] + 0.5 : x[0] - 0.5;
        for (int i = 0; i < n; i++)
        {
            // Coordinate 0 stays ordinary, so that the gradient has at least one entry of size 1.
            int kind = i == 0 ? 2 : s.NextInt(3);
            if (kind == 0) x[i] = 0;
            if (kind == 1) { w[i] = 1e-12; u[i] = 0; }
        }
        double F(ReadOnlySpan<double> p)
        {
            double sum = 0, cubic = 0;
            for (int i = 0; i < n; i++)
            {
                sum += w[i] * p[i] * p[i];
                cubic += u[i] * p[i] * p[i] * p[i];
            }
            return Math.Log(2 + sum) + cubic;
        }
        double total = 0;
        for (int i = 0; i < n; i++) total += w[i] * x[i] * x[i];
        var g = new double[n];
        for (int i = 0; i < n; i++) g[i] = 2 * w[i] * x[i] / (2 + total) + 3 * u[i] * x[i] * x[i];
        return new GradientCase("zeros and tiny entries", seed, x, F, g, new DerivativeCheckOptions { Seed = seed });
    }

    /// <summary>
    /// Problem (12) of the matrix completion experiment at its shape: f(U) = 1/2 sum_Omega ((U U^T)_ij - Y_ij)^2 with
    /// D = 7, Y = W W^T of rank 2 scaled to largest eigenvalue 1, Omega half of the unordered pairs (both orders
    /// observed), and U standard normal; gradient 2 P_Omega(U U^T - Y) U.
    /// </summary>
    public static GradientCase MatrixCompletion(ulong seed)
    {
        const int d = 7, rank = 2;
        var s = Sampler(seed, 7);
        var w = new double[d * rank];
        s.Fill(w);
        // The nonzero eigenvalues of W W^T are those of the 2 x 2 Gram matrix W^T W.
        double a = 0, b = 0, c = 0;
        for (int i = 0; i < d; i++)
        {
            a += w[i * rank] * w[i * rank];
            b += w[i * rank] * w[i * rank + 1];
            c += w[i * rank + 1] * w[i * rank + 1];
        }
        double largest = (a + c) / 2 + Math.Sqrt((a - c) * (a - c) / 4 + b * b);
        var y = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double v = (w[i * rank] * w[j * rank] + w[i * rank + 1] * w[j * rank + 1]) / largest;
                y[i * d + j] = v;
                y[j * d + i] = v;
            }
        var observed = new bool[d * d];
        int pairs = d * (d + 1) / 2;
        var order = new int[pairs];
        for (int p = 0; p < pairs; p++) order[p] = p;
        int chosen = (int)Math.Round(0.5 * pairs);
        for (int p = 0; p < chosen; p++)
        {
            int q = p + s.NextInt(pairs - p);
            (order[p], order[q]) = (order[q], order[p]);
            int i = 0;
            while ((i + 1) * (i + 2) / 2 <= order[p]) i++;
            int j = order[p] - i * (i + 1) / 2;
            observed[i * d + j] = true;
            observed[j * d + i] = true;
        }
        var u = new double[d * d];
        s.Fill(u);
        var residual = new double[d * d];
        double F(ReadOnlySpan<double> p)
        {
            double sum = 0;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    double x = 0;
                    for (int k = 0; k < d; k++) x += p[i * d + k] * p[j * d + k];
                    double r = observed[i * d + j] ? x - y[i * d + j] : 0;
                    residual[i * d + j] = r;
                    sum += r * r;
                }
            return 0.5 * sum;
        }
        F(u);
        var g = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int k = 0; k < d; k++)
            {
                double sum = 0;
                for (int j = 0; j < d; j++) sum += residual[i * d + j] * u[j * d + k];
                g[i * d + k] = 2 * sum;
            }
        return new GradientCase("matrix completion", seed, u, F, g, new DerivativeCheckOptions { Seed = seed });
    }

    /// <summary>
    /// Log-sum-exp computed entirely in single precision (values near 1e-7 relative noise per operation), with the
    /// exact gradient in double; the stated noise level is 1e-6, a few float rounding errors times the terms summed.
    /// </summary>
    public static GradientCase SinglePrecision(ulong seed)
    {
        var s = Sampler(seed, 8);
        int n = Size(s, 1, 12), m = Size(s, 1, 8);
        var a = new float[m * n];
        var c = new float[m];
        s.Fill(a);
        s.Fill(c);
        var x = new double[n];
        s.Fill(x);
        var z = new float[m];
        double F(ReadOnlySpan<double> p)
        {
            float top = float.NegativeInfinity;
            for (int k = 0; k < m; k++)
            {
                float v = c[k];
                for (int i = 0; i < n; i++) v += a[k * n + i] * (float)p[i];
                z[k] = v;
                top = MathF.Max(top, v);
            }
            float sum = 0;
            for (int k = 0; k < m; k++) sum += MathF.Exp(z[k] - top);
            return top + MathF.Log(sum);
        }
        // The exact gradient, from the same expression in double precision.
        var zd = new double[m];
        double topd = double.NegativeInfinity;
        for (int k = 0; k < m; k++)
        {
            double v = c[k];
            for (int i = 0; i < n; i++) v += a[k * n + i] * x[i];
            zd[k] = v;
            topd = Math.Max(topd, v);
        }
        double sumd = 0;
        for (int k = 0; k < m; k++) sumd += Math.Exp(zd[k] - topd);
        var g = new double[n];
        for (int k = 0; k < m; k++)
        {
            double weight = Math.Exp(zd[k] - topd) / sumd;
            for (int i = 0; i < n; i++) g[i] += weight * a[k * n + i];
        }
        return new GradientCase("single precision", seed, x, F, g, new DerivativeCheckOptions { Seed = seed, NoiseLevel = 1e-6 });
    }
}
