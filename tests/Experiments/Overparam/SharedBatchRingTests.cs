using Engine.Experiments.Context;
using Engine.Experiments.Overparam;

namespace Engine.Tests.Experiments.Overparam;

/// <summary>
/// A sweep's runs take their batches from a ring of shared chunks, each at its own pace: whatever the ring's size, the
/// thread count and the order the workers happen to take, every run must see exactly the batches it draws alone.
/// </summary>
public class SharedBatchRingTests
{
    // Epochs of 100 batches of 5 samples (D = 20, n = 3, r0 = 6): each run takes milliseconds.
    private static readonly ProblemSetting Small = new(D: 20, N: 3, R0: 6, Batch: 5, EpochSize: 500);

    /// <summary>Progress whose first report (made inside a run's chunk, at the end of its first epoch) stalls that worker.</summary>
    private sealed class StallingProgress(int stallMilliseconds, int throwAtCall = int.MaxValue) : IProgressReporter, IProgressSink
    {
        private int _calls;

        public T Run<T>(string description, double total, Func<IProgressSink, T> work) => work(this);

        public void Advance(double amount)
        {
            int call = Interlocked.Increment(ref _calls);
            if (call == 1) Thread.Sleep(stallMilliseconds);
            if (call == throwAtCall) throw new InvalidOperationException("progress failed");
        }
    }

    private static void AssertEachRunAsAlone(ExperimentContext ctx, ProblemSetting setting, TrainingSettings[] runs, int chunkBatches, int slots)
    {
        var root = ctx.Sampler();
        var planted = SgdSweep.Planted(root, setting);
        var swept = SgdSweep.Run(ctx, planted, runs, "test", chunkBatches, slots);
        for (int i = 0; i < runs.Length; i++)
        {
            var alone = SgdTrainer.Train(planted, runs[i], root.Split(2).Split((ulong)runs[i].R), root.Split(1));
            Assert.Equal(alone.DivergedAtEpoch, swept[i].DivergedAtEpoch);
            Assert.Equal(alone.Objective, swept[i].Objective);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(2, 3, 2)]
    [InlineData(3, 7, 3)]
    [InlineData(2, 16, 12)]
    public void EveryRingGivesEachRunItsCurveAlone(int threads, int chunkBatches, int slots)
    {
        // 1 to 3 epochs, one run diverging in its first epoch and one of width 1: the ring wraps many times while the
        // runs drift apart and finish at different chunks.
        var runs = new[] { Small.Run(1, 0.02, 1), Small.Run(24, 0.01, 3), Small.Run(12, 1e4, 3), Small.Run(6, 0.02, 2), Small.Run(24, 0.03, 2) };
        AssertEachRunAsAlone(new ExperimentContext(2019, threads), Small, runs, chunkBatches, slots);
    }

    [Theory]
    [InlineData(7, 1)]
    [InlineData(7, 3)]
    [InlineData(16, 12)]
    public void A_stalled_run_keeps_its_chunk_while_the_others_draw_ahead(int chunkBatches, int slots)
    {
        // The first run to finish an epoch stalls inside its chunk (100 batches is not a multiple of 7, so it still has
        // batches of that chunk to read) while the other worker draws as far as the ring allows: a buffer drawn over
        // before the stalled run read it would change its curve.
        var ctx = new ExperimentContext(2019, 2, new StallingProgress(50));
        var runs = new[] { Small.Run(24, 0.01, 3), Small.Run(1, 0.02, 3), Small.Run(6, 0.02, 3) };
        AssertEachRunAsAlone(ctx, Small, runs, chunkBatches, slots);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Runs_that_all_diverge_and_epochs_of_no_samples_end(int threads)
    {
        var ctx = new ExperimentContext(2019, threads);
        AssertEachRunAsAlone(ctx, Small, [Small.Run(12, 1e4, 3), Small.Run(6, 1e4, 2)], 4, 2);
        // An epoch size of 0 makes every batch an epoch of its own (as in SgdRun): the ring must still draw them all.
        var empty = Small with { EpochSize = 0 };
        AssertEachRunAsAlone(ctx, empty, [empty.Run(6, 0.01, 5), empty.Run(12, 0.01, 3)], 4, 2);
    }

    [Fact]
    public void A_failing_worker_stops_the_sweep_and_its_error_is_thrown()
    {
        var ctx = new ExperimentContext(2019, 2, new StallingProgress(0, throwAtCall: 2));
        var planted = SgdSweep.Planted(ctx.Sampler(), Small);
        var runs = new[] { Small.Run(24, 0.01, 3), Small.Run(6, 0.01, 3) };
        var sweep = Task.Run(() => SgdSweep.Run(ctx, planted, runs, "test", 4, 2));
        Assert.True(((IAsyncResult)sweep).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the sweep did not stop after a worker failed");
        var error = Assert.IsType<AggregateException>(sweep.Exception!.InnerException);
        Assert.Contains(error.InnerExceptions, e => e.Message == "progress failed");
    }
}
