using Engine.Experiments.Context;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Overparam;

public class LivniBonusExperimentTests
{
    // A small problem (D = 20, n = 3, r0 = 6, epochs of 200 samples) keeps every run to milliseconds.
    private static readonly ProblemSetting Small = new(D: 20, N: 3, R0: 6, Batch: 5, EpochSize: 200);

    private static LivniBonusPlan SmallPlan(int epochs = 4) => new(
    [
        new BonusSetting("sgd", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.02, WidthRule.Constant, 5, epochs),
        new BonusSetting("tuned", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.02, WidthRule.Tuned, 5, epochs),
        new BonusSetting("adam ntk", OptimizerKind.Adam, Parameterization.Ntk, 1, 0.003, WidthRule.InverseWidth, 10, epochs),
        new BonusSetting("momentum mf", OptimizerKind.Momentum, Parameterization.MeanField, 1, 0.2, WidthRule.ProportionalToWidth, 5, epochs),
    ], Seeds: 3, Multiples: [1, 2, 4], TuningFactors: [0.25, 1, 4, 1e5], TuningEpochs: 2, NearZeroFraction: 0.5, Problem: Small);

    [Fact]
    public void SameNumbersWhateverTheThreadCount()
    {
        var one = LivniBonusExperiment.Run(new ExperimentContext(7, 1), SmallPlan());
        var two = LivniBonusExperiment.Run(new ExperimentContext(7, 2), SmallPlan());
        for (int i = 0; i < one.Settings.Count; i++)
        {
            Assert.Equal(one.Settings[i].Etas, two.Settings[i].Etas);
            for (int seed = 0; seed < 3; seed++)
                for (int w = 0; w < 3; w++)
                {
                    TrainingCurve a = one.Settings[i].Curves[seed][w], b = two.Settings[i].Curves[seed][w];
                    Assert.Equal(a.DivergedAtEpoch, b.DivergedAtEpoch);
                    Assert.Equal(a.Objective.Select(BitConverter.DoubleToInt64Bits), b.Objective.Select(BitConverter.DoubleToInt64Bits));
                }
        }
    }

    [Fact]
    public void EveryRunIsTheRunTrainedAloneFromItsSeedsStreams()
    {
        var ctx = new ExperimentContext(11, 2);
        var result = LivniBonusExperiment.Run(ctx, SmallPlan(3));
        foreach (SettingResult s in result.Settings)
            for (int seed = 0; seed < s.Seeds; seed++)
            {
                NormalSampler root = ctx.Sampler((ulong)seed);
                Assert.Equal(result.Planted[seed].V0, SgdSweep.Planted(root, Small).V0);
                for (int w = 0; w < s.Widths.Count; w++)
                {
                    var settings = s.Setting.Run(Small, s.Widths[w], s.Etas[w], s.Setting.Epochs);
                    var alone = SgdTrainer.Train(result.Planted[seed], settings, root.Split(2).Split((ulong)s.Widths[w]), root.Split(1));
                    Assert.Equal(alone.Objective, s.Curves[seed][w].Objective);
                    Assert.Equal(alone.DivergedAtEpoch, s.Curves[seed][w].DivergedAtEpoch);
                }
            }
    }

    [Fact]
    public void SeedZeroOfTheHomeworkSettingIsTheWidthSweepOfPartD()
    {
        var ctx = new ExperimentContext(2019, 2);
        var plan = SmallPlan(3) with { Settings = [SmallPlan(3).Settings[0]] };
        var result = LivniBonusExperiment.Run(ctx, plan);
        var sweep = WidthSweepExperiment.Run(ctx, Small, SgdSweep.Planted(ctx.Sampler(), Small), 0.02, [1, 2, 4], 3);
        for (int w = 0; w < 3; w++) Assert.Equal(sweep.Curves[w].Objective, result.Settings[0].Curves[0][w].Objective);
    }

    [Fact]
    public void TunedStepIsTheCandidateThatEndsLowestAndAHugeCandidateDiverges()
    {
        var result = LivniBonusExperiment.Run(new ExperimentContext(5, 2), SmallPlan());
        SettingResult tuned = result.Settings.Single(s => s.Setting.Rule == WidthRule.Tuned);
        Assert.Equal(3, tuned.Tuning.Count);
        for (int w = 0; w < 3; w++)
        {
            TuningResult t = tuned.Tuning[w];
            Assert.True(t.Curves[^1].Diverged);
            Assert.True(t.LargestStable < t.Etas[^1]);
            int best = Enumerable.Range(0, t.Etas.Count).Where(k => !t.Curves[k].Diverged).MinBy(k => t.Curves[k].Final);
            Assert.Equal(t.Etas[best], t.Chosen);
            Assert.Equal(t.Chosen, tuned.Etas[w]);
        }
        // The other rules: constant, r0 / r and r / r0.
        Assert.Equal([0.003, 0.003 * (6.0 / 12), 0.003 * (6.0 / 24)], result.Settings[2].Etas);
        Assert.Equal([0.2, 0.2 * (12.0 / 6), 0.2 * (24.0 / 6)], result.Settings[3].Etas);
        Assert.Equal([0.02, 0.02, 0.02], result.Settings[0].Etas);
    }
}
