using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Gemm;

/// <summary>Shape and stride checks shared by every GEMM variant, so a bad call fails before any memory is touched.</summary>
/// <remarks>
/// The trainer's products take well under a microsecond, so the checks are inlined compares and the messages are built
/// in methods that are called only to throw: with the messages inline, each check set up its string builder's frame on
/// every call.
/// </remarks>
internal static class GemmArguments
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Validate(Op opA, Op opB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if ((m | n | k) < 0) ThrowNegativeSize(m, n, k);
        // Stored shapes: op(A) is m x k, so A is stored m x k (None) or k x m (Transpose).
        (int aRows, int aCols) = opA == Op.None ? (m, k) : (k, m);
        (int bRows, int bCols) = opB == Op.None ? (k, n) : (n, k);
        CheckOperand('A', aRows, aCols, aLength, lda);
        CheckOperand('B', bRows, bCols, bLength, ldb);
        CheckOperand('C', m, n, cLength, ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckOperand(char name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols || length < (long)(rows - 1) * ld + cols) ThrowBadOperand(name, rows, cols, length, ld);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNegativeSize(int m, int n, int k) =>
        throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative (m={m}, n={n}, k={k}).");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadOperand(char name, int rows, int cols, int length, int ld)
    {
        if (ld < cols)
            throw new ArgumentException($"GEMM: leading dimension of {name} ({ld}) is smaller than its column count ({cols}).");
        throw new ArgumentException($"GEMM: {name} needs {(long)(rows - 1) * ld + cols} elements for {rows} x {cols} with stride {ld}, got {length}.");
    }
}
