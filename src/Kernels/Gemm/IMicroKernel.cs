using System.Numerics;

namespace Engine.Kernels.Gemm;

/// <summary>
/// A register-blocked GEMM micro-kernel: an MR x NR tile of C held in registers while it walks a packed
/// micro-panel of A (MR values per step of k) and one of B (NR values per step of k). The macro-kernel is
/// generic over this interface, so the JIT compiles one specialized loop nest per kernel.
/// </summary>
internal unsafe interface IMicroKernel<T> where T : unmanaged, INumber<T>
{
    /// <summary>Rows of the tile: A values broadcast per step of k.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the tile: B values loaded per step of k (whole vectors).</summary>
    static abstract int NR { get; }

    static abstract bool IsSupported { get; }

    /// <summary>
    /// Computes <c>acc = sum over p of a[p * MR + r] * b[p * NR + j]</c> and stores <c>alpha * acc</c> into the
    /// MR x NR tile at <paramref name="c"/> (row stride <paramref name="ldc"/>), adding <c>beta * C</c> with one
    /// fused multiply-add when <paramref name="beta"/> is not zero. With <c>beta == 0</c> C is only written.
    /// </summary>
    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta);
}
