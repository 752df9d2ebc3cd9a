using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Network;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The forward pass and the scaled residual that <see cref="SgdStep"/> and <see cref="OptimizerStep"/> share, so that
/// the homework's SGD and the bonus study's optimizers compute the same bits up to their updates.
/// </summary>
internal static class ShallowReluPass
{
    /// <summary>
    /// H = relu(X V) (m x r, in <paramref name="h"/>) and the prediction <paramref name="outputScale"/> H U^T (m x n, in
    /// <paramref name="e"/>, where <see cref="Residual"/> turns it into the residual).
    /// </summary>
    public static void Forward(ShallowReluNetwork network, int m, ReadOnlySpan<float> x, Span<float> h, Span<float> e, float outputScale)
    {
        int d = network.D, r = network.R, n = network.N;
        Gemm.Multiply(Op.None, Op.None, m, r, d, 1f, x, d, network.V, r, 0f, h, r);
        Relu.Forward(h, h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, outputScale, h, r, network.U, r, 0f, e, n);
    }

    /// <summary>
    /// Replaces the prediction in <paramref name="e"/> by (prediction - Y) times <paramref name="residualScale"/> and returns
    /// the mini-batch objective (1 / 2m) sum ||prediction - y||^2, each squared residual of single precision summed in
    /// double in order.
    /// </summary>
    public static double Residual(Span<float> e, ReadOnlySpan<float> y, float residualScale, int m)
    {
        double objective = 0;
        for (int i = 0; i < e.Length; i++)
        {
            float residual = e[i] - y[i];
            objective += (double)residual * residual;
            e[i] = residual * residualScale;
        }
        return objective / (2.0 * m);
    }

    /// <summary>
    /// From the scaled residual E: dH = E U, then <paramref name="gu"/> = E^T H + <paramref name="beta"/> gu,
    /// dZ = relu'(Z) . dH (read off H, in <paramref name="dh"/>) and <paramref name="gv"/> = X^T dZ + beta gv. With E
    /// scaled by -eta / m (see <see cref="Residual"/>), beta = 1 and gu, gv the network's U and V this is the SGD update
    /// fused into the gradient products; with E scaled by 1 / m and beta = 0 it forms the gradients. Every product runs
    /// at alpha = 1, where the register tiles skip the multiply of each sum. dH is taken before gu is written, since with
    /// gu = U it needs the old U.
    /// </summary>
    public static void Backward(ShallowReluNetwork network, int m, ReadOnlySpan<float> x, ReadOnlySpan<float> h, ReadOnlySpan<float> e,
        Span<float> dh, float beta, Span<float> gu, Span<float> gv)
    {
        // One pass over the hidden columns at the homework's batch and output count (the four products' bits).
        ReluLayerBackward.Run(m, network.D, network.R, network.N, e, network.U, h, x, dh, beta, gu, gv);
    }
}
