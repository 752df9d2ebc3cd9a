using System.Runtime.CompilerServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Random;

/// <summary>
/// The Box-Muller transform on lanes of random bits: <c>r = sqrt(-2 log u1)</c>, <c>theta = 2 pi u2</c>, and the pair
/// <c>(r cos theta, r sin theta)</c>. Written with the engine's own logarithm (<see cref="LaneLog"/>) and its own sine
/// and cosine, so every width and every CPU gives the same bits.
/// </summary>
/// <remarks>
/// <para>u2 is k / 2^b for a b-bit integer k, so the angle is reduced exactly in integers: with q the nearest quarter
/// turn (k + 2^(b-3)) / 2^(b-2) and the remainder j = k - q 2^(b-2), theta = q pi/2 + phi with phi = j (pi/2) / 2^(b-2)
/// in [-pi/4, pi/4). The sine and cosine of phi are their Taylor polynomials, long enough that the first omitted
/// term is below half an ulp on that interval; the quarter turn then swaps them and flips signs.</para>
/// <para>u1 = (k + 1) / 2^b lies in (0, 1], so the logarithm is finite.</para>
/// </remarks>
internal static class BoxMuller
{
    /// <summary>24-bit uniforms from the top of each 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TF Cos, TF Sin) Single<TU, TI, TF>(TU bits1, TU bits2)
        where TU : struct, ILaneWise<TU, uint>
        where TI : struct, ILaneWise<TI, int>
        where TF : struct, ILaneWise<TF, float>
    {
        TI k1 = TU.BitCast<TI, int>(TU.ShiftRightLogical(bits1, 8) + TU.Create(1));
        TF u1 = TI.ConvertToFloating<TF, float>(k1) * TF.Create(1f / (1 << 24));
        TF r = TF.Sqrt(TF.Create(-2f) * LaneLog.Single<TF, TI>(u1));

        TU shifted = TU.ShiftRightLogical(bits2, 8) + TU.Create(1u << 21);
        TU quarter = TU.ShiftRightLogical(shifted, 22);
        TI j = TU.BitCast<TI, int>(shifted & TU.Create((1u << 22) - 1)) - TI.Create(1 << 21);
        TF phi = TI.ConvertToFloating<TF, float>(j) * TF.Create((float)(Math.PI / 2 / (1 << 22)));

        TF z = phi * phi;
        TF sin = TF.FusedMultiplyAdd(z, TF.Create(1f / 362880), TF.Create(-1f / 5040));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(1f / 120));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(-1f / 6));
        sin = TF.FusedMultiplyAdd(phi * z, sin, phi);
        TF cos = TF.FusedMultiplyAdd(z, TF.Create(-1f / 3628800), TF.Create(1f / 40320));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(-1f / 720));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(1f / 24));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(-0.5f));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(1f));

        // Odd quarters swap sine and cosine; cos(theta) is negative in quarters 1 and 2, sin(theta) in 2 and 3.
        TF odd = TU.BitCast<TF, float>(TU.Zero - (quarter & TU.Create(1)));
        TF cosSign = TU.BitCast<TF, float>(TU.ShiftLeft((quarter + TU.Create(1)) & TU.Create(2), 30));
        TF sinSign = TU.BitCast<TF, float>(TU.ShiftLeft(quarter & TU.Create(2), 30));
        TF cosTheta = TF.ConditionalSelect(odd, sin, cos) ^ cosSign;
        TF sinTheta = TF.ConditionalSelect(odd, cos, sin) ^ sinSign;
        return (r * cosTheta, r * sinTheta);
    }

    /// <summary>53-bit uniforms from the top of each 64-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TF Cos, TF Sin) Double<TU, TI, TF>(TU bits1, TU bits2)
        where TU : struct, ILaneWise<TU, ulong>
        where TI : struct, ILaneWise<TI, long>
        where TF : struct, ILaneWise<TF, double>
    {
        TI k1 = TU.BitCast<TI, long>(TU.ShiftRightLogical(bits1, 11) + TU.Create(1));
        TF u1 = TI.ConvertToFloating<TF, double>(k1) * TF.Create(1.0 / (1UL << 53));
        TF r = TF.Sqrt(TF.Create(-2.0) * LaneLog.Double<TF, TI>(u1));

        TU shifted = TU.ShiftRightLogical(bits2, 11) + TU.Create(1UL << 50);
        TU quarter = TU.ShiftRightLogical(shifted, 51);
        TI j = TU.BitCast<TI, long>(shifted & TU.Create((1UL << 51) - 1)) - TI.Create(1L << 50);
        TF phi = TI.ConvertToFloating<TF, double>(j) * TF.Create(Math.PI / 2 / (1UL << 51));

        TF z = phi * phi;
        TF sin = TF.FusedMultiplyAdd(z, TF.Create(-1.0 / 1307674368000), TF.Create(1.0 / 6227020800));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(-1.0 / 39916800));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(1.0 / 362880));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(-1.0 / 5040));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(1.0 / 120));
        sin = TF.FusedMultiplyAdd(z, sin, TF.Create(-1.0 / 6));
        sin = TF.FusedMultiplyAdd(phi * z, sin, phi);
        TF cos = TF.FusedMultiplyAdd(z, TF.Create(1.0 / 20922789888000), TF.Create(-1.0 / 87178291200));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(1.0 / 479001600));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(-1.0 / 3628800));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(1.0 / 40320));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(-1.0 / 720));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(1.0 / 24));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(-0.5));
        cos = TF.FusedMultiplyAdd(z, cos, TF.Create(1.0));

        TF odd = TU.BitCast<TF, double>(TU.Zero - (quarter & TU.Create(1)));
        TF cosSign = TU.BitCast<TF, double>(TU.ShiftLeft((quarter + TU.Create(1)) & TU.Create(2), 62));
        TF sinSign = TU.BitCast<TF, double>(TU.ShiftLeft(quarter & TU.Create(2), 62));
        TF cosTheta = TF.ConditionalSelect(odd, sin, cos) ^ cosSign;
        TF sinTheta = TF.ConditionalSelect(odd, cos, sin) ^ sinSign;
        return (r * cosTheta, r * sinTheta);
    }
}
