using System.Numerics;
using System.Runtime.InteropServices;

namespace Engine.Experiments.Overparam.Optimizers;

/// <summary>
/// One Adam update of a parameter block at step t (counted from 1): m = beta1 m + (1 - beta1) g,
/// v = beta2 v + (1 - beta2) g^2, then p = p - eta m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - beta1^t) and
/// v_hat = v / (1 - beta2^t), as in PyTorch. Elementwise and allocation-free; the vector body and the scalar tail
/// round identically, so the result does not depend on the vector width.
/// </summary>
public static class AdamUpdate
{
    public static void Apply(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        float eta, long step, float beta1 = Optimizer.Beta1, float beta2 = Optimizer.Beta2, float epsilon = Optimizer.Epsilon)
    {
        if (gradient.Length != parameters.Length || firstMoment.Length != parameters.Length || secondMoment.Length != parameters.Length)
            throw new ArgumentException("Adam update: parameters, gradient and moments need one length.");
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        // The bias corrections are the same for every element, so they are computed once, in double, then rounded.
        float correction1 = (float)(1 / (1 - Math.Pow(beta1, step)));
        float correction2 = (float)(1 / (1 - Math.Pow(beta2, step)));
        float keep1 = beta1, new1 = 1 - beta1, keep2 = beta2, new2 = 1 - beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
            var g = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            var m = MemoryMarshal.Cast<float, Vector<float>>(firstMoment);
            var v = MemoryMarshal.Cast<float, Vector<float>>(secondMoment);
            Vector<float> k1 = new(keep1), n1 = new(new1), k2 = new(keep2), n2 = new(new2);
            Vector<float> c1 = new(correction1), c2 = new(correction2), etav = new(eta), eps = new(epsilon);
            for (int k = 0; k < p.Length; k++)
            {
                Vector<float> gk = g[k];
                Vector<float> mk = k1 * m[k] + n1 * gk;
                Vector<float> vk = k2 * v[k] + n2 * (gk * gk);
                m[k] = mk;
                v[k] = vk;
                p[k] -= etav * (mk * c1) / (Vector.SquareRoot(vk * c2) + eps);
            }
            i = p.Length * Vector<float>.Count;
        }
        for (; i < parameters.Length; i++)
        {
            float gi = gradient[i];
            float mi = keep1 * firstMoment[i] + new1 * gi;
            float vi = keep2 * secondMoment[i] + new2 * (gi * gi);
            firstMoment[i] = mi;
            secondMoment[i] = vi;
            parameters[i] -= eta * (mi * correction1) / (MathF.Sqrt(vi * correction2) + epsilon);
        }
    }
}
