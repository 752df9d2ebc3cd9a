using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// Every loop is written once over the 8 double lanes of <see cref="ILanes{TSelf, T}"/> and runs at
/// <see cref="SimdDispatch.Current"/>; every multiply-add is fused and every sum has a fixed order defined on those
/// lanes, so the result is the same bits at every width and on every CPU.
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
        if (row.Length != x.Length) ThrowLengthsDiffer("x", row.Length, x.Length);
        return Dot(ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(x), row.Length);
    }

    /// <summary>Effectively computes <c>y += alpha * row</c>, vectorized (one row of a transposed product).</summary>
    public static void RowAxpy(double alpha, ReadOnlySpan<double> row, Span<double> y)
    {
        if (row.Length != y.Length) ThrowLengthsDiffer("y", row.Length, y.Length);
        Axpy(alpha, ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(y), row.Length);
    }

    private static void MultiplyRows(int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512: MultiplyRows<Lanes512<double>>(m, n, alpha, a, lda, x, beta, y); break;
            case VectorWidth.Vector256: MultiplyRows<Lanes256x2<double>>(m, n, alpha, a, lda, x, beta, y); break;
            case VectorWidth.Vector128: MultiplyRows<Lanes128x4<double>>(m, n, alpha, a, lda, x, beta, y); break;
            default: MultiplyRows<LanesScalar<double>>(m, n, alpha, a, lda, x, beta, y); break;
        }
    }

    private static void MultiplyRows<TLanes>(int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y) where TLanes : struct, ILanes<TLanes, double>
    {
        ref double a0 = ref MemoryMarshal.GetReference(a);
        ref double x0 = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Dot4<TLanes>(ref Unsafe.Add(ref a0, (nint)i * lda), lda, ref x0, n, out double s0, out double s1, out double s2, out double s3);
            Store(y, i, alpha * s0, beta);
            Store(y, i + 1, alpha * s1, beta);
            Store(y, i + 2, alpha * s2, beta);
            Store(y, i + 3, alpha * s3, beta);
        }
        for (; i < m; i++) Store(y, i, alpha * Dot<TLanes>(ref Unsafe.Add(ref a0, (nint)i * lda), ref x0, n), beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<double> y, int i, double value, double beta) => y[i] = beta == 0 ? value : Math.FusedMultiplyAdd(beta, y[i], value);

    private static void MultiplyTransposed(int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512: MultiplyTransposed<Lanes512<double>>(m, n, alpha, a, lda, x, beta, y); break;
            case VectorWidth.Vector256: MultiplyTransposed<Lanes256x2<double>>(m, n, alpha, a, lda, x, beta, y); break;
            case VectorWidth.Vector128: MultiplyTransposed<Lanes128x4<double>>(m, n, alpha, a, lda, x, beta, y); break;
            default: MultiplyTransposed<LanesScalar<double>>(m, n, alpha, a, lda, x, beta, y); break;
        }
    }

    private static void MultiplyTransposed<TLanes>(int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y) where TLanes : struct, ILanes<TLanes, double>
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
            Axpy4<TLanes>(c0, c1, c2, c3, ref Unsafe.Add(ref a0, (nint)r * lda), lda, ref y0, n);
        }
        for (; r < m; r++)
        {
            double c = alpha * x[r];
            if (c != 0) Axpy<TLanes>(c, ref Unsafe.Add(ref a0, (nint)r * lda), ref y0, n);
        }
    }

    // The dot product of one row: two accumulators of 8 lanes over each 16 elements (element j in lane j mod 8 of
    // accumulator (j / 8) mod 2), their sum folded by halving, then the rest added left to right, every step a fused
    // multiply-add. That order is the same at every width.
    private static double Dot(ref double a, ref double x, int n) => SimdDispatch.Current switch
    {
        VectorWidth.Vector512 => Dot<Lanes512<double>>(ref a, ref x, n),
        VectorWidth.Vector256 => Dot<Lanes256x2<double>>(ref a, ref x, n),
        VectorWidth.Vector128 => Dot<Lanes128x4<double>>(ref a, ref x, n),
        _ => Dot<LanesScalar<double>>(ref a, ref x, n),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot<TLanes>(ref double a, ref double x, int n) where TLanes : struct, ILanes<TLanes, double>
    {
        int j = 0;
        double s = 0;
        if (n >= 16)
        {
            TLanes acc0 = TLanes.Zero, acc1 = TLanes.Zero;
            for (; j + 16 <= n; j += 16)
            {
                acc0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref a, (nuint)j), TLanes.Load(ref x, (nuint)j), acc0);
                acc1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref a, (nuint)(j + 8)), TLanes.Load(ref x, (nuint)(j + 8)), acc1);
            }
            s = TLanes.Sum(acc0 + acc1);
        }
        for (; j < n; j++) s = Math.FusedMultiplyAdd(Unsafe.Add(ref a, j), Unsafe.Add(ref x, j), s);
        return s;
    }

    // Four rows against one x: one accumulator of 8 lanes per row, folded by halving, then the rest left to right.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<TLanes>(ref double a, int lda, ref double x, int n, out double s0, out double s1, out double s2, out double s3)
        where TLanes : struct, ILanes<TLanes, double>
    {
        ref double r0 = ref a;
        ref double r1 = ref Unsafe.Add(ref a, lda);
        ref double r2 = ref Unsafe.Add(ref a, 2 * (nint)lda);
        ref double r3 = ref Unsafe.Add(ref a, 3 * (nint)lda);
        int j = 0;
        s0 = s1 = s2 = s3 = 0;
        if (n >= 8)
        {
            TLanes a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; j + 8 <= n; j += 8)
            {
                TLanes xv = TLanes.Load(ref x, (nuint)j);
                a0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref r0, (nuint)j), xv, a0);
                a1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref r1, (nuint)j), xv, a1);
                a2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref r2, (nuint)j), xv, a2);
                a3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref r3, (nuint)j), xv, a3);
            }
            s0 = TLanes.Sum(a0); s1 = TLanes.Sum(a1); s2 = TLanes.Sum(a2); s3 = TLanes.Sum(a3);
        }
        for (; j < n; j++)
        {
            double xj = Unsafe.Add(ref x, j);
            s0 = Math.FusedMultiplyAdd(Unsafe.Add(ref r0, j), xj, s0);
            s1 = Math.FusedMultiplyAdd(Unsafe.Add(ref r1, j), xj, s1);
            s2 = Math.FusedMultiplyAdd(Unsafe.Add(ref r2, j), xj, s2);
            s3 = Math.FusedMultiplyAdd(Unsafe.Add(ref r3, j), xj, s3);
        }
    }

    private static void Axpy(double c, ref double a, ref double y, int n)
    {
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512: Axpy<Lanes512<double>>(c, ref a, ref y, n); break;
            case VectorWidth.Vector256: Axpy<Lanes256x2<double>>(c, ref a, ref y, n); break;
            case VectorWidth.Vector128: Axpy<Lanes128x4<double>>(c, ref a, ref y, n); break;
            default: Axpy<LanesScalar<double>>(c, ref a, ref y, n); break;
        }
    }

    // Elementwise: y[j] = fma(c, a[j], y[j]), the same in lanes and in the scalar tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy<TLanes>(double c, ref double a, ref double y, int n) where TLanes : struct, ILanes<TLanes, double>
    {
        int j = 0;
        TLanes cv = TLanes.Create(c);
        for (; j + 8 <= n; j += 8)
            TLanes.Store(TLanes.FusedMultiplyAdd(cv, TLanes.Load(ref a, (nuint)j), TLanes.Load(ref y, (nuint)j)), ref y, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref y, j) = Math.FusedMultiplyAdd(c, Unsafe.Add(ref a, j), Unsafe.Add(ref y, j));
    }

    // Elementwise: y[j] takes the four rows' terms in order, each a fused multiply-add, in lanes and in the tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy4<TLanes>(double c0, double c1, double c2, double c3, ref double a, int lda, ref double y, int n)
        where TLanes : struct, ILanes<TLanes, double>
    {
        ref double r0 = ref a;
        ref double r1 = ref Unsafe.Add(ref a, lda);
        ref double r2 = ref Unsafe.Add(ref a, 2 * (nint)lda);
        ref double r3 = ref Unsafe.Add(ref a, 3 * (nint)lda);
        int j = 0;
        TLanes v0 = TLanes.Create(c0), v1 = TLanes.Create(c1), v2 = TLanes.Create(c2), v3 = TLanes.Create(c3);
        for (; j + 8 <= n; j += 8)
        {
            TLanes acc = TLanes.Load(ref y, (nuint)j);
            acc = TLanes.FusedMultiplyAdd(v0, TLanes.Load(ref r0, (nuint)j), acc);
            acc = TLanes.FusedMultiplyAdd(v1, TLanes.Load(ref r1, (nuint)j), acc);
            acc = TLanes.FusedMultiplyAdd(v2, TLanes.Load(ref r2, (nuint)j), acc);
            acc = TLanes.FusedMultiplyAdd(v3, TLanes.Load(ref r3, (nuint)j), acc);
            TLanes.Store(acc, ref y, (nuint)j);
        }
        for (; j < n; j++)
        {
            double acc = Unsafe.Add(ref y, j);
            acc = Math.FusedMultiplyAdd(c0, Unsafe.Add(ref r0, j), acc);
            acc = Math.FusedMultiplyAdd(c1, Unsafe.Add(ref r1, j), acc);
            acc = Math.FusedMultiplyAdd(c2, Unsafe.Add(ref r2, j), acc);
            Unsafe.Add(ref y, j) = Math.FusedMultiplyAdd(c3, Unsafe.Add(ref r3, j), acc);
        }
    }

    // The checks are inlined compares and the messages are built only to throw (see GemmArguments).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Validate(Op op, int m, int n, int aLength, int lda, int xLength, int yLength)
    {
        (int xNeeded, int yNeeded) = op == Op.None ? (n, m) : (m, n);
        if ((m | n) < 0 || (m > 0 && n > 0 && (lda < n || aLength < (long)(m - 1) * lda + n)) || xLength < xNeeded || yLength < yNeeded)
            ThrowBadArguments(m, n, aLength, lda, xLength, xNeeded, yLength, yNeeded);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadArguments(int m, int n, int aLength, int lda, int xLength, int xNeeded, int yLength, int yNeeded)
    {
        if (m < 0 || n < 0) throw new ArgumentOutOfRangeException(nameof(m), $"Gemv sizes must be non-negative (m={m}, n={n}).");
        if (m > 0 && n > 0)
        {
            if (lda < n) throw new ArgumentException($"Gemv: leading dimension ({lda}) is smaller than the column count ({n}).");
            long needed = (long)(m - 1) * lda + n;
            if (aLength < needed) throw new ArgumentException($"Gemv: A needs {needed} elements for {m} x {n} with stride {lda}, got {aLength}.");
        }
        if (xLength < xNeeded) throw new ArgumentException($"Gemv: x needs {xNeeded} elements, got {xLength}.");
        throw new ArgumentException($"Gemv: y needs {yNeeded} elements, got {yLength}.");
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthsDiffer(string vector, int rowLength, int vectorLength) =>
        throw new ArgumentException($"Gemv: row and {vector} lengths differ ({rowLength} vs {vectorLength}).");
}
