using System.Runtime.Intrinsics;

namespace Engine.Kernels.Simd;

/// <summary>
/// Chooses the vector width of the elementwise, BLAS-1 and sampler kernels: the widest width the hardware
/// accelerates, capped by the environment variable <see cref="EnvironmentVariable"/> (512, 256, 128 or 0), and
/// narrowed further by <see cref="Force"/> for the calling flow of execution (the thread and the tasks and
/// parallel loops it starts), which is how tests run every available width, whole experiments included.
/// </summary>
public static class SimdDispatch
{
    /// <summary>The environment variable that caps the width for the whole process, in bits: 512, 256, 128 or 0.</summary>
    public const string EnvironmentVariable = "ENGINE_MAX_VECTOR_BITS";

    // Zero means "not forced", otherwise the forced width's bits plus one (so that Scalar can be forced too). It flows
    // with the execution context into Parallel.For and tasks; while no scope is open anywhere (the normal case) the
    // count keeps kernels from reading it at all.
    private static readonly AsyncLocal<int> s_forcedBitsPlusOne = new();
    private static int s_openScopes;

    /// <summary>The widest width the hardware accelerates.</summary>
    public static VectorWidth Hardware { get; } =
        Vector512.IsHardwareAccelerated ? VectorWidth.Vector512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Vector256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Vector128
        : VectorWidth.Scalar;

    /// <summary>
    /// The value of <see cref="EnvironmentVariable"/> when it is set but is not one of 512, 256, 128 or 0 (it is then
    /// ignored here); null when it is unset or valid. The command line refuses to run with it, so a typo does not go unnoticed.
    /// </summary>
    public static string? IgnoredEnvironmentValue { get; }

    /// <summary>The process-wide width: <see cref="Hardware"/> capped by <see cref="EnvironmentVariable"/>.</summary>
    public static VectorWidth Maximum { get; }

    static SimdDispatch()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        VectorWidth? cap = ParseCap(text);
        if (cap is null && !string.IsNullOrWhiteSpace(text)) IgnoredEnvironmentValue = text;
        Maximum = cap is { } c && c < Hardware ? c : Hardware;
    }

    /// <summary>The width kernels called on this thread run at now.</summary>
    public static VectorWidth Current
    {
        get
        {
            if (Volatile.Read(ref s_openScopes) == 0) return Maximum;
            int forced = s_forcedBitsPlusOne.Value;
            return forced == 0 ? Maximum : (VectorWidth)(forced - 1);
        }
    }

    /// <summary>Every width this machine can run, widest first, ending with <see cref="VectorWidth.Scalar"/>.</summary>
    public static IReadOnlyList<VectorWidth> Available { get; } =
        new[] { VectorWidth.Vector512, VectorWidth.Vector256, VectorWidth.Vector128, VectorWidth.Scalar }.Where(w => w <= Hardware).ToArray();

    /// <summary>The name of a variant as <c>engine selfcheck</c> prints it, e.g. <c>Vector512</c> or <c>Scalar</c>.</summary>
    public static string VariantName(VectorWidth width) => width.ToString();

    /// <summary>
    /// Runs kernels called from here at <paramref name="width"/> until the returned scope is disposed, including in the
    /// parallel loops and tasks started meanwhile. Other flows are not affected, so tests that force a width can run in parallel.
    /// </summary>
    public static ForcedWidth Force(VectorWidth width)
    {
        if (!Enum.IsDefined(width)) throw new ArgumentOutOfRangeException(nameof(width), $"Not a vector width: {(int)width}.");
        if (width > Hardware) throw new ArgumentOutOfRangeException(nameof(width), $"{width} is not accelerated on this machine (widest: {Hardware}).");
        int previous = s_forcedBitsPlusOne.Value;
        Interlocked.Increment(ref s_openScopes);
        s_forcedBitsPlusOne.Value = (int)width + 1;
        return new ForcedWidth(previous);
    }

    /// <summary>The scope returned by <see cref="Force"/>; disposing it (once) restores the previous width.</summary>
    public readonly struct ForcedWidth : IDisposable
    {
        private readonly int _previous;

        internal ForcedWidth(int previous) => _previous = previous;

        public void Dispose()
        {
            s_forcedBitsPlusOne.Value = _previous;
            Interlocked.Decrement(ref s_openScopes);
        }
    }

    /// <summary>The width a value of <see cref="EnvironmentVariable"/> asks for, or null if it is unset or not a width.</summary>
    internal static VectorWidth? ParseCap(string? text) => text?.Trim() switch
    {
        "512" => VectorWidth.Vector512,
        "256" => VectorWidth.Vector256,
        "128" => VectorWidth.Vector128,
        "0" => VectorWidth.Scalar,
        _ => null,
    };
}
