namespace Engine.Kernels.Gemm;

/// <summary>
/// Cache block sizes of the packed GEMM, one per loop they cut, chosen from the cache sizes of the machine
/// (<see cref="CacheSizes.Detect"/>) in one table, <see cref="Table"/>. Only MC and NC follow the caches; KC is one
/// constant everywhere, because it decides the rounding. Sizes are in elements and the same bytes for float and double.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// LOOP 4 cuts k into kc. The B micro-panel (kc x NR, 256 x 128 B = 32 KiB) is reused by every A micro-panel of the
    /// macro-kernel from L1 (or, where L1 holds only 32 KiB, streamed from L2 next to the A micro-panel, 12 KiB, which
    /// the micro-kernel's 24 FMAs per step hide). Larger kc also amortizes loading and storing the C tile over more FMAs.
    /// It also decides the rounding: C takes each block's sum in turn, so kc is the same on every CPU and for every
    /// kernel, and <see cref="GemmSmall"/> cuts k the same way.
    /// </summary>
    public const int KC = 256;

    /// <summary>
    /// One row per class of machine, from the largest caches down; the first row whose L2 and L3 the machine has is
    /// used. MC (LOOP 3: the packed A block, mc x kc, lives in L2) is sized to about half of L2, leaving room for the B
    /// panel streaming through, and is a multiple of every kernel's MR (12, 6, 4). NC (LOOP 5: the packed B panel,
    /// kc x nc, lives in L3 and is reused by every A block) takes at most a quarter of L3 with every core packing its
    /// own, and is a multiple of every kernel's NR (32, 16, 8, 4). Float sizes; double halves them.
    /// </summary>
    internal static readonly (string Machines, long MinL2, long MinL3, int MC, int NC)[] Table =
    [
        ("2 MiB L2: Intel Sapphire Rapids, Emerald Rapids, Granite Rapids", 2L << 20, 16L << 20, 960, 4096),
        ("1 MiB L2: AMD Zen 4, Zen 5; Intel Skylake-SP, Ice Lake-SP", 1L << 20, 16L << 20, 480, 4096),
        ("1 MiB L2 with a small L3", 1L << 20, 0, 480, 2048),
        ("512 KiB L2: AMD Zen 2, Zen 3", 512L << 10, 0, 240, 2048),
        ("smaller caches", 0, 0, 120, 1024),
    ];

    /// <summary>The detected caches of this machine, read once.</summary>
    public static CacheSizes Caches { get; } = CacheSizes.Detect();

    private static readonly (int MC, int NC) Chosen = For(Caches);

    /// <summary>The row of <see cref="Table"/> for <paramref name="caches"/>: (MC, NC) in floats.</summary>
    internal static (int MC, int NC) For(CacheSizes caches)
    {
        foreach (var row in Table)
            if (caches.L2 >= row.MinL2 && caches.L3 >= row.MinL3) return (row.MC, row.NC);
        return (Table[^1].MC, Table[^1].NC);
    }

    /// <summary>The name of the row this machine uses, for the self-check.</summary>
    public static string RowName => Table.First(r => Caches.L2 >= r.MinL2 && Caches.L3 >= r.MinL3).Machines;

    /// <summary>LOOP 3 cuts m into mc (<see cref="Table"/>).</summary>
    public static int MC<T>() => typeof(T) == typeof(float) ? Chosen.MC : Chosen.MC / 2;

    /// <summary>LOOP 5 cuts n into nc (<see cref="Table"/>).</summary>
    public static int NC<T>() => typeof(T) == typeof(float) ? Chosen.NC : Chosen.NC / 2;
}
