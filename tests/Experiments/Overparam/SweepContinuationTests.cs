using Engine.Experiments.Context;
using Engine.Experiments.Overparam;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Overparam;

/// <summary>
/// A sweep can go on from the runs of an earlier one (problem 2 (d) from (c)'s best run): the curves must be, bit for
/// bit, those of runs trained from the start, and a run goes on only from one trained on the same batches from the
/// same weights with the same settings.
/// </summary>
public class SweepContinuationTests
{
    // Epochs of 100 batches of 5 samples (D = 20, n = 3, r0 = 6), the step size halved every 2 epochs: a run that goes
    // on after 3 epochs starts between two halvings and crosses the next.
    private static readonly ProblemSetting Small = new(D: 20, N: 3, R0: 6, Batch: 5, EpochSize: 500, HalvingPeriod: 2);

    /// <summary>Progress that records the total of epochs each sweep announces.</summary>
    private sealed class TotalsProgress : IProgressReporter
    {
        public List<double> Totals { get; } = [];

        public T Run<T>(string description, double total, Func<IProgressSink, T> work)
        {
            Totals.Add(total);
            return work(SilentProgress.Instance);
        }
    }

    private static void AssertSameCurves(IReadOnlyList<TrainingCurve> expected, IReadOnlyList<TrainingCurve> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Settings, actual[i].Settings);
            Assert.Equal(expected[i].DivergedAtEpoch, actual[i].DivergedAtEpoch);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].InitialObjective), BitConverter.DoubleToInt64Bits(actual[i].InitialObjective));
            Assert.Equal(expected[i].Objective.Select(BitConverter.DoubleToInt64Bits), actual[i].Objective.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Theory]
    [InlineData(1, 16, 12)]
    [InlineData(2, 16, 12)]
    [InlineData(2, 7, 3)]
    [InlineData(3, 1, 1)]
    public void Runs_that_go_on_from_an_earlier_sweep_give_the_curves_of_runs_from_the_start(int threads, int chunkBatches, int slots)
    {
        // 3 epochs are 300 batches: with chunks of 7 or 16 the run that goes on starts inside a chunk. The earlier sweep
        // has the width 12 at two step sizes, and one that diverges; the later one has width 12 at one of them among others.
        var ctx = new ExperimentContext(2019, threads);
        var planted = SgdSweep.Planted(ctx.Sampler(), Small);
        var earlier = SgdSweep.Train(ctx, planted, [Small.Run(12, 0.01, 3), Small.Run(12, 0.02, 3), Small.Run(12, 1e4, 3)], "earlier");
        TrainingSettings[] later = [Small.Run(24, 0.02, 6), Small.Run(12, 0.02, 6), Small.Run(6, 0.02, 6), Small.Run(12, 0.02, 3)];
        var fresh = SgdSweep.Run(ctx, planted, later, "fresh", chunkBatches, slots);
        var continued = SgdSweep.Run(ctx, planted, later, "continued", chunkBatches, slots, earlier);
        AssertSameCurves(fresh, continued);
        // Each alone, as a check on the fresh sweep itself.
        var root = ctx.Sampler();
        var alone = later.Select(s => SgdTrainer.Train(planted, s, root.Split(2).Split((ulong)s.R), root.Split(1))).ToArray();
        AssertSameCurves(alone, fresh);
    }

    [Fact]
    public void Going_on_skips_the_epochs_already_trained_and_leaves_the_earlier_runs_as_they_were()
    {
        var progress = new TotalsProgress();
        var ctx = new ExperimentContext(2019, 2, progress);
        var planted = SgdSweep.Planted(ctx.Sampler(), Small);
        var earlier = SgdSweep.Train(ctx, planted, [Small.Run(12, 0.01, 3), Small.Run(12, 0.02, 3)], "earlier");
        var before = earlier.Curves();
        SgdSweep.Run(ctx, planted, [Small.Run(24, 0.02, 6), Small.Run(12, 0.02, 6)], "later", earlier);
        // 6 + 6 epochs, of which the width-12 run had trained 3.
        Assert.Equal([6.0, 9.0], progress.Totals);
        AssertSameCurves(before, earlier.Curves());
        // The earlier runs can be gone on from again, with the same result.
        var again = SgdSweep.Run(ctx, planted, [Small.Run(12, 0.02, 6)], "again", earlier);
        var fresh = SgdSweep.Run(ctx, planted, [Small.Run(12, 0.02, 6)], "fresh");
        AssertSameCurves(fresh, again);
    }

    [Fact]
    public void A_run_goes_on_only_from_one_of_the_same_seed_network_and_settings()
    {
        var ctx = new ExperimentContext(2019, 1);
        var planted = SgdSweep.Planted(ctx.Sampler(), Small);
        var earlier = SgdSweep.Train(ctx, planted, [Small.Run(12, 0.02, 3), Small.Run(12, 1e4, 3)], "earlier");
        Assert.NotNull(earlier.StartFor(2019, planted, Small.Run(12, 0.02, 10)));
        Assert.NotNull(earlier.StartFor(2019, planted, Small.Run(12, 0.02, 3)));
        // Another seed, or a planted network drawn alike but not the one trained on: other batches.
        Assert.Null(earlier.StartFor(2020, planted, Small.Run(12, 0.02, 10)));
        Assert.Null(earlier.StartFor(2019, SgdSweep.Planted(ctx.Sampler(), Small), Small.Run(12, 0.02, 10)));
        // Fewer epochs, another width, step size, batch, epoch size or halving period; the run that diverged.
        Assert.Null(earlier.StartFor(2019, planted, Small.Run(12, 0.02, 2)));
        Assert.Null(earlier.StartFor(2019, planted, Small.Run(6, 0.02, 10)));
        Assert.Null(earlier.StartFor(2019, planted, Small.Run(12, 0.01, 10)));
        Assert.Null(earlier.StartFor(2019, planted, (Small with { Batch = 4 }).Run(12, 0.02, 10)));
        Assert.Null(earlier.StartFor(2019, planted, (Small with { EpochSize = 400 }).Run(12, 0.02, 10)));
        Assert.Null(earlier.StartFor(2019, planted, (Small with { HalvingPeriod = 3 }).Run(12, 0.02, 10)));
        Assert.Null(earlier.StartFor(2019, planted, Small.Run(12, 1e4, 10)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(150)]
    [InlineData(299)]
    public void A_run_continued_in_the_middle_of_an_epoch_gives_the_curve_of_one_run(int batches)
    {
        // 100 batches an epoch and the step halved every 2 epochs: the copy carries the epoch's running sum and the
        // first batch's objective (the divergence threshold) from wherever it is taken.
        var planted = SgdSweep.Planted(new NormalSampler(2019), Small);
        var settings = Small.Run(12, 0.02, 5);
        var whole = new SgdRun(planted, settings, new NormalSampler(2));
        var stream = new PlantedStream(planted, new NormalSampler(3), Small.Batch);
        for (int b = 0; b < 500; b++) { stream.Next(); whole.Train(stream.X, stream.Y); }

        var first = new SgdRun(planted, settings with { Epochs = 3 }, new NormalSampler(2));
        stream = new PlantedStream(planted, new NormalSampler(3), Small.Batch);
        for (int b = 0; b < batches; b++) { stream.Next(); first.Train(stream.X, stream.Y); }
        var rest = first.ContinueAs(settings);
        Assert.Equal(batches, rest.Batches);
        for (int b = batches; b < 500; b++) { stream.Next(); rest.Train(stream.X, stream.Y); }
        AssertSameCurves([whole.Curve()], [rest.Curve()]);
        Assert.True(rest.Done);
    }

    [Fact]
    public void Only_plain_sgd_runs_go_on()
    {
        // Momentum keeps a velocity that a copy of the weights would lose.
        var planted = SgdSweep.Planted(new NormalSampler(2019), Small);
        var momentum = new SgdRun(planted, Small.Run(12, 0.02, 3) with { Optimizer = Engine.Experiments.Overparam.Optimizers.OptimizerKind.Momentum }, new NormalSampler(2));
        Assert.False(momentum.CanContinueAs(momentum.Settings with { Epochs = 6 }));
        var sgd = new SgdRun(planted, Small.Run(12, 0.02, 3), new NormalSampler(2));
        Assert.True(sgd.CanContinueAs(sgd.Settings with { Epochs = 6 }));
        Assert.Throws<ArgumentException>(() => sgd.ContinueAs(sgd.Settings with { Epochs = 2 }));
    }
}
