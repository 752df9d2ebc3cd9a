using System.Numerics;
using System.Runtime.InteropServices;

namespace Engine.Experiments.Overparam.Optimizers;

/// <summary>
/// One heavy-ball update of a parameter block: b = mu b + g, then p = p - eta b (PyTorch's SGD with momentum and
/// no dampening). Elementwise and allocation-free; the vector body and the scalar tail round identically (no fused
/// multiply-add), so the result does not depend on the vector width or on where the tail starts.
/// </summary>
public static class MomentumUpdate
{
    public static void Apply(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> buffer, float eta, float mu)
    {
        if (gradient.Length != parameters.Length || buffer.Length != parameters.Length)
            throw new ArgumentException("Momentum update: parameters, gradient and buffer need one length.");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
            var g = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            var b = MemoryMarshal.Cast<float, Vector<float>>(buffer);
            var muv = new Vector<float>(mu);
            var etav = new Vector<float>(eta);
            for (int k = 0; k < p.Length; k++)
            {
                Vector<float> next = muv * b[k] + g[k];
                b[k] = next;
                p[k] -= etav * next;
            }
            i = p.Length * Vector<float>.Count;
        }
        for (; i < parameters.Length; i++)
        {
            float next = mu * buffer[i] + gradient[i];
            buffer[i] = next;
            parameters[i] -= eta * next;
        }
    }
}
