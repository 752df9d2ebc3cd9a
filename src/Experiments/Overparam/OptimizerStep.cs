using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Experiments.Overparam;

/// <summary>
/// One step of SGD, heavy-ball momentum or Adam on the mini-batch objective (1 / 2m) sum_i ||y_i - alpha U relu(V^T x_i)||^2,
/// where the output multiplier alpha is set by the parameterization (1, 1/sqrt(r) or 1/r). Buffers and optimizer
/// state are allocated once, so a step allocates nothing.
/// </summary>
/// <remarks>
/// <para>The products are those of <see cref="SgdStep"/>, with alpha folded into the scaled residual
/// E = alpha (Yhat - Y) / m: then dU = E^T H, dH = E U and dV = X^T (relu'(Z) . dH) are the gradients of the
/// scaled network with no further multiplication. With alpha = 1 and SGD the arithmetic is exactly
/// <see cref="SgdStep"/>'s (the update fused into the gradient products).</para>
/// <para>Momentum and Adam need the gradient itself, so it is formed in its own buffers (beta = 0) and the update
/// is one elementwise pass per block (<see cref="MomentumUpdate"/>, <see cref="AdamUpdate"/>).</para>
/// </remarks>
public sealed class OptimizerStep : ITrainingStep
{
    private readonly ShallowReluNetwork _network;
    private readonly float _outputScale;
    private readonly AlignedBuffer<float> _h;
    private readonly AlignedBuffer<float> _e;
    private readonly AlignedBuffer<float> _dh;
    private readonly AlignedBuffer<float> _gu = new(0);
    private readonly AlignedBuffer<float> _gv = new(0);
    private readonly AlignedBuffer<float> _stateU1 = new(0);
    private readonly AlignedBuffer<float> _stateV1 = new(0);
    private readonly AlignedBuffer<float> _stateU2 = new(0);
    private readonly AlignedBuffer<float> _stateV2 = new(0);
    private long _steps;

    /// <param name="network">The network the steps update in place.</param>
    /// <param name="batch">The mini-batch size m.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="outputScale">The output multiplier alpha (see <see cref="ParameterizationScaling.OutputScale"/>).</param>
    public OptimizerStep(ShallowReluNetwork network, int batch, OptimizerKind optimizer, float outputScale = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (!(outputScale > 0) || !float.IsFinite(outputScale)) throw new ArgumentOutOfRangeException(nameof(outputScale));
        _network = network;
        _outputScale = outputScale;
        Batch = batch;
        Optimizer = optimizer;
        _h = new AlignedBuffer<float>(batch * network.R);
        _e = new AlignedBuffer<float>(batch * network.N);
        _dh = new AlignedBuffer<float>(batch * network.R);
        if (optimizer == OptimizerKind.Sgd) return;
        _gu = new AlignedBuffer<float>(network.U.Length);
        _gv = new AlignedBuffer<float>(network.V.Length);
        _stateU1 = new AlignedBuffer<float>(network.U.Length);
        _stateV1 = new AlignedBuffer<float>(network.V.Length);
        if (optimizer != OptimizerKind.Adam) return;
        _stateU2 = new AlignedBuffer<float>(network.U.Length);
        _stateV2 = new AlignedBuffer<float>(network.V.Length);
    }

    public int Batch { get; }

    public OptimizerKind Optimizer { get; }

    public double Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float eta)
    {
        int m = Batch, d = _network.D, r = _network.R, n = _network.N;
        Span<float> u = _network.U, v = _network.V;
        Span<float> h = _h.Span, e = _e.Span, dh = _dh.Span;

        Gemm.Multiply(Op.None, Op.None, m, r, d, 1f, x, d, v, r, 0f, h, r);
        Relu.Forward(h, h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, _outputScale, h, r, u, r, 0f, e, n);

        double objective = 0;
        float residualScale = _outputScale / m;
        for (int i = 0; i < e.Length; i++)
        {
            float residual = e[i] - y[i];
            objective += (double)residual * residual;
            e[i] = residual * residualScale;
        }
        objective /= 2.0 * m;

        Gemm.Multiply(Op.None, Op.None, m, r, n, 1f, e, n, u, r, 0f, dh, r);
        if (Optimizer == OptimizerKind.Sgd)
        {
            Gemm.Multiply(Op.Transpose, Op.None, n, r, m, -eta, e, n, h, r, 1f, u, r);
            Relu.Backward(h, dh, dh);
            Gemm.Multiply(Op.Transpose, Op.None, d, r, m, -eta, x, d, dh, r, 1f, v, r);
            return objective;
        }

        Gemm.Multiply(Op.Transpose, Op.None, n, r, m, 1f, e, n, h, r, 0f, _gu.Span, r);
        Relu.Backward(h, dh, dh);
        Gemm.Multiply(Op.Transpose, Op.None, d, r, m, 1f, x, d, dh, r, 0f, _gv.Span, r);
        _steps++;
        if (Optimizer == OptimizerKind.Momentum)
        {
            MomentumUpdate.Apply(u, _gu.Span, _stateU1.Span, eta, Optimizers.Optimizer.Momentum);
            MomentumUpdate.Apply(v, _gv.Span, _stateV1.Span, eta, Optimizers.Optimizer.Momentum);
        }
        else
        {
            AdamUpdate.Apply(u, _gu.Span, _stateU1.Span, _stateU2.Span, eta, _steps);
            AdamUpdate.Apply(v, _gv.Span, _stateV1.Span, _stateV2.Span, eta, _steps);
        }
        return objective;
    }
}
