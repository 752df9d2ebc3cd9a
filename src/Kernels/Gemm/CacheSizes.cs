using System.Globalization;

namespace Engine.Kernels.Gemm;

/// <summary>The data cache sizes of one core, in bytes: the level 1 data cache, the level 2 cache, and the level 3 cache it shares.</summary>
public readonly record struct CacheSizes(long L1Data, long L2, long L3)
{
    /// <summary>What <see cref="Detect"/> assumes where the operating system does not say: a Zen 4 core (32 KiB, 1 MiB, 32 MiB).</summary>
    public static CacheSizes Fallback { get; } = new(32 << 10, 1 << 20, 32 << 20);

    /// <summary>
    /// The caches of CPU 0 as Linux lists them under /sys/devices/system/cpu/cpu0/cache; <see cref="Fallback"/> for a
    /// level it does not list (another operating system, a container that hides /sys).
    /// </summary>
    public static CacheSizes Detect()
    {
        long l1 = 0, l2 = 0, l3 = 0;
        try
        {
            const string root = "/sys/devices/system/cpu/cpu0/cache";
            if (Directory.Exists(root))
                foreach (string index in Directory.GetDirectories(root, "index*"))
                {
                    string type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                    if (type == "Instruction") continue;
                    int level = int.Parse(File.ReadAllText(Path.Combine(index, "level")).Trim(), CultureInfo.InvariantCulture);
                    long size = ParseSize(File.ReadAllText(Path.Combine(index, "size")).Trim());
                    if (level == 1) l1 = size;
                    else if (level == 2) l2 = size;
                    else if (level == 3) l3 = size;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // An unreadable or unexpected entry leaves its level to the fallback.
        }
        return new(l1 > 0 ? l1 : Fallback.L1Data, l2 > 0 ? l2 : Fallback.L2, l3 > 0 ? l3 : Fallback.L3);
    }

    /// <summary>A size as /sys writes it: "32K", "1024K", "32M", or bytes.</summary>
    internal static long ParseSize(string text)
    {
        long unit = text[^1] switch { 'K' or 'k' => 1L << 10, 'M' or 'm' => 1L << 20, 'G' or 'g' => 1L << 30, _ => 1 };
        string digits = unit == 1 ? text : text[..^1];
        return long.Parse(digits, CultureInfo.InvariantCulture) * unit;
    }

    public override string ToString() => $"L1d {L1Data >> 10} KiB, L2 {L2 >> 10} KiB, L3 {L3 >> 20} MiB";
}
