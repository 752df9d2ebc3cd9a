using System.Runtime.CompilerServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Factorized;

/// <summary>
/// The small-problem kernel: n &lt;= 24 rows (three 8-wide blocks) and m &lt;= 40 columns (five blocks), which covers
/// the homework's 20 x 40. A is packed twice, zero-padded: column-major for <c>r = A u - y</c> (a sum of columns
/// scaled by broadcast u_j) and row-major for <c>A^T r</c> (a sum of rows scaled by broadcast r_i), so neither
/// product needs a horizontal sum. x lives in five registers across steps; each product runs two interleaved sets
/// of accumulators so the fused multiply-adds do not wait on each other.
/// </summary>
public sealed partial class FactorizedLeastSquaresDescent
{
    private const int RowBlocks = 3, ColBlocks = 5, Lanes = 8;
    private AlignedBuffer<double> _columns = new(0), _rowsPacked = new(0), _yPacked = new(0);
    private readonly AlignedBuffer<double> _uPacked = new(ColBlocks * Lanes);
    private readonly AlignedBuffer<double> _rPacked = new(RowBlocks * Lanes);

    private bool SmallFits => Rows <= RowBlocks * Lanes && Cols <= ColBlocks * Lanes;

    private void PackSmall()
    {
        if (!SmallFits) return;
        const int colStride = RowBlocks * Lanes, rowStride = ColBlocks * Lanes;
        _columns = new AlignedBuffer<double>(Cols * colStride);
        _rowsPacked = new AlignedBuffer<double>(Rows * rowStride);
        _yPacked = new AlignedBuffer<double>(colStride);
        Span<double> columns = _columns.Span, rows = _rowsPacked.Span, y = _yPacked.Span;
        for (int i = 0; i < Rows; i++)
        {
            y[i] = _y[i];
            for (int j = 0; j < Cols; j++)
            {
                columns[j * colStride + i] = _a[i * Cols + j];
                rows[i * rowStride + j] = _a[i * Cols + j];
            }
        }
    }

    private bool StepsSmall(Span<double> x, double eta, int count) => SimdDispatch.Current switch
    {
        VectorWidth.Vector512 => StepsSmall<Lanes512<double>>(x, eta, count),
        VectorWidth.Vector256 => StepsSmall<Lanes256x2<double>>(x, eta, count),
        VectorWidth.Vector128 => StepsSmall<Lanes128x4<double>>(x, eta, count),
        _ => StepsSmall<LanesScalar<double>>(x, eta, count),
    };

    // Fully optimized from the first call: at tier 0 the vector code would run several times slower.
    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private bool StepsSmall<TLanes>(Span<double> xSpan, double eta, int count) where TLanes : struct, ILanes<TLanes, double>
    {
        const int colStride = RowBlocks * Lanes, rowStride = ColBlocks * Lanes;
        int n = Rows, m = Cols;
        Span<double> xPadded = stackalloc double[ColBlocks * Lanes];
        xPadded.Clear();
        xSpan.CopyTo(xPadded);
        ref double x0 = ref xPadded[0];
        var x1 = TLanes.Load(ref x0, 8);
        var x2 = TLanes.Load(ref x0, 16);
        var x3 = TLanes.Load(ref x0, 24);
        var x4 = TLanes.Load(ref x0, 32);
        var x0v = TLanes.Load(ref x0, 0);
        ref double cols = ref _columns.Start;
        ref double rows = ref _rowsPacked.Start;
        ref double u = ref _uPacked.Start;
        ref double r = ref _rPacked.Start;
        var y0 = TLanes.Load(ref _yPacked.Start, 0);
        var y1 = TLanes.Load(ref _yPacked.Start, 8);
        var y2 = TLanes.Load(ref _yPacked.Start, 16);
        var minusTwoEta = TLanes.Create(-2 * eta);
        for (int step = 0; step < count; step++)
        {
            TLanes.Store(x0v * x0v, ref u, 0);
            TLanes.Store(x1 * x1, ref u, 8);
            TLanes.Store(x2 * x2, ref u, 16);
            TLanes.Store(x3 * x3, ref u, 24);
            TLanes.Store(x4 * x4, ref u, 32);

            // r = A u - y, column by column; even and odd columns go to separate accumulators.
            TLanes a0 = -y0, a1 = -y1, a2 = -y2;
            TLanes b0 = TLanes.Zero, b1 = b0, b2 = b0;
            int j = 0;
            for (; j + 2 <= m; j += 2)
            {
                var uj = TLanes.Create(Unsafe.Add(ref u, j));
                var uk = TLanes.Create(Unsafe.Add(ref u, j + 1));
                nuint c = (nuint)(j * colStride);
                a0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c), uj, a0);
                a1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + 8), uj, a1);
                a2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + 16), uj, a2);
                b0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + colStride), uk, b0);
                b1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + colStride + 8), uk, b1);
                b2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + colStride + 16), uk, b2);
            }
            if (j < m)
            {
                var uj = TLanes.Create(Unsafe.Add(ref u, j));
                nuint c = (nuint)(j * colStride);
                a0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c), uj, a0);
                a1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + 8), uj, a1);
                a2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref cols, c + 16), uj, a2);
            }
            TLanes.Store(a0 + b0, ref r, 0);
            TLanes.Store(a1 + b1, ref r, 8);
            TLanes.Store(a2 + b2, ref r, 16);

            // g = A^T r, row by row; even and odd rows go to separate accumulators.
            TLanes g0 = TLanes.Zero, g1 = g0, g2 = g0, g3 = g0, g4 = g0;
            TLanes h0 = g0, h1 = g0, h2 = g0, h3 = g0, h4 = g0;
            int i = 0;
            for (; i + 2 <= n; i += 2)
            {
                var ri = TLanes.Create(Unsafe.Add(ref r, i));
                var rk = TLanes.Create(Unsafe.Add(ref r, i + 1));
                nuint o = (nuint)(i * rowStride);
                nuint p = o + rowStride;
                g0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o), ri, g0);
                g1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 8), ri, g1);
                g2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 16), ri, g2);
                g3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 24), ri, g3);
                g4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 32), ri, g4);
                h0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, p), rk, h0);
                h1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, p + 8), rk, h1);
                h2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, p + 16), rk, h2);
                h3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, p + 24), rk, h3);
                h4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, p + 32), rk, h4);
            }
            if (i < n)
            {
                var ri = TLanes.Create(Unsafe.Add(ref r, i));
                nuint o = (nuint)(i * rowStride);
                g0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o), ri, g0);
                g1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 8), ri, g1);
                g2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 16), ri, g2);
                g3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 24), ri, g3);
                g4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref rows, o + 32), ri, g4);
            }

            // x <- x - 2 eta x ⊙ g.
            x0v = TLanes.FusedMultiplyAdd(minusTwoEta * x0v, g0 + h0, x0v);
            x1 = TLanes.FusedMultiplyAdd(minusTwoEta * x1, g1 + h1, x1);
            x2 = TLanes.FusedMultiplyAdd(minusTwoEta * x2, g2 + h2, x2);
            x3 = TLanes.FusedMultiplyAdd(minusTwoEta * x3, g3 + h3, x3);
            x4 = TLanes.FusedMultiplyAdd(minusTwoEta * x4, g4 + h4, x4);
        }
        return StoreBlocks<TLanes>(x0v, x1, x2, x3, x4, xPadded, xSpan);
    }

    // The end of both packed kernels: the five blocks of x go back through the padded buffer into x (the padding
    // is dropped), and the answer is whether every element is finite.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StoreBlocks<TLanes>(TLanes x0, TLanes x1, TLanes x2, TLanes x3, TLanes x4,
        Span<double> padded, Span<double> x) where TLanes : struct, ILanes<TLanes, double>
    {
        ref double start = ref padded[0];
        TLanes.Store(x0, ref start, 0);
        TLanes.Store(x1, ref start, 8);
        TLanes.Store(x2, ref start, 16);
        TLanes.Store(x3, ref start, 24);
        TLanes.Store(x4, ref start, 32);
        padded[..x.Length].CopyTo(x);
        // v - v is zero for a finite v and NaN otherwise.
        var bad = (x0 - x0) + (x1 - x1) + (x2 - x2) + (x3 - x3) + (x4 - x4);
        return TLanes.EqualsAll(bad, TLanes.Zero);
    }
}
