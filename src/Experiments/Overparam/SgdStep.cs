using Engine.Kernels.Simd;

namespace Engine.Experiments.Overparam;

/// <summary>
/// One SGD step on the mini-batch objective (1 / 2m) sum_i ||y_i - U relu(V^T x_i)||^2, with the update fused
/// into the gradient products. All buffers are allocated once for the batch size, so a step allocates nothing.
/// </summary>
/// <remarks>
/// Samples are rows (X is m x D, Y is m x n). Forward: Z = X V, H = relu(Z), Yhat = H U^T.
/// Backward: E = (Yhat - Y) / m, dU = E^T H, dH = E U, dZ = relu'(Z) . dH, dV = X^T dZ.
/// The step size rides in E: the residual is scaled by -eta / m rather than 1 / m, so dH and dZ come out times -eta
/// and the updates U -= eta dU and V -= eta dV are GEMMs with alpha = 1 and beta = 1 accumulating into U and V. At
/// alpha = 1 the register tiles drop the multiply of every sum, about one operation on the FMA pipes in eleven for these
/// k = m products (4-5 % of U += E^T H and V += X^T dZ on the Zen 4). dH is formed before U changes because it needs
/// the old U. H overwrites Z in place: relu'(Z) is read off H, since H &gt; 0 exactly where Z &gt; 0, which saves a
/// buffer and its cache traffic.
/// </remarks>
public sealed class SgdStep : ITrainingStep
{
    private readonly ShallowReluNetwork _network;
    private readonly AlignedBuffer<float> _h;
    private readonly AlignedBuffer<float> _e;
    private readonly AlignedBuffer<float> _dh;

    public SgdStep(ShallowReluNetwork network, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        _network = network;
        Batch = batch;
        _h = new AlignedBuffer<float>(batch * network.R);
        _e = new AlignedBuffer<float>(batch * network.N);
        _dh = new AlignedBuffer<float>(batch * network.R);
    }

    public int Batch { get; }

    /// <summary>
    /// Evaluates the mini-batch objective at the current weights, then takes one step of size
    /// <paramref name="eta"/>. Returns the objective before the step (accumulated in double).
    /// </summary>
    public double Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float eta)
    {
        Span<float> h = _h.Span, e = _e.Span;
        ShallowReluPass.Forward(_network, Batch, x, h, e, 1f);
        double objective = ShallowReluPass.Residual(e, y, -eta / Batch, Batch);
        ShallowReluPass.Backward(_network, Batch, x, h, e, _dh.Span, 1f, _network.U, _network.V);
        return objective;
    }

    /// <summary>The mini-batch objective at the current weights, without a step.</summary>
    public double Objective(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Span<float> e = _e.Span;
        ShallowReluPass.Forward(_network, Batch, x, _h.Span, e, 1f);
        double objective = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double residual = (double)e[i] - y[i];
            objective += residual * residual;
        }
        return objective / (2.0 * Batch);
    }

    /// <summary>Floating-point operations of one step as counted in the benchmarks (see <see cref="FlopsPerStep"/>).</summary>
    public long Flops => FlopsPerStep(Batch, _network.D, _network.R, _network.N);

    /// <summary>
    /// 2 m (D r + r n) for the forward products X V and H U^T, plus 2 m (n r + n r + D r) for the backward products
    /// E^T H, E U and X^T dZ; elementwise work (ReLU, residual) is not counted.
    /// </summary>
    public static long FlopsPerStep(int m, int d, int r, int n) =>
        2L * m * ((long)d * r + (long)r * n) + 2L * m * ((long)n * r + (long)n * r + (long)d * r);
}
