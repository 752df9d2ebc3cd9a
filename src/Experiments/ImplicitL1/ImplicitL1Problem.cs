using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.ImplicitL1;

/// <summary>
/// The instance of homework 3, problem 2(e) i)-ii): A (n x m) with standard Gaussian entries and unit-norm columns;
/// x* with s nonzeros at places drawn uniformly without replacement, values |N(0, 1/s)| (the text's 1/sqrt(10)
/// standard deviation for s = 10); y = A x*.
/// </summary>
public sealed record ImplicitL1Problem(double[] A, int Rows, int Cols, double[] XStar, double[] Y)
{
    /// <summary>Draws A, then the support of x*, then its values, all from <paramref name="sampler"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sparsity"/> exceeds <paramref name="cols"/>.</exception>
    public static ImplicitL1Problem Generate(int rows, int cols, int sparsity, NormalSampler sampler)
    {
        if (sparsity > cols) throw new ArgumentException($"sparsity ({sparsity}) exceeds the number of columns ({cols}).");
        var a = new double[rows * cols];
        sampler.Fill(a);
        for (int j = 0; j < cols; j++)
        {
            double norm = 0;
            for (int i = 0; i < rows; i++) norm += a[i * cols + j] * a[i * cols + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < rows; i++) a[i * cols + j] /= norm;
        }
        // A partial Fisher-Yates shuffle picks the support uniformly among all subsets of that size.
        var places = Enumerable.Range(0, cols).ToArray();
        for (int k = 0; k < sparsity; k++)
        {
            int pick = k + sampler.NextInt(cols - k);
            (places[k], places[pick]) = (places[pick], places[k]);
        }
        var xStar = new double[cols];
        double std = 1 / Math.Sqrt(sparsity);
        for (int k = 0; k < sparsity; k++) xStar[places[k]] = Math.Abs(std * sampler.NextNormal());
        var y = new double[rows];
        Gemv.Multiply(Op.None, rows, cols, 1, a, cols, xStar, 0, y);
        return new ImplicitL1Problem(a, rows, cols, xStar, y);
    }

    /// <summary><c>||y||</c>.</summary>
    public double YNorm => Blas1.Nrm2(Y);

    /// <summary><c>||A w - y||</c>.</summary>
    public double ResidualNorm(ReadOnlySpan<double> w)
    {
        var r = new double[Rows];
        Gemv.Multiply(Op.None, Rows, Cols, 1, A, Cols, w, 0, r);
        Blas1.Axpy(-1, Y, r);
        return Blas1.Nrm2(r);
    }
}
