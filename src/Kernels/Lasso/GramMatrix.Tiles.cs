using System.Runtime.CompilerServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Lasso;

internal static partial class GramMatrix
{
    // Samples per pass over the tiles, and column blocks (of four) per strip: the strip's chunk (64 columns x 1024
    // samples, 512 kB) stays in the second-level cache while every tile row below it passes by. Measured on a
    // 10000 x 1000 X (one core, whole path): chunks of 512-2048 and strips of 8-64 blocks all within 10% (0.27-0.31 s);
    // 256-sample chunks 0.32-0.35 s, one chunk of all samples 0.70 s; the GEMM panels 0.38 s.
    private const int Chunk = 1024;

    private const int StripBlocks = 16;

    /// <summary>
    /// The lower triangle of <c>X^T X</c> as dot products of column pairs, four by four, then mirrored. Each entry
    /// sums its chunk in the 8 lanes of <see cref="ILanes{TSelf, T}"/>, folds them by halving and adds the chunks in
    /// order, so it is the same bits at every width (narrower widths hold the tile in more registers than they have,
    /// and run it slower). With 512-bit vectors each tile keeps its sixteen sums in registers and loads eight vectors per sixteen multiply-adds. The samples
    /// are cut into chunks and the columns into strips of 64, and for each chunk and strip every tile row at or
    /// below the strip is run against it, so the strip is read from the second-level cache and the tile row from
    /// the first. Only the lower triangle is computed: about half the work of the general GEMM on the same
    /// product, which has no symmetric variant. Strips are split over threads in an interleaved order, since
    /// upper strips have more tile rows below them; threads write disjoint entries.
    /// </summary>
    internal static double[] ByTiles(LassoProblem problem, double[] gram, int threads)
    {
        int p = problem.Features, stride = problem.Stride;
        int blocks = (p + 3) / 4;
        int strips = (blocks + StripBlocks - 1) / StripBlocks;
        for (int start = 0; start < stride; start += Chunk)
        {
            // The padding of every column to a multiple of 8 is zero, so the last chunk runs to the stride.
            int length = Math.Min(Chunk, stride - start);
            int from = start;
            if (threads <= 1) for (int s = 0; s < strips; s++) Strip(problem, gram, s, from, length);
            else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (int s = t; s < strips; s += threads) Strip(problem, gram, s, from, length);
            });
        }
        Mirror(gram, p);
        return gram;
    }

    // Adds the chunk's contribution of strip s (column blocks 16s..16s+15) to every tile row at or below it.
    private static void Strip(LassoProblem problem, double[] gram, int s, int start, int length)
    {
        int p = problem.Features, blocks = (p + 3) / 4;
        Span<double> sums = stackalloc double[16];
        ref double x = ref Unsafe.AsRef(in problem.Columns[0]);
        int stride = problem.Stride;
        int first = s * StripBlocks, last = Math.Min(blocks, first + StripBlocks) - 1;
        for (int b = first; b < blocks; b++)
        {
            // Rows past p repeat the last feature; their sums are computed and dropped.
            int i0 = 4 * b, i1 = Math.Min(i0 + 1, p - 1), i2 = Math.Min(i0 + 2, p - 1), i3 = Math.Min(i0 + 3, p - 1);
            for (int c = first; c <= Math.Min(b, last); c++)
            {
                int j0 = 4 * c, j1 = Math.Min(j0 + 1, p - 1), j2 = Math.Min(j0 + 2, p - 1), j3 = Math.Min(j0 + 3, p - 1);
                switch (SimdDispatch.Current)
                {
                    case VectorWidth.Vector512: Tile<Lanes512<double>>(ref x, stride, start, length, i0, i1, i2, i3, j0, j1, j2, j3, sums); break;
                    case VectorWidth.Vector256: Tile<Lanes256x2<double>>(ref x, stride, start, length, i0, i1, i2, i3, j0, j1, j2, j3, sums); break;
                    case VectorWidth.Vector128: Tile<Lanes128x4<double>>(ref x, stride, start, length, i0, i1, i2, i3, j0, j1, j2, j3, sums); break;
                    default: Tile<LanesScalar<double>>(ref x, stride, start, length, i0, i1, i2, i3, j0, j1, j2, j3, sums); break;
                }
                for (int u = 0; u < 4 && i0 + u < p; u++)
                    for (int v = 0; v < 4 && j0 + v < p && j0 + v <= i0 + u; v++)
                        gram[(long)(i0 + u) * p + j0 + v] += sums[4 * u + v];
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TLanes>(ref double x, int stride, int start, int length, int i0, int i1, int i2, int i3,
        int j0, int j1, int j2, int j3, Span<double> sums)
        where TLanes : struct, ILanes<TLanes, double>
    {
        ref double a0 = ref Unsafe.Add(ref x, (nint)i0 * stride + start);
        ref double a1 = ref Unsafe.Add(ref x, (nint)i1 * stride + start);
        ref double a2 = ref Unsafe.Add(ref x, (nint)i2 * stride + start);
        ref double a3 = ref Unsafe.Add(ref x, (nint)i3 * stride + start);
        ref double b0 = ref Unsafe.Add(ref x, (nint)j0 * stride + start);
        ref double b1 = ref Unsafe.Add(ref x, (nint)j1 * stride + start);
        ref double b2 = ref Unsafe.Add(ref x, (nint)j2 * stride + start);
        ref double b3 = ref Unsafe.Add(ref x, (nint)j3 * stride + start);
        TLanes s00 = TLanes.Zero, s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00,
            s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int k = 0; k < length; k += 8)
        {
            var v0 = TLanes.Load(ref b0, (nuint)k);
            var v1 = TLanes.Load(ref b1, (nuint)k);
            var v2 = TLanes.Load(ref b2, (nuint)k);
            var v3 = TLanes.Load(ref b3, (nuint)k);
            var u = TLanes.Load(ref a0, (nuint)k);
            s00 = TLanes.FusedMultiplyAdd(u, v0, s00); s01 = TLanes.FusedMultiplyAdd(u, v1, s01);
            s02 = TLanes.FusedMultiplyAdd(u, v2, s02); s03 = TLanes.FusedMultiplyAdd(u, v3, s03);
            u = TLanes.Load(ref a1, (nuint)k);
            s10 = TLanes.FusedMultiplyAdd(u, v0, s10); s11 = TLanes.FusedMultiplyAdd(u, v1, s11);
            s12 = TLanes.FusedMultiplyAdd(u, v2, s12); s13 = TLanes.FusedMultiplyAdd(u, v3, s13);
            u = TLanes.Load(ref a2, (nuint)k);
            s20 = TLanes.FusedMultiplyAdd(u, v0, s20); s21 = TLanes.FusedMultiplyAdd(u, v1, s21);
            s22 = TLanes.FusedMultiplyAdd(u, v2, s22); s23 = TLanes.FusedMultiplyAdd(u, v3, s23);
            u = TLanes.Load(ref a3, (nuint)k);
            s30 = TLanes.FusedMultiplyAdd(u, v0, s30); s31 = TLanes.FusedMultiplyAdd(u, v1, s31);
            s32 = TLanes.FusedMultiplyAdd(u, v2, s32); s33 = TLanes.FusedMultiplyAdd(u, v3, s33);
        }
        sums[0] = TLanes.Sum(s00); sums[1] = TLanes.Sum(s01); sums[2] = TLanes.Sum(s02); sums[3] = TLanes.Sum(s03);
        sums[4] = TLanes.Sum(s10); sums[5] = TLanes.Sum(s11); sums[6] = TLanes.Sum(s12); sums[7] = TLanes.Sum(s13);
        sums[8] = TLanes.Sum(s20); sums[9] = TLanes.Sum(s21); sums[10] = TLanes.Sum(s22); sums[11] = TLanes.Sum(s23);
        sums[12] = TLanes.Sum(s30); sums[13] = TLanes.Sum(s31); sums[14] = TLanes.Sum(s32); sums[15] = TLanes.Sum(s33);
    }
}
