namespace Engine.Kernels.Gemm;

/// <summary>
/// Cache block sizes of the packed GEMM, one per loop they cut, sized for AMD Zen 5 (per core: 48 KiB L1d,
/// 1 MiB L2; 32 MiB L3 shared per CCD). The same sizes fit Intel Sapphire Rapids (48 KiB L1d, 2 MiB L2).
/// Sizes are in elements and chosen so the bytes are the same for float and double: a micro-panel row of B
/// is two vector registers (128 bytes) for either type.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// LOOP 4 cuts k into kc. The B micro-panel (kc x NR, 256 x 128 B = 32 KiB) is reused by every A micro-panel
    /// of the macro-kernel, so it must stay in the 48 KiB L1d next to the streaming A micro-panel
    /// (12 x 256 floats = 12 KiB). Larger kc also amortizes loading and storing the C tile over more FMAs.
    /// It also decides the rounding: C takes each block's sum in turn, so kc is the same on every CPU and for
    /// every kernel, and <see cref="GemmSmall"/> cuts k the same way.
    /// </summary>
    public const int KC = 256;

    /// <summary>
    /// LOOP 3 cuts m into mc: the packed A block (mc x kc) is read once per B micro-panel, so it lives in L2.
    /// 480 x 256 floats = 480 KiB, about half of Zen 5's 1 MiB L2, leaving room for the B panel streaming
    /// through. A multiple of every kernel's MR (12, 6, 4) so only the last block has an edge.
    /// </summary>
    public static int MC<T>() => typeof(T) == typeof(float) ? 480 : 240;

    /// <summary>
    /// LOOP 5 cuts n into nc: the packed B panel (kc x nc) is reused by every A block, so it lives in L3.
    /// 256 x 4096 floats = 4 MiB per thread, so 8 MiB with both cores, a quarter of the 32 MiB L3. A multiple of
    /// every kernel's NR (32, 16, 8, 4).
    /// </summary>
    public static int NC<T>() => typeof(T) == typeof(float) ? 4096 : 2048;
}
