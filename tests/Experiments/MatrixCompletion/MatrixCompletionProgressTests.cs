using Engine.Experiments.Context;
using Engine.Experiments.MatrixCompletion;

namespace Engine.Tests.Experiments.MatrixCompletion;

public class MatrixCompletionProgressTests
{
    [Fact]
    public void TheSdpReportsWhileItSolvesAndTheTotalAddsUp()
    {
        // No gradient-descent runs: every report comes from the SDP of the one regime (D = 30, 20 % observed, where
        // the interior-point method takes about twenty iterations and the refinement runs after it).
        var settings = MatrixCompletionSettings.Default with { Fractions = [0.2], Alphas = [], MaxSteps = 1000 };
        var progress = new RecordingProgress();
        MatrixCompletionExperiment.Run(settings, new ExperimentContext(2019, 1, progress));
        Assert.Equal(MatrixCompletionExperiment.ProgressTotal(settings), progress.Total);
        Assert.Equal(settings.MaxSteps, progress.Total);
        Assert.True(progress.Amounts.Count > 5, $"{progress.Amounts.Count} reports during the solve");
        Assert.All(progress.Amounts, a => Assert.True(a > 0 && a == Math.Floor(a), $"amount {a}"));
        Assert.Equal(progress.Total, progress.Amounts.Sum());
    }

    [Fact]
    public void SdpsAndRunsSideBySideReportExactlyTheTotal()
    {
        var settings = new MatrixCompletionSettings(12, 2, [0.3, 0.6], [1e-1, 1e-3], [0.1], 400, 1e-10, 1e-9, 200);
        var progress = new RecordingProgress();
        MatrixCompletionExperiment.Run(settings, new ExperimentContext(5, 2, progress));
        Assert.Equal(MatrixCompletionExperiment.ProgressTotal(settings), progress.Total);
        Assert.All(progress.Amounts, a => Assert.True(a >= 0, $"amount {a}"));
        Assert.Equal(progress.Total, progress.Amounts.Sum());
    }
}
