using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Gemm;

/// <summary>
/// The two innermost loops of the packed GEMM around the micro-kernel, over one packed A block (mc x kc)
/// and one packed B panel (kc x nc).
/// </summary>
internal static unsafe class GemmMacroKernel
{
    [SkipLocalsInit, MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TKernel>(int mc, int nc, int kc, T* aPacked, T* bPacked, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T>
        where TKernel : struct, IMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        // Edge tiles run the full kernel on the zero-padded panels into this scratch tile, then copy the
        // valid part with the same epilogue, so no kernel ever loops over a partial tile.
        T* scratch = stackalloc T[mr * nr];
        // LOOP 2: split the B panel into micro-panels of nr columns; each stays in L1 for the whole loop 1.
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* bPanel = bPacked + (nint)jr * kc;
            // LOOP 1: split the A block into micro-panels of mr rows, streamed from L2.
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* aPanel = aPacked + (nint)ir * kc;
                T* cTile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, cTile, ldc, alpha, beta);
                    continue;
                }
                TKernel.Run(kc, aPanel, bPanel, scratch, nr, T.One, T.Zero);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < cols; j++)
                        cTile[r * ldc + j] = GemmEpilogue.Combine(scratch[r * nr + j], alpha, beta, cTile + r * ldc + j);
            }
        }
    }
}
