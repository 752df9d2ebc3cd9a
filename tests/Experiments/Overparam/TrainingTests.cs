using Engine.Experiments.Context;
using Engine.Experiments.Overparam;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Overparam;

public class TrainingTests
{
    // A small problem (D = 20, n = 3, r0 = 6, m = 5, epochs of 500 samples) keeps each run to milliseconds.
    private static readonly ProblemSetting Small = new(D: 20, N: 3, R0: 6, Batch: 5, EpochSize: 500);

    private static ExperimentContext Context(int threads) => new(2019, threads);

    [Fact]
    public void LearningRateIsHalvedEveryFiftyEpochs()
    {
        Assert.Equal(0.01, LearningRateSchedule.At(0.01, 0));
        Assert.Equal(0.01, LearningRateSchedule.At(0.01, 49));
        Assert.Equal(0.005, LearningRateSchedule.At(0.01, 50));
        Assert.Equal(0.005, LearningRateSchedule.At(0.01, 99));
        Assert.Equal(0.0025, LearningRateSchedule.At(0.01, 100));
        Assert.Equal(0.00125, LearningRateSchedule.At(0.01, 150));
        Assert.Equal(0.00125, LearningRateSchedule.At(0.01, 199));
        Assert.Equal(0.000625, LearningRateSchedule.At(0.01, 200));
    }

    [Fact]
    public void TrainerFollowsTheSchedule()
    {
        // With a halving period of one epoch, the trainer must match a hand-written loop that halves eta each epoch.
        var planted = PlantedNetwork.Draw(new NormalSampler(1), Small.D, Small.R0, Small.N);
        var settings = Small.Run(8, 0.02, 3) with { HalvingPeriod = 1 };
        var curve = SgdTrainer.Train(planted, settings, new NormalSampler(2), new NormalSampler(3));

        var network = ShallowReluNetwork.Initialize(new NormalSampler(2), Small.D, 8, Small.N);
        var stream = new PlantedStream(planted, new NormalSampler(3), Small.Batch);
        var step = new SgdStep(network, Small.Batch);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            float eta = (float)(0.02 / (1 << epoch));
            double sum = 0;
            for (int s = 0; s < settings.StepsPerEpoch; s++)
            {
                stream.Next();
                sum += step.Apply(stream.X, stream.Y, eta);
            }
            Assert.Equal(sum / settings.StepsPerEpoch, curve.Objective[epoch]);
        }
    }

    [Fact]
    public void EpochRoundsUpToWholeMiniBatches()
    {
        var settings = new TrainingSettings(R: 4, Eta: 0.1, Batch: 3, Epochs: 1, EpochSize: 10);
        Assert.Equal(4, settings.StepsPerEpoch);
        Assert.Equal(12, settings.SamplesPerEpoch);
        Assert.Equal(1000, (settings with { Batch = 10, EpochSize = 10_000 }).StepsPerEpoch);
    }

    [Fact]
    public void ShortTrainingRunDecreasesTheObjective()
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(1), Small.D, Small.R0, Small.N);
        var curve = SgdTrainer.Train(planted, Small.Run(12, 0.02, 6), new NormalSampler(2), new NormalSampler(3));
        Assert.False(curve.Diverged);
        Assert.Equal(6, curve.Objective.Length);
        Assert.True(curve.Objective[^1] < 0.7 * curve.Objective[0], string.Join(", ", curve.Objective));
    }

    [Fact]
    public void TrainingStepsAllocateNothing()
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(1), Small.D, Small.R0, Small.N);
        var run = new SgdRun(planted, Small.Run(16, 0.01, 50), new NormalSampler(2));
        var stream = new PlantedStream(planted, new NormalSampler(3), Small.Batch);
        for (int i = 0; i < 200; i++) { stream.Next(); run.Train(stream.X, stream.Y); }
        Assert.Equal(0, SteadyState.FewestBytes(() => { for (int i = 0; i < 1000; i++) { stream.Next(); run.Train(stream.X, stream.Y); } }));
    }

    [Fact]
    public void SweepIsIdenticalWhateverTheThreadCount()
    {
        var planted = SgdSweep.Planted(new NormalSampler(2019), Small);
        var runs = new[] { 0.001, 0.01, 0.03, 0.05 }.Select(eta => Small.Run(12, eta, 3)).ToArray();
        var one = SgdSweep.Run(Context(1), planted, runs, "test");
        var two = SgdSweep.Run(Context(2), planted, runs, "test");
        for (int i = 0; i < runs.Length; i++)
        {
            Assert.Equal(one[i].Objective.Length, two[i].Objective.Length);
            for (int k = 0; k < one[i].Objective.Length; k++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(one[i].Objective[k]), BitConverter.DoubleToInt64Bits(two[i].Objective[k]));
        }
    }

    [Fact]
    public void SweepWithSharedBatchesEqualsEachRunAlone()
    {
        // Epochs of 100 batches are not a multiple of the shared chunk, and the widths differ: each curve must still
        // be exactly the one its run gives when it draws its own batches.
        var setting = Small with { EpochSize = 500 };
        var ctx = Context(2);
        var root = ctx.Sampler();
        var planted = SgdSweep.Planted(root, setting);
        var runs = new[] { setting.Run(6, 0.02, 2), setting.Run(24, 0.01, 3), setting.Run(12, 1e4, 3) };
        var swept = SgdSweep.Run(ctx, planted, runs, "test");
        for (int i = 0; i < runs.Length; i++)
        {
            var alone = SgdTrainer.Train(planted, runs[i], root.Split(2).Split((ulong)runs[i].R), root.Split(1));
            Assert.Equal(alone.DivergedAtEpoch, swept[i].DivergedAtEpoch);
            Assert.Equal(alone.Objective, swept[i].Objective);
        }
        Assert.NotNull(swept[2].DivergedAtEpoch);
    }

    [Fact]
    public void HugeStepIsReportedDivergedAndLeftOutOfTheBest()
    {
        var ctx = Context(2);
        var planted = SgdSweep.Planted(ctx.Sampler(), Small);
        var result = LearningRateSweepExperiment.Run(ctx, Small, planted, [0.01, 1e4], 12, 4);
        Assert.False(result.Curves[0].Diverged);
        TrainingCurve diverged = result.Curves[1];
        Assert.Equal(1, diverged.DivergedAtEpoch);
        Assert.Empty(diverged.Objective);
        Assert.True(double.IsNaN(diverged.Final));
        Assert.Same(result.Curves[0], result.Best);
        Assert.StartsWith("eta = 0.01 ends at the lowest objective", result.Answer());
        Assert.EndsWith("of the runs that did not diverge.", result.Answer());
    }

    [Fact]
    public void StepSizesThatEndAtTheSameObjectiveAreReportedAsATie()
    {
        // From zero weights every gradient is zero, so no step size changes anything and every run ends where it started.
        var ctx = Context(2);
        var setting = Small with { InitScale = 0 };
        var planted = SgdSweep.Planted(ctx.Sampler(), setting);
        var result = LearningRateSweepExperiment.Run(ctx, setting, planted, [1e-3, 1e-2, 1e-1], 12, 2);
        Assert.Equal(3, result.Lowest.Count);
        Assert.Same(result.Curves[0], result.Best);
        Assert.StartsWith("eta = 0.001, 0.01, 0.1 end at the same objective", result.Answer());
        Assert.Contains("no single eta is best", result.Answer());
        Assert.EndsWith("The weights start at zero (initialization scale 0), where every gradient is zero: no run trained.", result.Answer());
    }

    [Fact]
    public void ObjectiveExplodingBeyondTheFactorIsDivergence()
    {
        // A factor below 1 declares divergence as soon as a batch is worse than the first one: the rule is applied.
        var planted = PlantedNetwork.Draw(new NormalSampler(1), Small.D, Small.R0, Small.N);
        var settings = Small.Run(12, 1e-4, 3) with { DivergenceFactor = 0.5 };
        var curve = SgdTrainer.Train(planted, settings, new NormalSampler(2), new NormalSampler(3));
        Assert.Equal(1, curve.DivergedAtEpoch);
    }

    [Fact]
    public void EpochSizeNearIntMaxDoesNotOverflowTheStepCount()
    {
        var settings = new TrainingSettings(R: 4, Eta: 0.01, Batch: 2_000_000_000, Epochs: 1, EpochSize: 2_000_000_000);
        Assert.Equal(1, settings.StepsPerEpoch);
        Assert.Equal(1_073_741_824, new TrainingSettings(4, 0.01, 2, 1, int.MaxValue).StepsPerEpoch);
    }
}
