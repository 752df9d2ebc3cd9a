using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Blas;

/// <summary>
/// Double precision matrix-vector product over a row-major matrix: effectively computes
/// <c>y = alpha * op(A) * x + beta * y</c>, where A is stored m x n with row stride lda.
/// With <see cref="Op.None"/>, x has n elements and y has m; with <see cref="Op.Transpose"/>, x has m and y has n.
/// When <c>beta == 0</c>, y is never read, so it may hold NaN on entry.
/// </summary>
/// <remarks>
/// <see cref="Op.None"/> is a dot product per row; four rows share each load of x and keep four independent
/// accumulators, which hides the latency of the fused multiply-adds. <see cref="Op.Transpose"/> is an axpy per
/// row; four rows are folded into each load and store of y, so y travels through the cache a quarter as often.
/// The width is <see cref="SimdDispatch.Current"/>: 512, else 256 (also for a 128-bit cap, which has no path of its
/// own here), else only the scalar loop, which also handles the tail.
/// </remarks>
public static class Gemv
{
    /// <summary>
    /// <c>y = alpha * op(A) * x + beta * y</c> with A stored <paramref name="m"/> x <paramref name="n"/> (row stride
    /// <paramref name="lda"/>); y is not read when beta is 0.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, or a stride or a span is too short for the sizes.</exception>
    public static void Multiply(Op op, int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        Validate(op, m, n, a.Length, lda, x.Length, y.Length);
        if (op == Op.None) MultiplyRows(m, n, alpha, a, lda, x, beta, y);
        else MultiplyTransposed(m, n, alpha, a, lda, x, beta, y);
    }

    /// <summary>The scalar reference, used by the tests as the oracle.</summary>
    public static void MultiplyNaive(Op op, int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        Validate(op, m, n, a.Length, lda, x.Length, y.Length);
        int outputs = op == Op.None ? m : n;
        for (int i = 0; i < outputs; i++)
        {
            double s = 0;
            if (op == Op.None) for (int j = 0; j < n; j++) s += a[i * lda + j] * x[j];
            else for (int r = 0; r < m; r++) s += a[r * lda + i] * x[r];
            y[i] = beta == 0 ? alpha * s : alpha * s + beta * y[i];
        }
    }

    /// <summary>The dot product of row <paramref name="row"/> (n elements) with x, vectorized.</summary>
    public static double RowDot(ReadOnlySpan<double> row, ReadOnlySpan<double> x)
    {
        if (row.Length != x.Length) throw new ArgumentException($"Gemv: row and x lengths differ ({row.Length} vs {x.Length}).");
        return Dot(ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(x), row.Length);
    }

    /// <summary>Effectively computes <c>y += alpha * row</c>, vectorized (one row of a transposed product).</summary>
    public static void RowAxpy(double alpha, ReadOnlySpan<double> row, Span<double> y)
    {
        if (row.Length != y.Length) throw new ArgumentException($"Gemv: row and y lengths differ ({row.Length} vs {y.Length}).");
        Axpy(alpha, ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(y), row.Length);
    }

    private static void MultiplyRows(int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        ref double a0 = ref MemoryMarshal.GetReference(a);
        ref double x0 = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Dot4(ref Unsafe.Add(ref a0, (nint)i * lda), lda, ref x0, n, out double s0, out double s1, out double s2, out double s3);
            Store(y, i, alpha * s0, beta);
            Store(y, i + 1, alpha * s1, beta);
            Store(y, i + 2, alpha * s2, beta);
            Store(y, i + 3, alpha * s3, beta);
        }
        for (; i < m; i++) Store(y, i, alpha * Dot(ref Unsafe.Add(ref a0, (nint)i * lda), ref x0, n), beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<double> y, int i, double value, double beta) => y[i] = beta == 0 ? value : value + beta * y[i];

    private static void MultiplyTransposed(int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        if (beta == 0) y[..n].Clear();
        else if (beta != 1) for (int j = 0; j < n; j++) y[j] *= beta;
        ref double a0 = ref MemoryMarshal.GetReference(a);
        ref double y0 = ref MemoryMarshal.GetReference(y);
        int r = 0;
        for (; r + 4 <= m; r += 4)
        {
            double c0 = alpha * x[r], c1 = alpha * x[r + 1], c2 = alpha * x[r + 2], c3 = alpha * x[r + 3];
            if (c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0) continue;
            Axpy4(c0, c1, c2, c3, ref Unsafe.Add(ref a0, (nint)r * lda), lda, ref y0, n);
        }
        for (; r < m; r++)
        {
            double c = alpha * x[r];
            if (c != 0) Axpy(c, ref Unsafe.Add(ref a0, (nint)r * lda), ref y0, n);
        }
    }

    private static double Dot(ref double a, ref double x, int n)
    {
        VectorWidth width = SimdDispatch.Current;
        int j = 0;
        double s = 0;
        if (width == VectorWidth.Vector512 && n >= 16)
        {
            Vector512<double> acc0 = Vector512<double>.Zero, acc1 = Vector512<double>.Zero;
            for (; j + 16 <= n; j += 16)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref x, (nuint)j), acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref a, (nuint)(j + 8)), Vector512.LoadUnsafe(ref x, (nuint)(j + 8)), acc1);
            }
            s = Vector512.Sum(acc0 + acc1);
        }
        else if (width >= VectorWidth.Vector256 && n >= 8)
        {
            Vector256<double> acc0 = Vector256<double>.Zero, acc1 = Vector256<double>.Zero;
            for (; j + 8 <= n; j += 8)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)j), Vector256.LoadUnsafe(ref x, (nuint)j), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)(j + 4)), Vector256.LoadUnsafe(ref x, (nuint)(j + 4)), acc1);
            }
            s = Vector256.Sum(acc0 + acc1);
        }
        for (; j < n; j++) s += Unsafe.Add(ref a, j) * Unsafe.Add(ref x, j);
        return s;
    }

    private static void Dot4(ref double a, int lda, ref double x, int n, out double s0, out double s1, out double s2, out double s3)
    {
        VectorWidth width = SimdDispatch.Current;
        ref double r0 = ref a;
        ref double r1 = ref Unsafe.Add(ref a, lda);
        ref double r2 = ref Unsafe.Add(ref a, 2 * (nint)lda);
        ref double r3 = ref Unsafe.Add(ref a, 3 * (nint)lda);
        int j = 0;
        s0 = s1 = s2 = s3 = 0;
        if (width == VectorWidth.Vector512 && n >= 8)
        {
            Vector512<double> a0 = Vector512<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; j + 8 <= n; j += 8)
            {
                var xv = Vector512.LoadUnsafe(ref x, (nuint)j);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)j), xv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, (nuint)j), xv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, (nuint)j), xv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, (nuint)j), xv, a3);
            }
            s0 = Vector512.Sum(a0); s1 = Vector512.Sum(a1); s2 = Vector512.Sum(a2); s3 = Vector512.Sum(a3);
        }
        else if (width >= VectorWidth.Vector256 && n >= 4)
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; j + 4 <= n; j += 4)
            {
                var xv = Vector256.LoadUnsafe(ref x, (nuint)j);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, (nuint)j), xv, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, (nuint)j), xv, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, (nuint)j), xv, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, (nuint)j), xv, a3);
            }
            s0 = Vector256.Sum(a0); s1 = Vector256.Sum(a1); s2 = Vector256.Sum(a2); s3 = Vector256.Sum(a3);
        }
        for (; j < n; j++)
        {
            double xj = Unsafe.Add(ref x, j);
            s0 += Unsafe.Add(ref r0, j) * xj;
            s1 += Unsafe.Add(ref r1, j) * xj;
            s2 += Unsafe.Add(ref r2, j) * xj;
            s3 += Unsafe.Add(ref r3, j) * xj;
        }
    }

    private static void Axpy(double c, ref double a, ref double y, int n)
    {
        VectorWidth width = SimdDispatch.Current;
        int j = 0;
        if (width == VectorWidth.Vector512)
        {
            var cv = Vector512.Create(c);
            for (; j + 8 <= n; j += 8)
                Vector512.FusedMultiplyAdd(cv, Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref y, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
        }
        else if (width >= VectorWidth.Vector256)
        {
            var cv = Vector256.Create(c);
            for (; j + 4 <= n; j += 4)
                Vector256.FusedMultiplyAdd(cv, Vector256.LoadUnsafe(ref a, (nuint)j), Vector256.LoadUnsafe(ref y, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
        }
        for (; j < n; j++) Unsafe.Add(ref y, j) += c * Unsafe.Add(ref a, j);
    }

    private static void Axpy4(double c0, double c1, double c2, double c3, ref double a, int lda, ref double y, int n)
    {
        VectorWidth width = SimdDispatch.Current;
        ref double r0 = ref a;
        ref double r1 = ref Unsafe.Add(ref a, lda);
        ref double r2 = ref Unsafe.Add(ref a, 2 * (nint)lda);
        ref double r3 = ref Unsafe.Add(ref a, 3 * (nint)lda);
        int j = 0;
        if (width == VectorWidth.Vector512)
        {
            Vector512<double> v0 = Vector512.Create(c0), v1 = Vector512.Create(c1), v2 = Vector512.Create(c2), v3 = Vector512.Create(c3);
            for (; j + 8 <= n; j += 8)
            {
                var acc = Vector512.LoadUnsafe(ref y, (nuint)j);
                acc = Vector512.FusedMultiplyAdd(v0, Vector512.LoadUnsafe(ref r0, (nuint)j), acc);
                acc = Vector512.FusedMultiplyAdd(v1, Vector512.LoadUnsafe(ref r1, (nuint)j), acc);
                acc = Vector512.FusedMultiplyAdd(v2, Vector512.LoadUnsafe(ref r2, (nuint)j), acc);
                acc = Vector512.FusedMultiplyAdd(v3, Vector512.LoadUnsafe(ref r3, (nuint)j), acc);
                acc.StoreUnsafe(ref y, (nuint)j);
            }
        }
        else if (width >= VectorWidth.Vector256)
        {
            Vector256<double> v0 = Vector256.Create(c0), v1 = Vector256.Create(c1), v2 = Vector256.Create(c2), v3 = Vector256.Create(c3);
            for (; j + 4 <= n; j += 4)
            {
                var acc = Vector256.LoadUnsafe(ref y, (nuint)j);
                acc = Vector256.FusedMultiplyAdd(v0, Vector256.LoadUnsafe(ref r0, (nuint)j), acc);
                acc = Vector256.FusedMultiplyAdd(v1, Vector256.LoadUnsafe(ref r1, (nuint)j), acc);
                acc = Vector256.FusedMultiplyAdd(v2, Vector256.LoadUnsafe(ref r2, (nuint)j), acc);
                acc = Vector256.FusedMultiplyAdd(v3, Vector256.LoadUnsafe(ref r3, (nuint)j), acc);
                acc.StoreUnsafe(ref y, (nuint)j);
            }
        }
        for (; j < n; j++)
            Unsafe.Add(ref y, j) += c0 * Unsafe.Add(ref r0, j) + c1 * Unsafe.Add(ref r1, j) + c2 * Unsafe.Add(ref r2, j) + c3 * Unsafe.Add(ref r3, j);
    }

    private static void Validate(Op op, int m, int n, int aLength, int lda, int xLength, int yLength)
    {
        if (m < 0 || n < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Gemv sizes must be non-negative (m={m}, n={n}).");
        if (m > 0 && n > 0)
        {
            if (lda < n) throw new ArgumentException($"Gemv: leading dimension ({lda}) is smaller than the column count ({n}).");
            long needed = (long)(m - 1) * lda + n;
            if (aLength < needed) throw new ArgumentException($"Gemv: A needs {needed} elements for {m} x {n} with stride {lda}, got {aLength}.");
        }
        (int xNeeded, int yNeeded) = op == Op.None ? (n, m) : (m, n);
        if (xLength < xNeeded) throw new ArgumentException($"Gemv: x needs {xNeeded} elements, got {xLength}.");
        if (yLength < yNeeded) throw new ArgumentException($"Gemv: y needs {yNeeded} elements, got {yLength}.");
    }
}
