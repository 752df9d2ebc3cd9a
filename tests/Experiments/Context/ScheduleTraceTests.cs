using Engine.Experiments.Context;

namespace Engine.Tests.Experiments.Context;

/// <summary>
/// The schedule's figures are CPU time: a job costs what it computed, whether it shared a core or not, and waiting is
/// not work. Jobs here burn a fixed amount of their thread's CPU time, so the bounds hold on a busy machine too.
/// </summary>
public class ScheduleTraceTests
{
    // Long enough against the clock's step (a scheduler tick on Windows), and the slack of each bound below grows with it.
    private static readonly double Burn = Math.Max(0.03, 4 * ThreadCpuClock.Resolution);
    private static readonly double Slack = 0.02 + 2 * ThreadCpuClock.Resolution;

    /// <summary>Keeps the calling thread busy until it has used <paramref name="seconds"/> of CPU.</summary>
    private static void BurnCpu(double seconds)
    {
        double until = ThreadCpuClock.Seconds() + seconds;
        double x = 1;
        while (ThreadCpuClock.Seconds() < until) x = x * 1.0000001 + 1e-9;
        GC.KeepAlive(x);
    }

    private static ScheduleTrace Traced(int threads, Action<ExperimentContext> work)
    {
        var trace = new ScheduleTrace();
        work(new ExperimentContext(1, threads, trace: trace));
        trace.Finish();
        return trace;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Work_is_the_jobs_cpu_time_and_the_critical_path_the_longest_job(int threads)
    {
        ScheduleTrace trace = Traced(threads, ctx => ctx.ParallelFor(6, _ => BurnCpu(Burn)));
        // Six jobs of Burn each whatever the thread count (4 threads on a smaller machine share cores: no matter).
        Assert.InRange(trace.WorkSeconds, 6 * Burn - 6 * ThreadCpuClock.Resolution, 6 * Burn + 3 * Slack);
        Assert.InRange(trace.CriticalPathSeconds, Burn - ThreadCpuClock.Resolution, Burn + Slack);
        Assert.InRange(trace.SequentialSeconds, 0, Slack);
        Assert.Equal(1, trace.Calls);
    }

    [Fact]
    public void Waiting_is_not_work()
    {
        ScheduleTrace trace = Traced(2, ctx => ctx.ParallelFor(2, _ => Thread.Sleep(200)));
        Assert.True(trace.WallSeconds >= 0.2);
        Assert.InRange(trace.WorkSeconds, 0, 2 * Slack);
        Assert.InRange(trace.CriticalPathSeconds, 0, 2 * Slack);
    }

    [Fact]
    public void A_job_with_parallel_calls_counts_their_work_and_their_critical_path()
    {
        ScheduleTrace trace = Traced(2, ctx =>
        {
            BurnCpu(Burn);
            ctx.ParallelFor(2, _ =>
            {
                BurnCpu(Burn);
                ctx.ParallelFor(3, _ => BurnCpu(Burn));
            });
        });
        // Work: the sequential part, two outer jobs and six inner ones. Critical path: the sequential part, then one
        // outer job's own part and its longest inner job.
        Assert.InRange(trace.WorkSeconds, 9 * Burn - 9 * ThreadCpuClock.Resolution, 9 * Burn + 3 * Slack);
        Assert.InRange(trace.CriticalPathSeconds, 3 * Burn - 3 * ThreadCpuClock.Resolution, 3 * Burn + 2 * Slack);
        Assert.InRange(trace.SequentialSeconds, Burn - ThreadCpuClock.Resolution, Burn + Slack);
        Assert.Equal(3, trace.Calls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_pieces_of_one_chain_add_up_to_one_job(int threads)
    {
        // Chain 0 has three pieces and chain 1 one, handed out by whichever worker comes first: the critical path is
        // chain 0's three pieces however they were spread over the threads.
        int next = -1;
        int[] chainOf = [0, 1, 0, 0];
        ScheduleTrace trace = Traced(threads, ctx => ctx.ParallelWorkers(2, chains =>
        {
            for (int k = Interlocked.Increment(ref next); k < chainOf.Length; k = Interlocked.Increment(ref next))
                chains.Run(chainOf[k], _ => BurnCpu(Burn));
        }));
        Assert.InRange(trace.WorkSeconds, 4 * Burn - 4 * ThreadCpuClock.Resolution, 4 * Burn + 3 * Slack);
        Assert.InRange(trace.CriticalPathSeconds, 3 * Burn - 3 * ThreadCpuClock.Resolution, 3 * Burn + 2 * Slack);
        Assert.Equal(1, trace.Calls);
    }

    [Fact]
    public void The_trace_is_finished_on_the_thread_that_created_it()
    {
        var trace = new ScheduleTrace();
        Exception? error = null;
        var other = new Thread(() => error = Record.Exception(trace.Finish));
        other.Start();
        other.Join();
        Assert.IsType<InvalidOperationException>(error);
        trace.Finish();
        double sequential = trace.SequentialSeconds;
        // Once finished, the figures can be read anywhere.
        double elsewhere = double.NaN;
        other = new Thread(() => elsewhere = trace.SequentialSeconds);
        other.Start();
        other.Join();
        Assert.Equal(sequential, elsewhere);
    }
}
