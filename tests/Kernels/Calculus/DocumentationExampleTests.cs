using Engine.Kernels.Calculus;
using Xunit.Abstractions;

namespace Engine.Tests.Kernels.Calculus;

/// <summary>The examples in the XML documentation of <see cref="GradientCheck"/> and <see cref="JacobianCheck"/> run and pass.</summary>
public class DocumentationExampleTests(ITestOutputHelper output)
{
    [Fact]
    public void TheGradientExamplePasses()
    {
        double F(ReadOnlySpan<double> x) => x[0] * x[0] + Math.Sin(x[1]);
        double[] x = [1.5, 0.3];
        double[] g = [2 * x[0], Math.Cos(x[1])];
        DerivativeCheckResult result = GradientCheck.Run(F, x, g);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed);
        Assert.StartsWith("PASS: 2 coordinates and 8 directions of n = 2, 0 failed;", result.ToString());
    }

    [Fact]
    public void TheJacobianExamplePasses()
    {
        void F(ReadOnlySpan<double> x, Span<double> y) { y[0] = x[0] * x[1]; y[1] = Math.Exp(x[0]); }
        void Jvp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> jv)
        {
            jv[0] = x[1] * v[0] + x[0] * v[1];
            jv[1] = Math.Exp(x[0]) * v[0];
        }
        DerivativeCheckResult result = JacobianCheck.Run(F, 2, new double[] { 0.5, -1.0 }, Jvp);
        output.WriteLine(result.ToString());
        Assert.True(result.Passed);
    }
}
