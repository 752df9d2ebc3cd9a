namespace Engine.Kernels.Gemm;

/// <summary>Whether a GEMM operand is used as stored or transposed.</summary>
public enum Op
{
    /// <summary>Use the operand as stored (row-major).</summary>
    None,
    /// <summary>Use the transpose of the stored operand.</summary>
    Transpose,
}

/// <summary>
/// General matrix multiply over row-major spans: effectively computes
/// <c>C = alpha * op(A) * op(B) + beta * C</c>, where op(A) is m x k, op(B) is k x n and C is m x n.
/// </summary>
/// <remarks>
/// Leading dimensions are row strides: element (i, j) of a stored matrix X is <c>X[i * ldx + j]</c>.
/// When <c>beta == 0</c>, C is never read, so it may hold NaN or garbage on entry.
/// </remarks>
public static partial class Gemm
{
    /// <summary>
    /// Single precision GEMM; dispatches to the fastest variant for the shape (<see cref="GemmVariants.Select"/>):
    /// <see cref="GemmSmall"/> for small products such as the trainer's, <see cref="GemmPacked"/> otherwise,
    /// using every core above <see cref="GemmPacked.ParallelThreshold"/> multiply-adds.
    /// </summary>
    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        // The trainer's products take well under a microsecond, so the common paths skip the registry's
        // interface call and second validation and go straight to the kernels.
        if (GemmVariants.Forced is { } forced)
            forced.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else if (GemmVariants.Choose(m, n, k) == GemmVariants.Small)
            GemmSmall.Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            GemmPacked.Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmPacked.ThreadsFor(m, n, k));
    }

    /// <summary>Double precision GEMM; dispatches to the fastest variant for the shape.</summary>
    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (GemmVariants.Forced is { } forced)
            forced.Multiply(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else if (GemmVariants.Choose(m, n, k) == GemmVariants.Small)
            GemmSmall.Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            GemmPacked.Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmPacked.ThreadsFor(m, n, k));
    }
}
