using Engine.Kernels.Gemm;
using Engine.Kernels.Linalg;
using Engine.Kernels.Random;
using Engine.Tests.Kernels.Elementwise;

namespace Engine.Tests.Kernels.Linalg;

public class GramMatrixTests
{
    /// <summary>Within a block, across block rows and with a last partial block, A A^T is the general product's bits.</summary>
    [Theory]
    [InlineData(1, 3)]
    [InlineData(40, 60)]
    [InlineData(GramMatrix.BlockRows + 1, 30)]
    [InlineData(2 * GramMatrix.BlockRows + 45, 301)]
    public void Is_the_general_product_bit_for_bit_at_every_width(int rows, int cols)
    {
        var a = new double[rows * cols];
        new NormalSampler(5, (ulong)rows).Fill(a);
        KernelCases.AtEveryWidth(width =>
        {
            var expected = new double[rows * rows];
            Engine.Kernels.Gemm.Gemm.Multiply(Op.None, Op.Transpose, rows, rows, cols, 1.0, a, cols, a, cols, 0.0, expected, rows);
            var gram = new double[rows * rows];
            gram.AsSpan().Fill(double.NaN);
            GramMatrix.Multiply(a, rows, cols, gram);
            KernelCases.BitEqual<double>(expected, gram, width);
        });
    }

    [Fact]
    public void Refuses_buffers_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => GramMatrix.Multiply(new double[6], 2, 2, new double[4]));
        Assert.Throws<ArgumentException>(() => GramMatrix.Multiply(new double[4], 2, 2, new double[3]));
    }
}
