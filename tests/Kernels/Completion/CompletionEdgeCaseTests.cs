using Engine.Kernels.Completion;

namespace Engine.Tests.Kernels.Completion;

public class CompletionEdgeCaseTests
{
    [Fact]
    public void EmptyMatrixIsCertifiedTrivially()
    {
        CompletionResult result = MinimumTraceCompletion.Solve([], [], 0);
        Assert.True(result.Certificate.Certified);
        Assert.Empty(result.X);
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.7)]
    [InlineData(true, 0.0)]
    public void OneByOne(bool observed, double value)
    {
        CompletionResult result = MinimumTraceCompletion.Solve([value], [observed], 1, tolerance: 1e-10);
        Assert.True(result.Certificate.Certified, result.Certificate.ToString());
        Assert.Equal(observed ? value : 0, result.X[0], 10);
        // A zero observed diagonal entry is a singular 1 x 1 block: e_0 is forced.
        Assert.Equal(observed && value == 0, result.Face.SlaterFailed);
    }

    [Fact]
    public void NothingObservedGivesZero()
    {
        const int n = 4;
        CompletionResult result = MinimumTraceCompletion.Solve(new double[n * n], new bool[n * n], n, tolerance: 1e-10);
        Assert.True(result.Certificate.Certified, result.Certificate.ToString());
        Assert.True(result.X.All(v => Math.Abs(v) <= 1e-10));
    }

    [Fact]
    public void YMustBeSymmetricOnOmega()
    {
        double[] y = [1, 0.5, 0.4, 1];
        bool[] all = [true, true, true, true];
        Assert.Throws<ArgumentException>(() => new CompletionProblem(y, all, 2));
    }
}
