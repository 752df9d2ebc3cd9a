using System.Runtime.CompilerServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// The natural logarithm of every lane, written here with basic IEEE operations only (no table, no runtime or libm
/// call), so that it gives the same bits at every width and on every CPU. The relative error is a few units in the last
/// place for positive normal arguments, the only ones it accepts (zero, subnormals, negatives and NaN are not handled).
/// </summary>
/// <remarks>
/// x = 2^e f with f in [sqrt(1/2), sqrt(2)): e and f come from the bits of x, with an offset that moves the boundary
/// of the mantissa from 1 to sqrt(1/2). Then log f = 2 atanh(s) with s = (f - 1) / (f + 1), |s| &lt;= 0.172, summed as
/// its odd series 2 s (1 + s^2/3 + s^4/5 + ...), long enough that the first omitted term is below half an ulp. The
/// result is e ln2_hi + (e ln2_lo + log f), where ln2_hi has so few bits that e ln2_hi is exact.
/// </remarks>
internal static class LaneLog
{
    /// <summary>log of every lane of single-precision lanes <typeparamref name="TF"/> (TI: the int lanes of the same width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Single<TF, TI>(TF x)
        where TF : struct, ILaneWise<TF, float>
        where TI : struct, ILaneWise<TI, int>
    {
        // bits + (bits of 1) - (bits of sqrt(1/2)): the exponent field is then e + 127 with f in [sqrt(1/2), sqrt(2)).
        TI bits = TF.BitCast<TI, int>(x);
        TI e = TI.ShiftRightLogical(bits + TI.Create(0x3F800000 - 0x3F3504F3), 23) - TI.Create(127);
        TF f = TI.BitCast<TF, float>(bits - TI.ShiftLeft(e, 23));
        TF m = f - TF.Create(1f);
        TF s = m / (m + TF.Create(2f));
        TF z = s * s;
        TF p = TF.FusedMultiplyAdd(z, TF.Create(1f / 9), TF.Create(1f / 7));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1f / 5));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1f / 3));
        TF twoS = s + s;
        TF logF = TF.FusedMultiplyAdd(twoS * z, p, twoS);
        TF ef = TI.ConvertToFloating<TF, float>(e);
        return TF.FusedMultiplyAdd(ef, TF.Create(Ln2HighSingle), TF.FusedMultiplyAdd(ef, TF.Create(Ln2LowSingle), logF));
    }

    /// <summary>log of every lane of double-precision lanes <typeparamref name="TF"/> (TI: the long lanes of the same width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Double<TF, TI>(TF x)
        where TF : struct, ILaneWise<TF, double>
        where TI : struct, ILaneWise<TI, long>
    {
        TI bits = TF.BitCast<TI, long>(x);
        TI e = TI.ShiftRightLogical(bits + TI.Create(0x3FF0000000000000 - 0x3FE6A09E667F3BCD), 52) - TI.Create(1023);
        TF f = TI.BitCast<TF, double>(bits - TI.ShiftLeft(e, 52));
        TF m = f - TF.Create(1.0);
        TF s = m / (m + TF.Create(2.0));
        TF z = s * s;
        TF p = TF.FusedMultiplyAdd(z, TF.Create(1.0 / 19), TF.Create(1.0 / 17));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 15));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 13));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 11));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 9));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 7));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 5));
        p = TF.FusedMultiplyAdd(z, p, TF.Create(1.0 / 3));
        TF twoS = s + s;
        TF logF = TF.FusedMultiplyAdd(twoS * z, p, twoS);
        TF ef = TI.ConvertToFloating<TF, double>(e);
        return TF.FusedMultiplyAdd(ef, TF.Create(Ln2HighDouble), TF.FusedMultiplyAdd(ef, TF.Create(Ln2LowDouble), logF));
    }

    // ln 2 split so that the high part has 12 (float) or 21 (double) significant bits and e * high is exact; the low
    // part is ln 2 minus the high part, rounded.
    private const float Ln2HighSingle = 0.693115234375f;
    private const float Ln2LowSingle = 3.194618329871446e-05f;
    private const double Ln2HighDouble = 0.6931467056274414;
    private const double Ln2LowDouble = 4.7493250390316726e-07;
}
