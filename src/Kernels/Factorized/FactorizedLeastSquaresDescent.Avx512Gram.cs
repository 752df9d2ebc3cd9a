using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Lasso;

namespace Engine.Kernels.Factorized;

/// <summary>
/// The Gram kernel for m &lt;= 40 (five 8-wide blocks) and any n: the gradient is computed as
/// <c>2 x ⊙ (G u - b)</c> with <c>G = A^T A</c> and <c>b = A^T y</c> precomputed, so a step is one m x m product
/// instead of two n x m ones. For n = m/2 that is the same number of multiply-adds, but the chain of dependent
/// operations per step is about half as long (no round trip through r), and the step is latency bound. G is
/// packed column-major and zero-padded; four interleaved sets of accumulators keep the FMA units busy.
/// </summary>
public sealed partial class FactorizedLeastSquaresDescent
{
    private AlignedBuffer _gramColumns = new(0), _bPacked = new(0);

    private bool GramFits => Cols <= ColBlocks * Lanes;

    private void PackGram()
    {
        if (!GramFits) return;
        const int stride = ColBlocks * Lanes;
        _gramColumns = new AlignedBuffer(Cols * stride);
        _bPacked = new AlignedBuffer(stride);
        Span<double> gram = _gramColumns.Span, b = _bPacked.Span;
        for (int j = 0; j < Cols; j++)
        {
            for (int k = 0; k < Cols; k++)
            {
                double s = 0;
                for (int i = 0; i < Rows; i++) s += _a[i * Cols + j] * _a[i * Cols + k];
                gram[j * stride + k] = s;
            }
            double t = 0;
            for (int i = 0; i < Rows; i++) t += _a[i * Cols + j] * _y[i];
            b[j] = t;
        }
    }

    // Fully optimized from the first call: at tier 0 the vector code would run several times slower.
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StepsGram(Span<double> xSpan, double eta, int count)
    {
        const int stride = ColBlocks * Lanes;
        int m = Cols;
        Span<double> xPadded = stackalloc double[stride];
        xPadded.Clear();
        xSpan.CopyTo(xPadded);
        ref double xr = ref xPadded[0];
        var x0 = Vector512.LoadUnsafe(ref xr);
        var x1 = Vector512.LoadUnsafe(ref xr, 8);
        var x2 = Vector512.LoadUnsafe(ref xr, 16);
        var x3 = Vector512.LoadUnsafe(ref xr, 24);
        var x4 = Vector512.LoadUnsafe(ref xr, 32);
        ref double g = ref _gramColumns.Start;
        ref double b = ref _bPacked.Start;
        ref double u = ref _uPacked.Start;
        var minusTwoEta = Vector512.Create(-2 * eta);
        for (int step = 0; step < count; step++)
        {
            (x0 * x0).StoreUnsafe(ref u);
            (x1 * x1).StoreUnsafe(ref u, 8);
            (x2 * x2).StoreUnsafe(ref u, 16);
            (x3 * x3).StoreUnsafe(ref u, 24);
            (x4 * x4).StoreUnsafe(ref u, 32);

            Vector512<double> p0 = -Vector512.LoadUnsafe(ref b), p1 = -Vector512.LoadUnsafe(ref b, 8), p2 = -Vector512.LoadUnsafe(ref b, 16),
                p3 = -Vector512.LoadUnsafe(ref b, 24), p4 = -Vector512.LoadUnsafe(ref b, 32);
            Vector512<double> q0 = Vector512<double>.Zero, q1 = q0, q2 = q0, q3 = q0, q4 = q0;
            Vector512<double> s0 = q0, s1 = q0, s2 = q0, s3 = q0, s4 = q0;
            Vector512<double> t0 = q0, t1 = q0, t2 = q0, t3 = q0, t4 = q0;
            int j = 0;
            for (; j + 4 <= m; j += 4)
            {
                nuint c = (nuint)(j * stride);
                var uj = Vector512.Create(Unsafe.Add(ref u, j));
                p0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c), uj, p0);
                p1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 8), uj, p1);
                p2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 16), uj, p2);
                p3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 24), uj, p3);
                p4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 32), uj, p4);
                c += stride;
                uj = Vector512.Create(Unsafe.Add(ref u, j + 1));
                q0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c), uj, q0);
                q1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 8), uj, q1);
                q2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 16), uj, q2);
                q3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 24), uj, q3);
                q4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 32), uj, q4);
                c += stride;
                uj = Vector512.Create(Unsafe.Add(ref u, j + 2));
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c), uj, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 8), uj, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 16), uj, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 24), uj, s3);
                s4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 32), uj, s4);
                c += stride;
                uj = Vector512.Create(Unsafe.Add(ref u, j + 3));
                t0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c), uj, t0);
                t1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 8), uj, t1);
                t2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 16), uj, t2);
                t3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 24), uj, t3);
                t4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 32), uj, t4);
            }
            for (; j < m; j++)
            {
                nuint c = (nuint)(j * stride);
                var uj = Vector512.Create(Unsafe.Add(ref u, j));
                p0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c), uj, p0);
                p1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 8), uj, p1);
                p2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 16), uj, p2);
                p3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 24), uj, p3);
                p4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref g, c + 32), uj, p4);
            }

            // x <- x - 2 eta x ⊙ (G u - b).
            x0 = Vector512.FusedMultiplyAdd(minusTwoEta * x0, (p0 + q0) + (s0 + t0), x0);
            x1 = Vector512.FusedMultiplyAdd(minusTwoEta * x1, (p1 + q1) + (s1 + t1), x1);
            x2 = Vector512.FusedMultiplyAdd(minusTwoEta * x2, (p2 + q2) + (s2 + t2), x2);
            x3 = Vector512.FusedMultiplyAdd(minusTwoEta * x3, (p3 + q3) + (s3 + t3), x3);
            x4 = Vector512.FusedMultiplyAdd(minusTwoEta * x4, (p4 + q4) + (s4 + t4), x4);
        }
        return StoreBlocks(x0, x1, x2, x3, x4, xPadded, xSpan);
    }
}
