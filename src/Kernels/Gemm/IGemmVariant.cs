namespace Engine.Kernels.Gemm;

/// <summary>
/// One implementation of GEMM, reachable by name so tests, benchmarks and the self-check can run every variant
/// side by side. Every variant computes <c>C = alpha * op(A) * op(B) + beta * C</c> with the contract of
/// <see cref="Gemm.Multiply(Op, Op, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>:
/// arguments are validated first, and with <c>beta == 0</c> C is never read.
/// </summary>
public interface IGemmVariant
{
    /// <summary>The variant's name, e.g. <c>GemmPacked</c>; <see cref="GemmVariants.Get"/> finds it by this name.</summary>
    string Name { get; }

    /// <summary>Whether the instructions the variant needs are available on this machine.</summary>
    bool IsSupported { get; }

    /// <summary>Single precision GEMM with this variant.</summary>
    void Multiply(Op opA, Op opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc);

    /// <summary>Double precision GEMM with this variant.</summary>
    void Multiply(Op opA, Op opB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc);
}
