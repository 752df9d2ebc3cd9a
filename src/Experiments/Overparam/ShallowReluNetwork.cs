using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The trained network f(x) = U relu(V^T x) of problem 2 (b), with U (n x r) and V (D x r) stored row-major in
/// single precision, the precision of the training kernels. Both start on a 64-byte boundary, so where a row is a
/// whole number of 64-byte lines (r a multiple of 16: 240, 480) no vector load or store of the training products
/// straddles two cache lines.
/// </summary>
public sealed class ShallowReluNetwork
{
    private readonly AlignedBuffer<float> _u, _v;

    public ShallowReluNetwork(int d, int r, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(r, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        D = d;
        R = r;
        N = n;
        _u = new AlignedBuffer<float>(n * r);
        _v = new AlignedBuffer<float>(d * r);
    }

    public int D { get; }

    /// <summary>The hidden width r.</summary>
    public int R { get; }

    public int N { get; }

    /// <summary>Output weights, n x r row-major.</summary>
    public Span<float> U => _u.Span;

    /// <summary>Input weights, D x r row-major.</summary>
    public Span<float> V => _v.Span;

    /// <summary>A network with the same weights, in buffers of its own.</summary>
    public ShallowReluNetwork Copy()
    {
        var copy = new ShallowReluNetwork(D, R, N);
        U.CopyTo(copy.U);
        V.CopyTo(copy.V);
        return copy;
    }

    /// <summary>
    /// The homework's initialization scaled by <paramref name="scale"/>: U entries N(0, scale^2 / r) and
    /// V entries N(0, scale^2 / D), drawn from <paramref name="sampler"/> (U first, then V).
    /// </summary>
    public static ShallowReluNetwork Initialize(NormalSampler sampler, int d, int r, int n, double scale = 1)
    {
        var network = new ShallowReluNetwork(d, r, n);
        sampler.Fill(network.U, 0f, (float)(scale / Math.Sqrt(r)));
        sampler.Fill(network.V, 0f, (float)(scale / Math.Sqrt(d)));
        return network;
    }
}
