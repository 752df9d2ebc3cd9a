using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;

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
    private readonly float[] _h;
    private readonly float[] _e;
    private readonly float[] _dh;
    private readonly float[] _gu = [];
    private readonly float[] _gv = [];
    private readonly float[] _stateU1 = [];
    private readonly float[] _stateV1 = [];
    private readonly float[] _stateU2 = [];
    private readonly float[] _stateV2 = [];
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
        _h = new float[batch * network.R];
        _e = new float[batch * network.N];
        _dh = new float[batch * network.R];
        if (optimizer == OptimizerKind.Sgd) return;
        _gu = new float[network.U.Length];
        _gv = new float[network.V.Length];
        _stateU1 = new float[network.U.Length];
        _stateV1 = new float[network.V.Length];
        if (optimizer != OptimizerKind.Adam) return;
        _stateU2 = new float[network.U.Length];
        _stateV2 = new float[network.V.Length];
    }

    public int Batch { get; }

    public OptimizerKind Optimizer { get; }

    public double Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float eta)
    {
        int m = Batch, d = _network.D, r = _network.R, n = _network.N;
        float[] u = _network.U, v = _network.V;

        Gemm.Multiply(Op.None, Op.None, m, r, d, 1f, x, d, v, r, 0f, _h, r);
        Relu.Forward(_h, _h);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r, _outputScale, _h, r, u, r, 0f, _e, n);

        double objective = 0;
        float residualScale = _outputScale / m;
        for (int i = 0; i < _e.Length; i++)
        {
            float residual = _e[i] - y[i];
            objective += (double)residual * residual;
            _e[i] = residual * residualScale;
        }
        objective /= 2.0 * m;

        Gemm.Multiply(Op.None, Op.None, m, r, n, 1f, _e, n, u, r, 0f, _dh, r);
        if (Optimizer == OptimizerKind.Sgd)
        {
            Gemm.Multiply(Op.Transpose, Op.None, n, r, m, -eta, _e, n, _h, r, 1f, u, r);
            Relu.Backward(_h, _dh, _dh);
            Gemm.Multiply(Op.Transpose, Op.None, d, r, m, -eta, x, d, _dh, r, 1f, v, r);
            return objective;
        }

        Gemm.Multiply(Op.Transpose, Op.None, n, r, m, 1f, _e, n, _h, r, 0f, _gu, r);
        Relu.Backward(_h, _dh, _dh);
        Gemm.Multiply(Op.Transpose, Op.None, d, r, m, 1f, x, d, _dh, r, 0f, _gv, r);
        _steps++;
        if (Optimizer == OptimizerKind.Momentum)
        {
            MomentumUpdate.Apply(u, _gu, _stateU1, eta, Optimizers.Optimizer.Momentum);
            MomentumUpdate.Apply(v, _gv, _stateV1, eta, Optimizers.Optimizer.Momentum);
        }
        else
        {
            AdamUpdate.Apply(u, _gu, _stateU1, _stateU2, eta, _steps);
            AdamUpdate.Apply(v, _gv, _stateV1, _stateV2, eta, _steps);
        }
        return objective;
    }
}
