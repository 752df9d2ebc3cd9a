using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The dot products and axpys of coordinate descent over columns of X: <c>X_j^T r</c>, <c>r += a X_j</c>, and four
/// columns against one vector at a time.
/// </summary>
/// <remarks>
/// A whole path is a single call, so these loops must run optimized from their first use: they are compiled with
/// full optimization at once instead of going through the tiers the runtime gives ordinary methods (tier-0 vector
/// code is an order of magnitude slower, and a path would spend its first few hundred milliseconds there). The
/// width follows <see cref="SimdDispatch.Current"/>, but every sum has a fixed order defined on the 64-byte lanes
/// of <see cref="ILanes{TSelf, T}"/> (the order of <see cref="Blas.Gemv"/>'s dot products), so a path is the same bits
/// at every width; the axpys and the maximum are exact or elementwise and cannot depend on the width.
/// </remarks>
internal static class ColumnKernels
{
    /// <summary>Effectively computes <c>sum_i a[i] * b[i]</c> over the first <paramref name="n"/> elements.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n)
    {
        if (a.Length < n || b.Length < n) throw new ArgumentException("Lasso: a span is shorter than the dot product.");
        return Dot(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), n);
    }

    /// <summary>Effectively computes <c>y[i] += alpha * x[i]</c> over the first <paramref name="n"/> elements.</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y, int n)
    {
        if (x.Length < n || y.Length < n) throw new ArgumentException("Lasso: a span is shorter than the axpy.");
        Axpy(alpha, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ref double a, ref double b, int n) => SimdDispatch.Current switch
    {
        VectorWidth.Vector512 => Dot<Lanes512<double>>(ref a, ref b, n),
        VectorWidth.Vector256 => Dot<Lanes256x2<double>>(ref a, ref b, n),
        VectorWidth.Vector128 => Dot<Lanes128x4<double>>(ref a, ref b, n),
        _ => DotScalar(ref a, ref b, n),
    };

    // Element i goes to lane i mod 8 of accumulator (i / 8) mod 2 for each whole 16 elements, the two accumulators
    // are added and their lanes folded by halving, then the rest is added left to right: the order of
    // Gemv.RowDot, defined on the 64-byte lanes, so the result is the same bits at every width.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Dot<TLanes>(ref double a, ref double b, int n) where TLanes : struct, ILanes<TLanes, double>
    {
        int i = 0;
        double s = 0;
        if (n >= 16)
        {
            TLanes s0 = TLanes.Zero, s1 = TLanes.Zero;
            for (; i + 16 <= n; i += 16)
            {
                s0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref a, (nuint)i), TLanes.Load(ref b, (nuint)i), s0);
                s1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref a, (nuint)(i + 8)), TLanes.Load(ref b, (nuint)(i + 8)), s1);
            }
            s = TLanes.Sum(s0 + s1);
        }
        for (; i < n; i++) s = Math.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), s);
        return s;
    }

    // The order of Dot<TLanes> with each lane a scalar register: sixteen independent chains, so the scalar path is not
    // bound by the latency of one chain of fused multiply-adds (LanesScalar, which keeps its lanes in memory, is).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double DotScalar(ref double a, ref double b, int n)
    {
        int i = 0;
        double s = 0;
        if (n >= 16)
        {
            double l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0, l9 = 0, l10 = 0, l11 = 0, l12 = 0, l13 = 0, l14 = 0, l15 = 0;
            for (; i + 16 <= n; i += 16)
            {
                ref double x = ref Unsafe.Add(ref a, i);
                ref double y = ref Unsafe.Add(ref b, i);
                l0 = Math.FusedMultiplyAdd(x, y, l0);
                l1 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 1), Unsafe.Add(ref y, 1), l1);
                l2 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 2), Unsafe.Add(ref y, 2), l2);
                l3 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 3), Unsafe.Add(ref y, 3), l3);
                l4 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 4), Unsafe.Add(ref y, 4), l4);
                l5 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 5), Unsafe.Add(ref y, 5), l5);
                l6 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 6), Unsafe.Add(ref y, 6), l6);
                l7 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 7), Unsafe.Add(ref y, 7), l7);
                l8 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 8), Unsafe.Add(ref y, 8), l8);
                l9 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 9), Unsafe.Add(ref y, 9), l9);
                l10 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 10), Unsafe.Add(ref y, 10), l10);
                l11 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 11), Unsafe.Add(ref y, 11), l11);
                l12 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 12), Unsafe.Add(ref y, 12), l12);
                l13 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 13), Unsafe.Add(ref y, 13), l13);
                l14 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 14), Unsafe.Add(ref y, 14), l14);
                l15 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 15), Unsafe.Add(ref y, 15), l15);
            }
            // The two accumulators added lane by lane, then the eight lanes folded by halving.
            s = Fold(l0 + l8, l1 + l9, l2 + l10, l3 + l11, l4 + l12, l5 + l13, l6 + l14, l7 + l15);
        }
        for (; i < n; i++) s = Math.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), s);
        return s;
    }

    // The order of one column of Dot4<TLanes> with each lane a scalar register.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Dot8Scalar(ref double c, ref double v, int n)
    {
        int i = 0;
        double s = 0;
        if (n >= 8)
        {
            double l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
            for (; i + 8 <= n; i += 8)
            {
                ref double x = ref Unsafe.Add(ref c, i);
                ref double y = ref Unsafe.Add(ref v, i);
                l0 = Math.FusedMultiplyAdd(x, y, l0);
                l1 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 1), Unsafe.Add(ref y, 1), l1);
                l2 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 2), Unsafe.Add(ref y, 2), l2);
                l3 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 3), Unsafe.Add(ref y, 3), l3);
                l4 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 4), Unsafe.Add(ref y, 4), l4);
                l5 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 5), Unsafe.Add(ref y, 5), l5);
                l6 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 6), Unsafe.Add(ref y, 6), l6);
                l7 = Math.FusedMultiplyAdd(Unsafe.Add(ref x, 7), Unsafe.Add(ref y, 7), l7);
            }
            s = Fold(l0, l1, l2, l3, l4, l5, l6, l7);
        }
        for (; i < n; i++) s = Math.FusedMultiplyAdd(Unsafe.Add(ref c, i), Unsafe.Add(ref v, i), s);
        return s;
    }

    // Eight lanes folded by halving, as ILanes.Sum: lane k with lane k + 4, then k + 2, then k + 1.
    private static double Fold(double l0, double l1, double l2, double l3, double l4, double l5, double l6, double l7)
    {
        double h0 = l0 + l4, h1 = l1 + l5, h2 = l2 + l6, h3 = l3 + l7;
        return (h0 + h2) + (h1 + h3);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(double alpha, ref double x, ref double y, int n)
    {
        VectorWidth width = SimdDispatch.Current;
        int i = 0;
        if (width == VectorWidth.Vector512)
        {
            var a = Vector512.Create(alpha);
            for (; i + 8 <= n; i += 8)
                Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref x, (nuint)i), Vector512.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        else if (width >= VectorWidth.Vector256)
        {
            var a = Vector256.Create(alpha);
            for (; i + 4 <= n; i += 4)
                Vector256.FusedMultiplyAdd(a, Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref y, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref y, i) = Math.FusedMultiplyAdd(alpha, Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
    }

    /// <summary>Effectively computes <c>max_i |x[i]|</c> (0 for an empty span; NaN if an element is NaN).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        ref double start = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double m = 0;
        if (SimdDispatch.Current == VectorWidth.Vector512 && n >= 8)
        {
            // NaN lanes are tracked apart, so the result does not depend on how the vector max treats them.
            var acc = Vector512<double>.Zero;
            var nan = Vector512<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector512.Abs(Vector512.LoadUnsafe(ref start, (nuint)i));
                acc = Vector512.Max(acc, v);
                nan |= ~Vector512.Equals(v, v);
            }
            if (nan != Vector512<double>.Zero) return double.NaN;
            for (int l = 0; l < 8; l++) m = Math.Max(m, acc[l]);
        }
        for (; i < n; i++) m = Math.Max(m, Math.Abs(Unsafe.Add(ref start, i)));
        return m;
    }

    /// <summary>
    /// The dot products of four columns (anywhere in memory) with one vector: one load of the vector serves all
    /// four, and the four chains of multiply-adds are independent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4(ref double c0, ref double c1, ref double c2, ref double c3, ref double v, int n, Span<double> result)
    {
        switch (SimdDispatch.Current)
        {
            case VectorWidth.Vector512: Dot4<Lanes512<double>>(ref c0, ref c1, ref c2, ref c3, ref v, n, result); break;
            case VectorWidth.Vector256: Dot4<Lanes256x2<double>>(ref c0, ref c1, ref c2, ref c3, ref v, n, result); break;
            case VectorWidth.Vector128: Dot4<Lanes128x4<double>>(ref c0, ref c1, ref c2, ref c3, ref v, n, result); break;
            default:
                result[0] = Dot8Scalar(ref c0, ref v, n);
                result[1] = Dot8Scalar(ref c1, ref v, n);
                result[2] = Dot8Scalar(ref c2, ref v, n);
                result[3] = Dot8Scalar(ref c3, ref v, n);
                break;
        }
    }

    // One accumulator of 8 lanes per column over each whole 8 elements, folded by halving, then the rest left to
    // right: the order of Gemv's four-row product, the same bits at every width.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<TLanes>(ref double c0, ref double c1, ref double c2, ref double c3, ref double v, int n, Span<double> result)
        where TLanes : struct, ILanes<TLanes, double>
    {
        int i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (n >= 8)
        {
            TLanes a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + 8 <= n; i += 8)
            {
                TLanes x = TLanes.Load(ref v, (nuint)i);
                a0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref c0, (nuint)i), x, a0);
                a1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref c1, (nuint)i), x, a1);
                a2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref c2, (nuint)i), x, a2);
                a3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref c3, (nuint)i), x, a3);
            }
            s0 = TLanes.Sum(a0);
            s1 = TLanes.Sum(a1);
            s2 = TLanes.Sum(a2);
            s3 = TLanes.Sum(a3);
        }
        for (; i < n; i++)
        {
            double x = Unsafe.Add(ref v, i);
            s0 = Math.FusedMultiplyAdd(Unsafe.Add(ref c0, i), x, s0);
            s1 = Math.FusedMultiplyAdd(Unsafe.Add(ref c1, i), x, s1);
            s2 = Math.FusedMultiplyAdd(Unsafe.Add(ref c2, i), x, s2);
            s3 = Math.FusedMultiplyAdd(Unsafe.Add(ref c3, i), x, s3);
        }
        result[0] = s0;
        result[1] = s1;
        result[2] = s2;
        result[3] = s3;
    }
}
