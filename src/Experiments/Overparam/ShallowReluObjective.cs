using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The mini-batch objective (1 / 2m) sum_i ||y_i - U relu(V^T x_i)||^2 and its gradient with respect to U and V
/// in double precision: the reference that the gradient check compares with finite differences and that the
/// single-precision <see cref="SgdStep"/> is tested against. Same layout and formulas as <see cref="SgdStep"/>.
/// </summary>
public static class ShallowReluObjective
{
    /// <summary>The objective for X (m x D), Y (m x n), U (n x r), V (D x r), all row-major.</summary>
    public static double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> u, ReadOnlySpan<double> v,
        int m, int d, int r, int n)
    {
        var h = new double[m * r];
        var yhat = new double[m * n];
        Forward(x, u, v, m, d, r, n, h, yhat);
        double sum = 0;
        for (int i = 0; i < yhat.Length; i++)
        {
            double residual = yhat[i] - y[i];
            sum += residual * residual;
        }
        return sum / (2.0 * m);
    }

    /// <summary>Writes the gradient blocks into <paramref name="du"/> (n x r) and <paramref name="dv"/> (D x r); returns the objective.</summary>
    public static double ValueAndGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> u, ReadOnlySpan<double> v,
        int m, int d, int r, int n, Span<double> du, Span<double> dv)
    {
        var z = new double[m * r];
        var h = new double[m * r];
        var e = new double[m * n];
        var dh = new double[m * r];
        Gemm.Multiply(Op.None, Op.None, m, r, d, 1.0, x, d, v, r, 0.0, z, r);
        Relu.Forward(z, h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, 1.0, h, r, u, r, 0.0, e, n);
        double sum = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double residual = e[i] - y[i];
            sum += residual * residual;
            e[i] = residual / m;
        }
        Gemm.Multiply(Op.Transpose, Op.None, n, r, m, 1.0, e, n, h, r, 0.0, du, r);
        Gemm.Multiply(Op.None, Op.None, m, r, n, 1.0, e, n, u, r, 0.0, dh, r);
        Relu.Backward(z, dh, dh);
        Gemm.Multiply(Op.Transpose, Op.None, d, r, m, 1.0, x, d, dh, r, 0.0, dv, r);
        return sum / (2.0 * m);
    }

    /// <summary>The pre-activations Z = X V (m x r), whose distance from zero decides whether finite differences cross a ReLU kink.</summary>
    public static double[] PreActivations(ReadOnlySpan<double> x, ReadOnlySpan<double> v, int m, int d, int r)
    {
        var z = new double[m * r];
        Gemm.Multiply(Op.None, Op.None, m, r, d, 1.0, x, d, v, r, 0.0, z, r);
        return z;
    }

    private static void Forward(ReadOnlySpan<double> x, ReadOnlySpan<double> u, ReadOnlySpan<double> v,
        int m, int d, int r, int n, Span<double> h, Span<double> yhat)
    {
        Gemm.Multiply(Op.None, Op.None, m, r, d, 1.0, x, d, v, r, 0.0, h, r);
        Relu.Forward(h, h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, 1.0, h, r, u, r, 0.0, yhat, n);
    }
}
