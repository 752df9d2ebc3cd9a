using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Optimizers;

/// <summary>
/// One heavy-ball update of a parameter block: b = mu b + g, then p = p - eta b (PyTorch's SGD with momentum and no
/// dampening). Elementwise, allocation-free and written once for every width (<see cref="MomentumRule{TLanes}"/>), with
/// no fused multiply-add, so the result does not depend on the vector width. <see cref="Network.ReluLayerBackward"/>
/// applies the same rule to each block of the gradient as it forms it.
/// </summary>
public static class MomentumUpdate
{
    /// <summary>Updates <paramref name="parameters"/> and <paramref name="buffer"/> in place from <paramref name="gradient"/>.</summary>
    public static void Apply(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> buffer, float eta, float mu)
    {
        if (gradient.Length != parameters.Length || buffer.Length != parameters.Length)
            throw new ArgumentException("Momentum update: parameters, gradient and buffer need one length.");
        ref float p = ref MemoryMarshal.GetReference(parameters), b = ref MemoryMarshal.GetReference(buffer);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = parameters.Length;
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512: Run(new MomentumRule<Lanes512<float>>(eta, mu), ref p, ref g, ref b, n); break;
            case VectorWidth.Vector256: Run(new MomentumRule<Lanes256x2<float>>(eta, mu), ref p, ref g, ref b, n); break;
            case VectorWidth.Vector128: Run(new MomentumRule<Lanes128x4<float>>(eta, mu), ref p, ref g, ref b, n); break;
            default: Run(new MomentumRule<LanesScalar<float>>(eta, mu), ref p, ref g, ref b, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLanes>(MomentumRule<TLanes> rule, ref float p, ref float g, ref float b, int n)
        where TLanes : struct, ILanes<TLanes, float>
    {
        int w = TLanes.Count, i = 0;
        for (; i + w <= n; i += w)
        {
            TLanes buffer = TLanes.Load(ref b, (nuint)i);
            TLanes next = rule.Step(TLanes.Load(ref p, (nuint)i), TLanes.Load(ref g, (nuint)i), ref buffer);
            TLanes.Store(buffer, ref b, (nuint)i);
            TLanes.Store(next, ref p, (nuint)i);
        }
        if (i == n) return;
        int rest = n - i;
        TLanes lastBuffer = TLanes.LoadFirst(ref Unsafe.Add(ref b, i), rest);
        TLanes last = rule.Step(TLanes.LoadFirst(ref Unsafe.Add(ref p, i), rest), TLanes.LoadFirst(ref Unsafe.Add(ref g, i), rest), ref lastBuffer);
        TLanes.StoreFirst(lastBuffer, ref Unsafe.Add(ref b, i), rest);
        TLanes.StoreFirst(last, ref Unsafe.Add(ref p, i), rest);
    }
}

/// <summary>The heavy-ball rule on one set of lanes, its constants broadcast once.</summary>
internal readonly struct MomentumRule<TLanes>(float eta, float mu) where TLanes : struct, ILanes<TLanes, float>
{
    private readonly TLanes _eta = TLanes.Create(eta), _mu = TLanes.Create(mu);

    /// <summary>b = mu b + g (in <paramref name="buffer"/>); returns p - eta b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TLanes Step(TLanes parameter, TLanes gradient, ref TLanes buffer)
    {
        TLanes next = _mu * buffer + gradient;
        buffer = next;
        return parameter - _eta * next;
    }
}
