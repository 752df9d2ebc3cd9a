using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The dataset of problem 2 (a), which has no fixed size: every call to <see cref="Next"/> draws a mini-batch of
/// fresh samples x ~ N(0, I) with labels y = U0 relu(V0^T x). Buffers are allocated once, so drawing allocates nothing.
/// </summary>
/// <remarks>
/// Samples are rows: X is m x D and Y is m x n, row-major, so the labels are Y = relu(X V0) U0^T, two GEMMs.
/// </remarks>
public sealed class PlantedStream
{
    private readonly PlantedNetwork _planted;
    private readonly NormalSampler _sampler;
    private readonly float[] _hidden;

    /// <param name="planted">The planted network that labels the samples.</param>
    /// <param name="sampler">The stream the inputs are drawn from (consumed in order).</param>
    /// <param name="batch">The mini-batch size m.</param>
    public PlantedStream(PlantedNetwork planted, NormalSampler sampler, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        _planted = planted;
        _sampler = sampler;
        Batch = batch;
        X = new float[batch * planted.D];
        Y = new float[batch * planted.N];
        _hidden = new float[batch * planted.R0];
    }

    /// <summary>The mini-batch size m.</summary>
    public int Batch { get; }

    /// <summary>The inputs of the current mini-batch, m x D row-major.</summary>
    public float[] X { get; }

    /// <summary>The labels of the current mini-batch, m x n row-major.</summary>
    public float[] Y { get; }

    /// <summary>Replaces <see cref="X"/> and <see cref="Y"/> with a fresh mini-batch.</summary>
    public void Next() => NextInto(X, Y);

    /// <summary>
    /// Draws the next mini-batch into <paramref name="x"/> (m x D) and <paramref name="y"/> (m x n) instead of
    /// <see cref="X"/> and <see cref="Y"/>, which keep the batch before: the same draw as <see cref="Next"/>, for a caller
    /// that keeps batches in buffers of its own and would otherwise copy each one there.
    /// </summary>
    public void NextInto(Span<float> x, Span<float> y)
    {
        int m = Batch, d = _planted.D, r0 = _planted.R0, n = _planted.N;
        if (x.Length != m * d || y.Length != m * n)
            throw new ArgumentException($"A mini-batch needs x of {m} x {d} and y of {m} x {n} floats (got {x.Length} and {y.Length}).");
        _sampler.Fill(x);
        Gemm.Multiply(Op.None, Op.None, m, r0, d, 1f, x, d, _planted.V0, r0, 0f, _hidden, r0);
        Relu.Forward(_hidden, _hidden);
        Gemm.Multiply(Op.None, Op.Transpose, m, n, r0, 1f, _hidden, r0, _planted.U0, r0, 0f, y, n);
    }

    /// <summary>The squared norm ||y_i||^2 of sample <paramref name="i"/> of the current mini-batch.</summary>
    public double SquaredNormOfLabel(int i)
    {
        double s = 0;
        foreach (float v in Y.AsSpan(i * _planted.N, _planted.N)) s += (double)v * v;
        return s;
    }
}
