using System.Globalization;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Blas;
using Engine.Kernels.Calculus;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Consumer;

/// <summary>
/// A gradient written by hand, checked by <see cref="GradientCheck"/>: the objective of homework 3, problem 2(e),
/// <c>F(x) = 1/2 ||A (x ⊙ x) - y||^2</c>, whose gradient is <c>2 x ⊙ A^T (A (x ⊙ x) - y)</c>. The same gradient
/// without its factor 2, a common slip, must be caught.
/// </summary>
public static class GradientCheckDemo
{
    public static IEnumerable<Check> Run()
    {
        var problem = ImplicitL1Problem.Generate(rows: 8, cols: 16, sparsity: 3, new NormalSampler(seed: 11));
        var x = new double[problem.Cols];
        new NormalSampler(seed: 12).Fill(x);

        double[] right = Gradient(problem, x, factor: 2);
        double[] wrong = Gradient(problem, x, factor: 1);
        DerivativeCheckResult good = GradientCheck.Run(point => Objective(problem, point), x, right);
        DerivativeCheckResult bad = GradientCheck.Run(point => Objective(problem, point), x, wrong);

        yield return new Check("the correct gradient passes", good.Passed, good.Verdict());
        yield return new Check("the gradient missing its factor 2 fails", !bad.Passed,
            string.Create(CultureInfo.InvariantCulture, $"{bad.Failures} of {bad.Rows.Count} rows failed; {bad.Verdict()}"));
    }

    private static double Objective(ImplicitL1Problem p, ReadOnlySpan<double> x)
    {
        double[] r = Residual(p, x);
        return 0.5 * Blas1.Dot(r, r);
    }

    private static double[] Gradient(ImplicitL1Problem p, ReadOnlySpan<double> x, double factor)
    {
        double[] r = Residual(p, x);
        var g = new double[p.Cols];
        Gemv.Multiply(Op.Transpose, p.Rows, p.Cols, 1, p.A, p.Cols, r, 0, g);
        for (int i = 0; i < g.Length; i++) g[i] *= factor * x[i];
        return g;
    }

    /// <summary><c>A (x ⊙ x) - y</c>.</summary>
    private static double[] Residual(ImplicitL1Problem p, ReadOnlySpan<double> x)
    {
        var w = new double[p.Cols];
        for (int i = 0; i < w.Length; i++) w[i] = x[i] * x[i];
        double[] r = [.. p.Y];
        Gemv.Multiply(Op.None, p.Rows, p.Cols, 1, p.A, p.Cols, w, -1, r);
        return r;
    }
}
