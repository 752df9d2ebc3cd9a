using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Tests.Overparam;

public class LearningRateSweepCliTests
{
    // A small problem (D = 20, n = 3, r0 = 6, m = 5, epochs of 500 samples) keeps each run to milliseconds.
    private static readonly ProblemSetting Small = new(D: 20, N: 3, R0: 6, Batch: 5, EpochSize: 500);

    [Fact]
    public void HugeStepIsReportedDivergedAndTheCsvHoldsNoGarbage()
    {
        var ctx = new RunContext(Path.Combine(Path.GetTempPath(), $"overparam-tests-{Guid.NewGuid():N}"), 2019, 2, quiet: true, TextWriter.Null);
        ctx.PrepareOutput();
        try
        {
            var planted = SgdSweep.Planted(ctx.Experiment.Sampler(), Small);
            var result = LearningRateSweepExperiment.Run(ctx.Experiment, Small, planted, [0.01, 1e4], 12, 4);
            Assert.False(result.Curves[0].Diverged);
            TrainingCurve diverged = result.Curves[1];
            Assert.Equal(1, diverged.DivergedAtEpoch);
            Assert.Empty(diverged.Objective);
            Assert.True(double.IsNaN(diverged.Final));
            Assert.Same(result.Curves[0], result.Best);

            OverparamFiles.WriteLearningRateSweep(ctx, result);
            string[] lines = File.ReadAllLines(ctx.PathOf(OverparamFiles.LearningRateCsv));
            Assert.Equal("epoch,eta=0.01,eta=10000", lines[0]);
            Assert.Equal(5, lines.Length);
            foreach (string line in lines.Skip(1))
            {
                string[] cells = line.Split(',');
                Assert.True(double.IsFinite(double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture)));
                Assert.Equal("", cells[2]);
            }
            Assert.True(File.Exists(ctx.PathOf(OverparamFiles.LearningRatePng)));
        }
        finally { Directory.Delete(ctx.OutputDirectory, recursive: true); }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void A_tie_of_one_step_runs_is_said_to_be_the_starting_loss(int epochs, bool oneStep)
    {
        // An epoch of one sample is one mini-batch: with one epoch every run took one step, measured before it.
        var setting = Small with { EpochSize = 1 };
        var output = new StringWriter();
        var ctx = new RunContext(Path.Combine(Path.GetTempPath(), $"overparam-tests-{Guid.NewGuid():N}"), 2019, 2, quiet: true, output);
        var planted = SgdSweep.Planted(ctx.Experiment.Sampler(), setting);
        var result = LearningRateSweepExperiment.Run(ctx.Experiment, setting, planted, [1e-4, 1e-3], 12, epochs);
        OverparamFiles.PrintLearningRateSweep(ctx, result);
        Assert.Equal(oneStep, output.ToString().Contains("Each run took one step, and an epoch's objective is measured on each batch before its step, so these are the starting loss"));
        if (oneStep) Assert.Contains("alike", output.ToString());
    }
}
