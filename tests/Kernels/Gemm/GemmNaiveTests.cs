using Engine.Kernels.Gemm;

namespace Engine.Tests.Kernels.Gemm;

/// <summary>The oracle against products worked out by hand, in every transpose combination.</summary>
public class GemmNaiveTests
{
    // A = [1 2 3; 4 5 6] (2 x 3), B = [7 8; 9 10; 11 12] (3 x 2): A B = [58 64; 139 154].
    private static readonly double[] A = [1, 2, 3, 4, 5, 6];
    private static readonly double[] At = [1, 4, 2, 5, 3, 6];
    private static readonly double[] B = [7, 8, 9, 10, 11, 12];
    private static readonly double[] Bt = [7, 9, 11, 8, 10, 12];
    private static readonly double[] Product = [58, 64, 139, 154];

    [Theory]
    [InlineData(Op.None, Op.None)]
    [InlineData(Op.Transpose, Op.None)]
    [InlineData(Op.None, Op.Transpose)]
    [InlineData(Op.Transpose, Op.Transpose)]
    public void MatchesHandComputedProduct(Op opA, Op opB)
    {
        double[] a = opA == Op.None ? A : At, b = opB == Op.None ? B : Bt;
        int lda = opA == Op.None ? 3 : 2, ldb = opB == Op.None ? 2 : 3;
        var c = new double[] { 1, 1, 1, 1 };
        GemmNaive.Multiply(opA, opB, 2, 2, 3, 2.0, a, lda, b, ldb, -1.0, c, 2);
        Assert.Equal(Product.Select(p => 2 * p - 1), c);

        var f = new float[] { float.NaN, float.NaN, float.NaN, float.NaN };
        GemmNaive.Multiply(opA, opB, 2, 2, 3, 1f, a.Select(x => (float)x).ToArray(), lda, b.Select(x => (float)x).ToArray(), ldb, 0f, f, 2);
        Assert.Equal(Product.Select(p => (float)p), f);
    }
}
