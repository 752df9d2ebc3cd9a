using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Cli.CommandLine;

/// <summary>
/// The environment variables that tune the kernels, checked before a command runs: a mistyped value is bad input like a
/// mistyped option, where it would otherwise fail at the first product (<c>ENGINE_GEMM_VARIANT</c>) or be ignored
/// without a word (<c>ENGINE_MAX_VECTOR_BITS</c>).
/// </summary>
public static class EnvironmentSettings
{
    /// <summary>The first problem with the process's tuning variables, as a usage line, or null when they are usable.</summary>
    public static string? FirstError() => FirstError(GemmVariants.OverrideError, SimdDispatch.IgnoredEnvironmentValue);

    /// <param name="gemmOverrideError">Why ENGINE_GEMM_VARIANT cannot be used, or null.</param>
    /// <param name="unusableWidth">A value of ENGINE_MAX_VECTOR_BITS that is not a width, or null.</param>
    public static string? FirstError(string? gemmOverrideError, string? unusableWidth) =>
        gemmOverrideError is not null ? $"{gemmOverrideError} Unset it to let each product choose."
        : unusableWidth is not null ? $"{SimdDispatch.EnvironmentVariable}={unusableWidth}: expected 512, 256, 128 or 0 (the widest vectors the kernels may use)."
        : null;
}
