using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Lasso;

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
    private AlignedBuffer _columns = new(0), _rowsPacked = new(0), _yPacked = new(0);
    private readonly AlignedBuffer _uPacked = new(ColBlocks * Lanes);
    private readonly AlignedBuffer _rPacked = new(RowBlocks * Lanes);

    private bool SmallFits => Rows <= RowBlocks * Lanes && Cols <= ColBlocks * Lanes;

    private void PackSmall()
    {
        if (!SmallFits) return;
        const int colStride = RowBlocks * Lanes, rowStride = ColBlocks * Lanes;
        _columns = new AlignedBuffer(Cols * colStride);
        _rowsPacked = new AlignedBuffer(Rows * rowStride);
        _yPacked = new AlignedBuffer(colStride);
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

    // Fully optimized from the first call: at tier 0 the vector code would run several times slower.
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StepsSmall(Span<double> xSpan, double eta, int count)
    {
        const int colStride = RowBlocks * Lanes, rowStride = ColBlocks * Lanes;
        int n = Rows, m = Cols;
        Span<double> xPadded = stackalloc double[ColBlocks * Lanes];
        xPadded.Clear();
        xSpan.CopyTo(xPadded);
        ref double x0 = ref xPadded[0];
        var x1 = Vector512.LoadUnsafe(ref x0, 8);
        var x2 = Vector512.LoadUnsafe(ref x0, 16);
        var x3 = Vector512.LoadUnsafe(ref x0, 24);
        var x4 = Vector512.LoadUnsafe(ref x0, 32);
        var x0v = Vector512.LoadUnsafe(ref x0);
        ref double cols = ref _columns.Start;
        ref double rows = ref _rowsPacked.Start;
        ref double u = ref _uPacked.Start;
        ref double r = ref _rPacked.Start;
        var y0 = Vector512.LoadUnsafe(ref _yPacked.Start);
        var y1 = Vector512.LoadUnsafe(ref _yPacked.Start, 8);
        var y2 = Vector512.LoadUnsafe(ref _yPacked.Start, 16);
        var minusTwoEta = Vector512.Create(-2 * eta);
        for (int step = 0; step < count; step++)
        {
            (x0v * x0v).StoreUnsafe(ref u);
            (x1 * x1).StoreUnsafe(ref u, 8);
            (x2 * x2).StoreUnsafe(ref u, 16);
            (x3 * x3).StoreUnsafe(ref u, 24);
            (x4 * x4).StoreUnsafe(ref u, 32);

            // r = A u - y, column by column; even and odd columns go to separate accumulators.
            Vector512<double> a0 = -y0, a1 = -y1, a2 = -y2;
            Vector512<double> b0 = Vector512<double>.Zero, b1 = b0, b2 = b0;
            int j = 0;
            for (; j + 2 <= m; j += 2)
            {
                var uj = Vector512.Create(Unsafe.Add(ref u, j));
                var uk = Vector512.Create(Unsafe.Add(ref u, j + 1));
                nuint c = (nuint)(j * colStride);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c), uj, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + 8), uj, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + 16), uj, a2);
                b0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + colStride), uk, b0);
                b1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + colStride + 8), uk, b1);
                b2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + colStride + 16), uk, b2);
            }
            if (j < m)
            {
                var uj = Vector512.Create(Unsafe.Add(ref u, j));
                nuint c = (nuint)(j * colStride);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c), uj, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + 8), uj, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref cols, c + 16), uj, a2);
            }
            (a0 + b0).StoreUnsafe(ref r);
            (a1 + b1).StoreUnsafe(ref r, 8);
            (a2 + b2).StoreUnsafe(ref r, 16);

            // g = A^T r, row by row; even and odd rows go to separate accumulators.
            Vector512<double> g0 = Vector512<double>.Zero, g1 = g0, g2 = g0, g3 = g0, g4 = g0;
            Vector512<double> h0 = g0, h1 = g0, h2 = g0, h3 = g0, h4 = g0;
            int i = 0;
            for (; i + 2 <= n; i += 2)
            {
                var ri = Vector512.Create(Unsafe.Add(ref r, i));
                var rk = Vector512.Create(Unsafe.Add(ref r, i + 1));
                nuint o = (nuint)(i * rowStride);
                nuint p = o + rowStride;
                g0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o), ri, g0);
                g1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 8), ri, g1);
                g2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 16), ri, g2);
                g3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 24), ri, g3);
                g4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 32), ri, g4);
                h0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, p), rk, h0);
                h1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, p + 8), rk, h1);
                h2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, p + 16), rk, h2);
                h3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, p + 24), rk, h3);
                h4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, p + 32), rk, h4);
            }
            if (i < n)
            {
                var ri = Vector512.Create(Unsafe.Add(ref r, i));
                nuint o = (nuint)(i * rowStride);
                g0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o), ri, g0);
                g1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 8), ri, g1);
                g2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 16), ri, g2);
                g3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 24), ri, g3);
                g4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rows, o + 32), ri, g4);
            }

            // x <- x - 2 eta x ⊙ g.
            x0v = Vector512.FusedMultiplyAdd(minusTwoEta * x0v, g0 + h0, x0v);
            x1 = Vector512.FusedMultiplyAdd(minusTwoEta * x1, g1 + h1, x1);
            x2 = Vector512.FusedMultiplyAdd(minusTwoEta * x2, g2 + h2, x2);
            x3 = Vector512.FusedMultiplyAdd(minusTwoEta * x3, g3 + h3, x3);
            x4 = Vector512.FusedMultiplyAdd(minusTwoEta * x4, g4 + h4, x4);
        }
        return StoreBlocks(x0v, x1, x2, x3, x4, xPadded, xSpan);
    }

    // The end of both packed kernels: the five blocks of x go back through the padded buffer into x (the padding
    // is dropped), and the answer is whether every element is finite.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StoreBlocks(Vector512<double> x0, Vector512<double> x1, Vector512<double> x2, Vector512<double> x3, Vector512<double> x4,
        Span<double> padded, Span<double> x)
    {
        ref double start = ref padded[0];
        x0.StoreUnsafe(ref start);
        x1.StoreUnsafe(ref start, 8);
        x2.StoreUnsafe(ref start, 16);
        x3.StoreUnsafe(ref start, 24);
        x4.StoreUnsafe(ref start, 32);
        padded[..x.Length].CopyTo(x);
        // v - v is zero for a finite v and NaN otherwise.
        var bad = (x0 - x0) + (x1 - x1) + (x2 - x2) + (x3 - x3) + (x4 - x4);
        return Vector512.EqualsAll(bad, Vector512<double>.Zero);
    }
}
