using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            if (opA == Op.None && typeof(T) == typeof(float) && rows == 12 && mr == 12 && Avx2.IsSupported && lda * 12 <= int.MaxValue)
            {
                // Row i of A is contiguous in p: two gathers (8 + 4 rows) of the twelve rows' values per step p,
                // stored as one row of the panel, instead of twelve scalar copies.
                float* source = (float*)a + (nint)(ic + ir) * lda + pc, target = (float*)panel;
                Vector256<int> first = Vector256<int>.Indices * Vector256.Create((int)lda);
                Vector128<int> last = (Vector128<int>.Indices + Vector128.Create(8)) * Vector128.Create((int)lda);
                for (int p = 0; p < kc; p++)
                {
                    Avx2.GatherVector256(source + p, first, sizeof(float)).Store(target + p * 12);
                    Avx2.GatherVector128(source + p, last, sizeof(float)).Store(target + p * 12 + 8);
                }
            }
            else if (opA == Op.None)
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
        int start = 0;
        if (opB == Op.None && nr * sizeof(T) % 32 == 0 && Vector256.IsHardwareAccelerated)
        {
            // Whole panels row by row: each row of B is read once, contiguously, and its nr-wide pieces go to their
            // panels as whole vectors (reading panel by panel would stride through B a row length at a time).
            int panels = nc / nr, vectors = nr / Vector256<T>.Count;
            for (int p = 0; p < kc; p++)
            {
                T* row = b + (nint)(pc + p) * ldb + jc;
                for (int q = 0; q < panels; q++)
                {
                    T* target = dest + (nint)q * nr * kc + p * nr;
                    for (int v = 0; v < vectors; v++)
                        Vector256.Store(Vector256.Load(row + q * nr + v * Vector256<T>.Count), target + v * Vector256<T>.Count);
                }
            }
            start = panels * nr;
        }
        for (int jr = start; jr < nc; jr += nr)
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
