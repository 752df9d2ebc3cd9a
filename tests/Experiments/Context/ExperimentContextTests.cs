using Engine.Experiments.Context;
using Engine.Experiments.MatrixCompletion;
using Engine.Experiments.Overparam;

namespace Engine.Tests.Experiments.Context;

public class ExperimentContextTests
{
    /// <summary>Records every progress line an experiment opens and how much it reports into it.</summary>
    private sealed class RecordingProgress : IProgressReporter
    {
        public List<(string Description, double Total, double Reported)> Lines { get; } = [];

        public T Run<T>(string description, double total, Func<IProgressSink, T> work)
        {
            var sink = new Sink();
            T result = work(sink);
            Lines.Add((description, total, sink.Reported));
            return result;
        }

        private sealed class Sink : IProgressSink
        {
            private readonly Lock _gate = new();
            public double Reported { get; private set; }

            public void Advance(double amount)
            {
                lock (_gate) Reported += amount;
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ParallelForRunsEveryIndexOnce(int threads)
    {
        var ctx = new ExperimentContext(7, threads);
        var counts = new int[50];
        ctx.ParallelFor(counts.Length, i => Interlocked.Increment(ref counts[i]));
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Theory]
    [InlineData(1, 5, 1)]
    [InlineData(3, 2, 2)]
    [InlineData(3, 5, 3)]
    public void ParallelWorkersRunsOneWorkerPerThreadUpToTheMaximum(int threads, int maxWorkers, int expected)
    {
        int workers = 0;
        var limits = new int[expected];
        new ExperimentContext(7, threads).ParallelWorkers(maxWorkers, _ =>
        {
            int k = Interlocked.Increment(ref workers) - 1;
            if (k < limits.Length) limits[k] = Engine.Kernels.Threading.KernelThreads.Max;
        });
        Assert.Equal(expected, workers);
        // Workers side by side keep their kernels to one thread; a lone worker gets the context's threads.
        int alone = Math.Min(threads, Engine.Kernels.Threading.KernelThreads.ProcessLimit);
        Assert.All(limits, max => Assert.Equal(expected == 1 ? alone : 1, max));
    }

    [Fact]
    public void ParallelWorkersRunTheirWorkersAtTheSameTime()
    {
        // Workers wait for each other's pieces, so they must run at once even when the thread pool is busy (as in a
        // test host): three workers meet at a barrier that needs all three.
        using var barrier = new Barrier(3);
        var met = new bool[3];
        int index = -1;
        new ExperimentContext(7, 3).ParallelWorkers(3, _ => met[Interlocked.Increment(ref index)] = barrier.SignalAndWait(TimeSpan.FromSeconds(30)));
        Assert.All(met, Assert.True);
    }

    [Fact]
    public void NoThreadsIsRejectedAndNoReporterIsSilent()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExperimentContext(1, 0));
        var ctx = new ExperimentContext(1, 2);
        Assert.Same(SilentProgress.Instance, ctx.Progress);
        Assert.Equal(42, ctx.Progress.Run("work", 10, sink => { sink.Advance(10); return 42; }));
    }

    [Fact]
    public void SweepReportsOneUnitPerEpochOfEveryRun()
    {
        var progress = new RecordingProgress();
        var ctx = new ExperimentContext(2019, 2, progress);
        var small = new ProblemSetting(D: 12, N: 2, R0: 4, Batch: 4, EpochSize: 40);
        var planted = SgdSweep.Planted(ctx.Sampler(), small);
        LearningRateSweepExperiment.Run(ctx, small, planted, [1e-3, 1e-2], 8, epochs: 3);
        var line = Assert.Single(progress.Lines);
        Assert.Equal(6, line.Total);
        Assert.Equal(6, line.Reported);
    }

    [Fact]
    public void MatrixCompletionReportsExactlyItsTotal()
    {
        var progress = new RecordingProgress();
        var settings = new MatrixCompletionSettings(5, 1, [0.6], [1e-2], [0.1], 300, 1e-10, 1e-6, 500);
        MatrixCompletionExperiment.Run(settings, new ExperimentContext(3, 2, progress));
        var line = Assert.Single(progress.Lines);
        Assert.Equal(MatrixCompletionExperiment.ProgressTotal(settings), line.Total);
        Assert.Equal(line.Total, line.Reported);
    }

    [Fact]
    public void SilentContextKeepsSeedAndThreadsAndReportsNothing()
    {
        var progress = new RecordingProgress();
        var ctx = new ExperimentContext(11, 2, progress).Silent();
        Assert.Equal(11UL, ctx.Seed);
        Assert.Equal(2, ctx.Threads);
        ctx.Progress.Run("work", 1, sink => sink.Advance(1));
        Assert.Empty(progress.Lines);
    }

    [Fact]
    public void Jobs_side_by_side_keep_their_kernels_to_one_thread_and_jobs_one_at_a_time_get_the_contexts_threads()
    {
        var sideBySide = new int[4];
        new ExperimentContext(1, 2).ParallelFor(4, i => sideBySide[i] = Engine.Kernels.Threading.KernelThreads.Max);
        Assert.All(sideBySide, max => Assert.Equal(1, max));
        int alone = 0;
        new ExperimentContext(1, 2).ParallelFor(1, _ => alone = Engine.Kernels.Threading.KernelThreads.Max);
        Assert.Equal(Math.Min(2, Engine.Kernels.Threading.KernelThreads.ProcessLimit), alone);
        // A job side by side that makes a call of one job of its own stays at one thread.
        var nested = new int[4];
        var ctx = new ExperimentContext(1, 2);
        ctx.ParallelFor(4, i => ctx.ParallelFor(1, _ => nested[i] = Engine.Kernels.Threading.KernelThreads.Max));
        Assert.All(nested, max => Assert.Equal(1, max));
    }
}
