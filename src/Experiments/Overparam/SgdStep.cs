using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Experiments.Overparam;

/// <summary>
/// One SGD step on the mini-batch objective (1 / 2m) sum_i ||y_i - U relu(V^T x_i)||^2, with the update fused
/// into the gradient products. All buffers are allocated once for the batch size, so a step allocates nothing.
/// </summary>
/// <remarks>
/// Samples are rows (X is m x D, Y is m x n). Forward: Z = X V, H = relu(Z), Yhat = H U^T.
/// Backward: E = (Yhat - Y) / m, dU = E^T H, dH = E U, dZ = relu'(Z) . dH, dV = X^T dZ.
/// The updates U -= eta dU and V -= eta dV are GEMMs with alpha = -eta and beta = 1 accumulating into U and V;
/// dH is formed before U changes because it needs the old U. H overwrites Z in place: relu'(Z) is read off H,
/// since H &gt; 0 exactly where Z &gt; 0, which saves a buffer and its cache traffic.
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
        int m = Batch, d = _network.D, r = _network.R, n = _network.N;
        Span<float> u = _network.U, v = _network.V;
        Span<float> h = _h.Span, e = _e.Span, dh = _dh.Span;

        Gemm.Multiply(Op.None, Op.None, m, r, d, 1f, x, d, v, r, 0f, h, r);
        Relu.Forward(h, h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, 1f, h, r, u, r, 0f, e, n);

        double objective = 0;
        float inverseBatch = 1f / m;
        for (int i = 0; i < e.Length; i++)
        {
            float residual = e[i] - y[i];
            objective += (double)residual * residual;
            e[i] = residual * inverseBatch;
        }
        objective /= 2.0 * m;

        Gemm.Multiply(Op.None, Op.None, m, r, n, 1f, e, n, u, r, 0f, dh, r);
        Gemm.Multiply(Op.Transpose, Op.None, n, r, m, -eta, e, n, h, r, 1f, u, r);
        Relu.Backward(h, dh, dh);
        Gemm.Multiply(Op.Transpose, Op.None, d, r, m, -eta, x, d, dh, r, 1f, v, r);
        return objective;
    }

    /// <summary>The mini-batch objective at the current weights, without a step.</summary>
    public double Objective(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int m = Batch, d = _network.D, r = _network.R, n = _network.N;
        Span<float> h = _h.Span, e = _e.Span;
        Gemm.Multiply(Op.None, Op.None, m, r, d, 1f, x, d, _network.V, r, 0f, h, r);
        Relu.Forward(h, h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, 1f, h, r, _network.U, r, 0f, e, n);
        double objective = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double residual = (double)e[i] - y[i];
            objective += residual * residual;
        }
        return objective / (2.0 * m);
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
