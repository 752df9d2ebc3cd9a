using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Gemm;

/// <summary>
/// Packing copies a block of op(A) or op(B) into the order the micro-kernel reads it, so the kernel walks
/// memory contiguously whatever the transposes and leading dimensions were. Rows or columns past the edge
/// of the matrix are written as zeros, so the micro-kernel always runs on a full tile.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the mc x kc block of op(A) at (ic, pc) as micro-panels of <paramref name="mr"/> rows:
    /// element (ir + r, p) goes to <c>dest[ir * kc + p * mr + r]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(Op opA, T* a, nint lda, int ic, int pc, int mc, int kc, int mr, T* dest)
        where T : unmanaged, INumber<T>
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            T* panel = dest + (nint)ir * kc;
            if (opA == Op.None)
            {
                // Row i of A is contiguous in p: read along it, write with stride mr.
                for (int r = 0; r < rows; r++)
                {
                    T* source = a + (nint)(ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) panel[p * mr + r] = source[p];
                }
            }
            else
            {
                // op(A)(i, p) = A(p, i): the mr values of one step p are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    T* source = a + (nint)(pc + p) * lda + ic + ir;
                    for (int r = 0; r < rows; r++) panel[p * mr + r] = source[r];
                }
            }
            if (rows < mr)
                for (int p = 0; p < kc; p++)
                    for (int r = rows; r < mr; r++) panel[p * mr + r] = T.Zero;
        }
    }

    /// <summary>
    /// Packs the kc x nc block of op(B) at (pc, jc) as micro-panels of <paramref name="nr"/> columns:
    /// element (p, jr + j) goes to <c>dest[jr * kc + p * nr + j]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(Op opB, T* b, nint ldb, int pc, int jc, int kc, int nc, int nr, T* dest)
        where T : unmanaged, INumber<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* panel = dest + (nint)jr * kc;
            if (opB == Op.None)
            {
                // Row p of B is contiguous in j: one block copy per step of k.
                nuint bytes = (nuint)(cols * sizeof(T));
                for (int p = 0; p < kc; p++)
                    Buffer.MemoryCopy(b + (nint)(pc + p) * ldb + jc + jr, panel + p * nr, bytes, bytes);
            }
            else
            {
                // op(B)(p, j) = B(j, p): row j of B is contiguous in p, written with stride nr.
                for (int j = 0; j < cols; j++)
                {
                    T* source = b + (nint)(jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = source[p];
                }
            }
            if (cols < nr)
                for (int p = 0; p < kc; p++)
                    for (int j = cols; j < nr; j++) panel[p * nr + j] = T.Zero;
        }
    }
}
