using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Network;
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
/// <para>Momentum and Adam need the gradient itself, with E scaled by alpha / m: <see cref="ReluLayerBackward"/> forms
/// it and applies the update (<see cref="Engine.Kernels.Optimizers.MomentumUpdate"/>,
/// <see cref="Engine.Kernels.Optimizers.AdamUpdate"/>) to each block as it goes where its one-pass form runs (m = n = 10
/// with 512-bit vectors), or forms it in buffers of its own and updates each block in one elementwise pass elsewhere,
/// with the same bits.</para>
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
        Span<float> u = _network.U, v = _network.V, h = _h.Span, e = _e.Span;
        ShallowReluPass.Forward(_network, Batch, x, h, e, _outputScale);
        // SGD as in SgdStep: the residual carries -eta, and the products add the update into U and V. The other
        // optimizers take the gradients themselves.
        bool sgd = Optimizer == OptimizerKind.Sgd;
        double objective = ShallowReluPass.Residual(e, y, (sgd ? -eta * _outputScale : _outputScale) / Batch, Batch);
        if (sgd)
        {
            ShallowReluPass.Backward(_network, Batch, x, h, e, _dh.Span, 1f, u, v);
            return objective;
        }

        _steps++;
        if (Optimizer == OptimizerKind.Momentum)
            ReluLayerBackward.RunMomentum(Batch, _network.D, _network.R, _network.N, e, u, v, h, x, _dh.Span, _gu.Span, _gv.Span,
                _stateU1.Span, _stateV1.Span, eta, Optimizers.Optimizer.Momentum);
        else
            ReluLayerBackward.RunAdam(Batch, _network.D, _network.R, _network.N, e, u, v, h, x, _dh.Span, _gu.Span, _gv.Span,
                _stateU1.Span, _stateV1.Span, _stateU2.Span, _stateV2.Span, eta, _steps, Optimizers.Optimizer.Beta1, Optimizers.Optimizer.Beta2,
                Optimizers.Optimizer.Epsilon);
        return objective;
    }
}
