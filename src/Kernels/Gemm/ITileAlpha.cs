namespace Engine.Kernels.Gemm;

/// <summary>
/// Whether a register tile multiplies its sums by alpha, as a type: at alpha = 1 the multiply (one operation on the FMA
/// pipes for every ten FMAs of a k = 10 product) is dropped at compile time, with the same bits, since 1 * x is x.
/// </summary>
internal interface ITileAlpha
{
    static abstract bool Scales { get; }
}

internal readonly struct AlphaOne : ITileAlpha { public static bool Scales => false; }

internal readonly struct AlphaAny : ITileAlpha { public static bool Scales => true; }
