using Engine.Kernels.Calculus;
using Engine.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Testing;

/// <summary>The assertion helper passes a right gradient silently and fails a wrong one with the rows that show it.</summary>
public class DerivativeCheckAssertTests
{
    private static double F(ReadOnlySpan<double> x) => x[0] * x[0] * x[1] + Math.Exp(x[1]);

    private static DerivativeCheckResult Check(double secondEntryError = 0)
    {
        double[] x = [0.7, -0.4];
        double[] g = [2 * x[0] * x[1], x[0] * x[0] + Math.Exp(x[1]) + secondEntryError];
        return GradientCheck.Run(F, x, g);
    }

    [Fact]
    public void ARightGradientPasses()
    {
        DerivativeCheckAssert.Passes(Check(), "gradient of x0^2 x1 + exp(x1)");
        Assert.Throws<DerivativeCheckException>(() => DerivativeCheckAssert.Fails(Check()));
    }

    [Fact]
    public void AWrongGradientFailsWithAMessageThatShowsWhereAndBy()
    {
        DerivativeCheckResult wrong = Check(secondEntryError: 1e-3);
        var e = Assert.Throws<DerivativeCheckException>(() => DerivativeCheckAssert.Passes(wrong, "gradient of x0^2 x1 + exp(x1)"));
        Assert.Same(wrong, e.Result);
        Assert.StartsWith("gradient of x0^2 x1 + exp(x1): the derivative does not match its finite differences.", e.Message);
        Assert.Contains("FAIL: 2 coordinates and 8 directions of n = 2", e.Message);
        Assert.Contains(DerivativeCheckRow.Header, e.Message);
        Assert.Contains(wrong.CoordinateRows.Single(r => r.Index == 1).ToString(), e.Message);
        DerivativeCheckAssert.Fails(wrong);
    }

    [Fact]
    public void AsAPropertyItHoldsExactlyWhenTheCheckPasses()
    {
        Check().ToProperty("right").QuickCheckThrowOnFailure();
        Assert.ThrowsAny<Exception>(() => Check(1e-3).ToProperty("wrong").QuickCheckThrowOnFailure());
    }
}
