using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Gemm;

/// <summary>
/// The scalar form of the epilogue every kernel applies to an accumulated dot product:
/// <c>alpha * acc</c>, then one fused multiply-add of <c>beta * C</c> when beta is not zero. Vector kernels do the
/// same per lane, so an element gets the same bits whether it lies in a full tile or in a padded edge tile.
/// </summary>
internal static unsafe class GemmEpilogue
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Combine<T>(T acc, T alpha, T beta, T* c) where T : unmanaged, INumber<T>
    {
        T r = alpha * acc;
        return beta == T.Zero ? r : GemmSimd.Fma(beta, *c, r);
    }

    /// <summary>C = beta * C over an m x n block (C = 0 when beta is 0, without reading C): the whole product when k = 0.</summary>
    public static void ScaleC<T>(int m, int n, T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (beta == T.Zero)
                row.Clear();
            else
                for (int j = 0; j < row.Length; j++) row[j] *= beta;
        }
    }
}
