using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Optimizers;

/// <summary>
/// One Adam update of a parameter block at step t (counted from 1): m = beta1 m + (1 - beta1) g,
/// v = beta2 v + (1 - beta2) g^2, then p = p - eta m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - beta1^t) and
/// v_hat = v / (1 - beta2^t), as in PyTorch. Elementwise, allocation-free and written once for every width
/// (<see cref="AdamRule{TLanes}"/>), with no fused multiply-add, so the result does not depend on the vector width.
/// <see cref="Network.ReluLayerBackward"/> applies the same rule to each block of the gradient as it forms it.
/// </summary>
public static class AdamUpdate
{
    /// <summary>PyTorch's default decay rate of the first-moment estimate.</summary>
    public const float DefaultBeta1 = 0.9f;

    /// <summary>PyTorch's default decay rate of the second-moment estimate.</summary>
    public const float DefaultBeta2 = 0.999f;

    /// <summary>PyTorch's default epsilon, added to sqrt(v_hat).</summary>
    public const float DefaultEpsilon = 1e-8f;

    /// <summary>Updates <paramref name="parameters"/> and both moments in place from <paramref name="gradient"/>.</summary>
    public static void Apply(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        float eta, long step, float beta1 = DefaultBeta1, float beta2 = DefaultBeta2, float epsilon = DefaultEpsilon)
    {
        if (gradient.Length != parameters.Length || firstMoment.Length != parameters.Length || secondMoment.Length != parameters.Length)
            throw new ArgumentException("Adam update: parameters, gradient and moments need one length.");
        Apply(parameters, gradient, firstMoment, secondMoment, new AdamConstants(eta, step, beta1, beta2, epsilon));
    }

    /// <summary>The update with its scalars computed once by the caller (lengths checked by the caller).</summary>
    internal static void Apply(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        in AdamConstants constants)
    {
        ref float p = ref MemoryMarshal.GetReference(parameters), g = ref MemoryMarshal.GetReference(gradient);
        ref float m = ref MemoryMarshal.GetReference(firstMoment), v = ref MemoryMarshal.GetReference(secondMoment);
        int n = parameters.Length;
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512: Run(new AdamRule<Lanes512<float>>(constants), ref p, ref g, ref m, ref v, n); break;
            case VectorWidth.Vector256: Run(new AdamRule<Lanes256x2<float>>(constants), ref p, ref g, ref m, ref v, n); break;
            case VectorWidth.Vector128: Run(new AdamRule<Lanes128x4<float>>(constants), ref p, ref g, ref m, ref v, n); break;
            default: Run(new AdamRule<LanesScalar<float>>(constants), ref p, ref g, ref m, ref v, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLanes>(AdamRule<TLanes> rule, ref float p, ref float g, ref float m, ref float v, int n)
        where TLanes : struct, ILanes<TLanes, float>
    {
        int w = TLanes.Count, i = 0;
        for (; i + w <= n; i += w)
        {
            TLanes first = TLanes.Load(ref m, (nuint)i), second = TLanes.Load(ref v, (nuint)i);
            TLanes next = rule.Step(TLanes.Load(ref p, (nuint)i), TLanes.Load(ref g, (nuint)i), ref first, ref second);
            TLanes.Store(first, ref m, (nuint)i);
            TLanes.Store(second, ref v, (nuint)i);
            TLanes.Store(next, ref p, (nuint)i);
        }
        if (i == n) return;
        int rest = n - i;
        TLanes lastFirst = TLanes.LoadFirst(ref Unsafe.Add(ref m, i), rest), lastSecond = TLanes.LoadFirst(ref Unsafe.Add(ref v, i), rest);
        TLanes last = rule.Step(TLanes.LoadFirst(ref Unsafe.Add(ref p, i), rest), TLanes.LoadFirst(ref Unsafe.Add(ref g, i), rest),
            ref lastFirst, ref lastSecond);
        TLanes.StoreFirst(lastFirst, ref Unsafe.Add(ref m, i), rest);
        TLanes.StoreFirst(lastSecond, ref Unsafe.Add(ref v, i), rest);
        TLanes.StoreFirst(last, ref Unsafe.Add(ref p, i), rest);
    }
}

/// <summary>
/// Adam's scalars at one step: the bias corrections are the same for every element, so they are computed once, in
/// double, then rounded.
/// </summary>
internal readonly struct AdamConstants
{
    public AdamConstants(float eta, long step, float beta1, float beta2, float epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        Eta = eta;
        Keep1 = beta1;
        New1 = 1 - beta1;
        Keep2 = beta2;
        New2 = 1 - beta2;
        Correction1 = (float)(1 / (1 - Math.Pow(beta1, step)));
        Correction2 = (float)(1 / (1 - Math.Pow(beta2, step)));
        Epsilon = epsilon;
    }

    public float Eta { get; }
    public float Keep1 { get; }
    public float New1 { get; }
    public float Keep2 { get; }
    public float New2 { get; }
    public float Correction1 { get; }
    public float Correction2 { get; }
    public float Epsilon { get; }
}

/// <summary>The Adam rule on one set of lanes, its constants broadcast once.</summary>
internal readonly struct AdamRule<TLanes>(AdamConstants c) where TLanes : struct, ILanes<TLanes, float>
{
    private readonly TLanes _keep1 = TLanes.Create(c.Keep1), _new1 = TLanes.Create(c.New1), _keep2 = TLanes.Create(c.Keep2),
        _new2 = TLanes.Create(c.New2), _correction1 = TLanes.Create(c.Correction1), _correction2 = TLanes.Create(c.Correction2),
        _eta = TLanes.Create(c.Eta), _epsilon = TLanes.Create(c.Epsilon);

    /// <summary>Both moments moved by <paramref name="gradient"/> (in place); returns the parameter moved by the corrected ratio.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TLanes Step(TLanes parameter, TLanes gradient, ref TLanes first, ref TLanes second)
    {
        first = _keep1 * first + _new1 * gradient;
        second = _keep2 * second + _new2 * (gradient * gradient);
        return parameter - _eta * (first * _correction1) / (TLanes.Sqrt(second * _correction2) + _epsilon);
    }
}
