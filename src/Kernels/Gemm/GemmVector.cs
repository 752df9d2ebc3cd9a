using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Engine.Kernels.Gemm;

/// <summary>
/// GEMM with plain <see cref="Vector{T}"/> loops and no packing: with op(B) = B each row of C is built as a sum
/// of scaled rows of B (axpy along contiguous rows); with op(B) = B^T each element of C is a dot product of two
/// contiguous rows. It is the portable vectorized baseline between the naive oracle and the packed variant.
/// </summary>
public static class GemmVector
{
    public static bool IsSupported => true;

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        GemmArguments.Validate(opA, opB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void Run<T>(Op opA, Op opB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return;
        if (opB == Op.None)
            RowsOfB(opA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            Dots(opA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>C(i, :) = beta * C(i, :) + sum over p of (alpha * op(A)(i, p)) * B(p, :).</summary>
    private static void RowsOfB<T>(Op opA, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        int width = Vector<T>.Count;
        for (int i = 0; i < m; i++)
        {
            Span<T> cRow = c.Slice(i * ldc, n);
            if (beta == T.Zero)
                cRow.Clear();
            else if (beta != T.One)
                for (int j = 0; j < n; j++) cRow[j] *= beta;
            for (int p = 0; p < k; p++)
            {
                T scale = alpha * (opA == Op.None ? a[i * lda + p] : a[p * lda + i]);
                ReadOnlySpan<T> bRow = b.Slice(p * ldb, n);
                ref T bStart = ref MemoryMarshal.GetReference(bRow);
                ref T cStart = ref MemoryMarshal.GetReference(cRow);
                var vScale = new Vector<T>(scale);
                int j = 0;
                // The slices above were bounds-checked once; the loop reads within them.
                for (; j <= n - width; j += width)
                    (Vector.LoadUnsafe(ref cStart, (nuint)j) + vScale * Vector.LoadUnsafe(ref bStart, (nuint)j)).StoreUnsafe(ref cStart, (nuint)j);
                for (; j < n; j++)
                    cRow[j] += scale * bRow[j];
            }
        }
    }

    /// <summary>C(i, j) = alpha * dot(op(A)(i, :), B(j, :)) + beta * C(i, j), with B stored n x k.</summary>
    private static void Dots<T>(Op opA, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        // A transposed has its rows of op(A) strided; gather each one once into a contiguous buffer.
        T[]? rented = opA == Op.Transpose ? ArrayPool<T>.Shared.Rent(k) : null;
        try
        {
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> aRow;
                if (rented is null)
                    aRow = a.Slice(i * lda, k);
                else
                {
                    for (int p = 0; p < k; p++) rented[p] = a[p * lda + i];
                    aRow = rented.AsSpan(0, k);
                }
                for (int j = 0; j < n; j++)
                {
                    T dot = Dot(aRow, b.Slice(j * ldb, k));
                    ref T cij = ref c[i * ldc + j];
                    cij = beta == T.Zero ? alpha * dot : alpha * dot + beta * cij;
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    private static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, INumber<T>
    {
        int width = Vector<T>.Count;
        ref T xStart = ref MemoryMarshal.GetReference(x);
        ref T yStart = ref MemoryMarshal.GetReference(y);
        var acc = Vector<T>.Zero;
        int p = 0;
        for (; p <= x.Length - width; p += width)
            acc += Vector.LoadUnsafe(ref xStart, (nuint)p) * Vector.LoadUnsafe(ref yStart, (nuint)p);
        T sum = Vector.Sum(acc);
        for (; p < x.Length; p++) sum += x[p] * y[p];
        return sum;
    }
}
