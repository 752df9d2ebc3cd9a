using System.Runtime.CompilerServices;
using Engine.Kernels.Simd;

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
    private AlignedBuffer<double> _gramColumns = new(0), _bPacked = new(0);

    private bool GramFits => Cols <= ColBlocks * Lanes;

    private void PackGram()
    {
        if (!GramFits) return;
        const int stride = ColBlocks * Lanes;
        _gramColumns = new AlignedBuffer<double>(Cols * stride);
        _bPacked = new AlignedBuffer<double>(stride);
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

    private bool StepsGram(Span<double> x, double eta, int count) => SimdDispatch.Current switch
    {
        VectorWidth.Vector512 => StepsGram<Lanes512<double>>(x, eta, count),
        VectorWidth.Vector256 => StepsGram<Lanes256x2<double>>(x, eta, count),
        VectorWidth.Vector128 => StepsGram<Lanes128x4<double>>(x, eta, count),
        _ => StepsGram<LanesScalar<double>>(x, eta, count),
    };

    // Fully optimized from the first call: at tier 0 the vector code would run several times slower.
    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private bool StepsGram<TLanes>(Span<double> xSpan, double eta, int count) where TLanes : struct, ILanes<TLanes, double>
    {
        const int stride = ColBlocks * Lanes;
        int m = Cols;
        Span<double> xPadded = stackalloc double[stride];
        xPadded.Clear();
        xSpan.CopyTo(xPadded);
        ref double xr = ref xPadded[0];
        var x0 = TLanes.Load(ref xr, 0);
        var x1 = TLanes.Load(ref xr, 8);
        var x2 = TLanes.Load(ref xr, 16);
        var x3 = TLanes.Load(ref xr, 24);
        var x4 = TLanes.Load(ref xr, 32);
        ref double g = ref _gramColumns.Start;
        ref double b = ref _bPacked.Start;
        ref double u = ref _uPacked.Start;
        var minusTwoEta = TLanes.Create(-2 * eta);
        for (int step = 0; step < count; step++)
        {
            TLanes.Store(x0 * x0, ref u, 0);
            TLanes.Store(x1 * x1, ref u, 8);
            TLanes.Store(x2 * x2, ref u, 16);
            TLanes.Store(x3 * x3, ref u, 24);
            TLanes.Store(x4 * x4, ref u, 32);

            TLanes p0 = -TLanes.Load(ref b, 0), p1 = -TLanes.Load(ref b, 8), p2 = -TLanes.Load(ref b, 16),
                p3 = -TLanes.Load(ref b, 24), p4 = -TLanes.Load(ref b, 32);
            TLanes q0 = TLanes.Zero, q1 = q0, q2 = q0, q3 = q0, q4 = q0;
            TLanes s0 = q0, s1 = q0, s2 = q0, s3 = q0, s4 = q0;
            TLanes t0 = q0, t1 = q0, t2 = q0, t3 = q0, t4 = q0;
            int j = 0;
            for (; j + 4 <= m; j += 4)
            {
                nuint c = (nuint)(j * stride);
                var uj = TLanes.Create(Unsafe.Add(ref u, j));
                p0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c), uj, p0);
                p1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 8), uj, p1);
                p2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 16), uj, p2);
                p3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 24), uj, p3);
                p4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 32), uj, p4);
                c += stride;
                uj = TLanes.Create(Unsafe.Add(ref u, j + 1));
                q0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c), uj, q0);
                q1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 8), uj, q1);
                q2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 16), uj, q2);
                q3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 24), uj, q3);
                q4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 32), uj, q4);
                c += stride;
                uj = TLanes.Create(Unsafe.Add(ref u, j + 2));
                s0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c), uj, s0);
                s1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 8), uj, s1);
                s2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 16), uj, s2);
                s3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 24), uj, s3);
                s4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 32), uj, s4);
                c += stride;
                uj = TLanes.Create(Unsafe.Add(ref u, j + 3));
                t0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c), uj, t0);
                t1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 8), uj, t1);
                t2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 16), uj, t2);
                t3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 24), uj, t3);
                t4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 32), uj, t4);
            }
            for (; j < m; j++)
            {
                nuint c = (nuint)(j * stride);
                var uj = TLanes.Create(Unsafe.Add(ref u, j));
                p0 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c), uj, p0);
                p1 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 8), uj, p1);
                p2 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 16), uj, p2);
                p3 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 24), uj, p3);
                p4 = TLanes.FusedMultiplyAdd(TLanes.Load(ref g, c + 32), uj, p4);
            }

            // x <- x - 2 eta x ⊙ (G u - b).
            x0 = TLanes.FusedMultiplyAdd(minusTwoEta * x0, (p0 + q0) + (s0 + t0), x0);
            x1 = TLanes.FusedMultiplyAdd(minusTwoEta * x1, (p1 + q1) + (s1 + t1), x1);
            x2 = TLanes.FusedMultiplyAdd(minusTwoEta * x2, (p2 + q2) + (s2 + t2), x2);
            x3 = TLanes.FusedMultiplyAdd(minusTwoEta * x3, (p3 + q3) + (s3 + t3), x3);
            x4 = TLanes.FusedMultiplyAdd(minusTwoEta * x4, (p4 + q4) + (s4 + t4), x4);
        }
        return StoreBlocks<TLanes>(x0, x1, x2, x3, x4, xPadded, xSpan);
    }
}
