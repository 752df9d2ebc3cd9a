namespace Engine.Kernels.Gemm;

/// <summary>
/// The registry of GEMM variants, from the oracle to the fastest: tests and benchmarks iterate it, the
/// self-check prints it, and <see cref="Gemm"/> dispatches through <see cref="Select"/>. Setting the environment
/// variable <c>ENGINE_GEMM_VARIANT</c> to a variant's name forces that variant for every call of <see cref="Gemm"/>.
/// </summary>
public static class GemmVariants
{
    /// <summary>The environment variable that forces one variant by name.</summary>
    public const string OverrideVariable = "ENGINE_GEMM_VARIANT";

    /// <summary>
    /// Below this many multiply-adds (m * n * k) <see cref="GemmSmall"/> runs: on one core it beats the packed
    /// variant while unpacked B fits in L2 (measured with bench/Gemm: 150 against 61 GFLOP/s at 64^3, 117
    /// against 91 at 128^3), and from here on the packed variant uses every core. The limit does not depend on
    /// the core count, the CPU or the vector width, so a product takes the same path, and gives the same bits, on
    /// every machine.
    /// </summary>
    internal const long SmallProductLimit = GemmPacked.ParallelThreshold;

    /// <summary>
    /// With any side this short the packed micro-kernel runs mostly on zero padding or repacks more than it
    /// computes (1000 x 16 x 1000: 65 against 24 GFLOP/s; 1000 x 1000 x 16: 98 against 56), so the unpacked
    /// kernels win whatever the product's size.
    /// </summary>
    internal const int SmallSide = 16;

    public static readonly IGemmVariant Naive = new NaiveVariant();
    public static readonly IGemmVariant Vector = new VectorVariant();
    public static readonly IGemmVariant Small = new SmallVariant();
    public static readonly IGemmVariant Packed = new PackedVariant();

    /// <summary>Every variant, supported here or not, oracle first.</summary>
    public static IReadOnlyList<IGemmVariant> All { get; } = [Naive, Vector, Small, Packed];

    /// <summary>The variants this machine can run.</summary>
    public static IReadOnlyList<IGemmVariant> Supported { get; } = All.Where(v => v.IsSupported).ToArray();

    /// <summary>The variant with this name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No variant has that name.</exception>
    public static IGemmVariant Get(string name) =>
        Find(name) ?? throw new ArgumentException($"No GEMM variant is named '{name}'; known: {Names}.", nameof(name));

    /// <summary>Every variant's name, comma-separated, for the messages that refuse a name.</summary>
    private static string Names => string.Join(", ", All.Select(v => v.Name));

    /// <summary>The variant with this name (case-insensitive), or null.</summary>
    private static IGemmVariant? Find(string name) =>
        All.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The variant <see cref="Gemm.Multiply(Op, Op, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> uses for an m x n x k product.</summary>
    public static IGemmVariant Select(int m, int n, int k) => Forced ?? Choose(m, n, k);

    /// <summary>The shape rule alone, ignoring the environment override.</summary>
    internal static IGemmVariant Choose(int m, int n, int k)
    {
        bool small = (long)m * n * k < SmallProductLimit || Math.Min(m, Math.Min(n, k)) <= SmallSide;
        return small ? Small : Packed;
    }

    /// <summary>The variant forced by <c>ENGINE_GEMM_VARIANT</c>, or null; read once per process.</summary>
    /// <exception cref="InvalidOperationException">The variable names no supported variant.</exception>
    public static IGemmVariant? Forced => overrideError is null ? forced : throw new InvalidOperationException(overrideError);

    /// <summary>
    /// Why <c>ENGINE_GEMM_VARIANT</c> cannot be used (an unknown name, or a variant this CPU cannot run), or null when it
    /// is unset or valid: a command line checks it before it starts, rather than failing at the first product.
    /// </summary>
    public static string? OverrideError => overrideError;

    // Read once into static readonly fields, which the optimizing JIT treats as constants: the check costs
    // nothing on the hot path. A bad value is kept as a message so that the error surfaces at the first call.
    private static readonly IGemmVariant? forced;
    private static readonly string? overrideError;

    static GemmVariants()
    {
        try
        {
            forced = ParseOverride(Environment.GetEnvironmentVariable(OverrideVariable));
        }
        catch (InvalidOperationException e)
        {
            overrideError = e.Message;
        }
    }

    /// <summary>Interprets a value of <c>ENGINE_GEMM_VARIANT</c>: empty means no override; an unknown or unsupported name is an error.</summary>
    internal static IGemmVariant? ParseOverride(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        IGemmVariant variant = Find(value.Trim()) ?? throw new InvalidOperationException($"{OverrideVariable}={value}: no GEMM variant has that name; the variants are {Names}.");
        if (!variant.IsSupported)
            throw new InvalidOperationException($"{OverrideVariable}={value}: {variant.Name} needs instructions this CPU lacks.");
        return variant;
    }

    private sealed class NaiveVariant : IGemmVariant
    {
        public string Name => nameof(GemmNaive);
        public bool IsSupported => true;

        public void Multiply(Op opA, Op opB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        {
            GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
            GemmNaive.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        public void Multiply(Op opA, Op opB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
            ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
        {
            GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
            GemmNaive.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
    }

    private sealed class VectorVariant : IGemmVariant
    {
        public string Name => nameof(GemmVector);
        public bool IsSupported => GemmVector.IsSupported;

        public void Multiply(Op opA, Op opB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
            GemmVector.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        public void Multiply(Op opA, Op opB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
            ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
            GemmVector.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private sealed class SmallVariant : IGemmVariant
    {
        public string Name => nameof(GemmSmall);
        public bool IsSupported => GemmSmall.IsSupported;

        public void Multiply(Op opA, Op opB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
            GemmSmall.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        public void Multiply(Op opA, Op opB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
            ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
            GemmSmall.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private sealed class PackedVariant : IGemmVariant
    {
        public string Name => nameof(GemmPacked);
        public bool IsSupported => GemmPacked.IsSupported;

        public void Multiply(Op opA, Op opB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
            GemmPacked.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        public void Multiply(Op opA, Op opB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
            ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
            GemmPacked.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
