namespace Engine.Kernels.Gemm;

/// <summary>Shape and stride checks shared by every GEMM variant, so a bad call fails before any memory is touched.</summary>
internal static class GemmArguments
{
    public static void Validate(Op opA, Op opB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative (m={m}, n={n}, k={k}).");
        // Stored shapes: op(A) is m x k, so A is stored m x k (None) or k x m (Transpose).
        (int aRows, int aCols) = opA == Op.None ? (m, k) : (k, m);
        (int bRows, int bCols) = opB == Op.None ? (k, n) : (n, k);
        CheckOperand("A", aRows, aCols, aLength, lda);
        CheckOperand("B", bRows, bCols, bLength, ldb);
        CheckOperand("C", m, n, cLength, ldc);
    }

    private static void CheckOperand(string name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols)
            throw new ArgumentException($"GEMM: leading dimension of {name} ({ld}) is smaller than its column count ({cols}).");
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"GEMM: {name} needs {needed} elements for {rows} x {cols} with stride {ld}, got {length}.");
    }
}
