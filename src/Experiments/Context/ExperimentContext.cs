using System.Collections.Concurrent;
using Engine.Kernels.Random;
using Engine.Kernels.Threading;

namespace Engine.Experiments.Context;

/// <summary>
/// What every experiment is given besides its own settings: the seed of every random draw, how many threads
/// independent runs may use, and where progress goes. Files, folders and the console are the caller's business.
/// </summary>
public sealed class ExperimentContext
{
    /// <param name="seed">The root seed; experiments split it so that results do not depend on the thread count.</param>
    /// <param name="threads">The most threads <see cref="ParallelFor"/> and <see cref="ParallelWorkers"/> use (at least 1).</param>
    /// <param name="progress">Receives progress of long runs; none when null.</param>
    /// <param name="trace">Records the time of every job <see cref="ParallelFor"/> or <see cref="ParallelWorkers"/> runs; none when null.</param>
    public ExperimentContext(ulong seed, int threads, IProgressReporter? progress = null, ScheduleTrace? trace = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Seed = seed;
        Threads = threads;
        Progress = progress ?? SilentProgress.Instance;
        Trace = trace;
    }

    /// <summary>Where the times of parallel jobs are recorded (see <see cref="ScheduleTrace"/>); null when they are not.</summary>
    public ScheduleTrace? Trace { get; }

    /// <summary>The root seed of every random draw of the run.</summary>
    public ulong Seed { get; }

    /// <summary>The most threads <see cref="ParallelFor"/> and <see cref="ParallelWorkers"/> run jobs on.</summary>
    public int Threads { get; }

    /// <summary>Where long runs report their progress (<see cref="SilentProgress"/> when none was given).</summary>
    public IProgressReporter Progress { get; }

    /// <summary>The root sampler of this run; experiments split it so results do not depend on thread count.</summary>
    public NormalSampler Sampler(ulong stream = 0) => new(Seed, stream);

    /// <summary>The same seed and threads with no progress reported.</summary>
    public ExperimentContext Silent() => new(Seed, Threads, trace: Trace);

    /// <summary>
    /// Runs <paramref name="count"/> independent jobs over at most <see cref="Threads"/> threads. Each job must
    /// derive its randomness from its index (see <see cref="NormalSampler.Split"/>) so results do not depend on
    /// the thread count.
    /// </summary>
    /// <remarks>
    /// The jobs are handed out one at a time from a shared queue, so a thread that finishes early takes the next
    /// job (the load balances itself). With <paramref name="cost"/> the queue holds the most expensive jobs first:
    /// the longest-processing-time-first rule, which keeps a long job from starting last and finishing alone.
    /// When the jobs run side by side, each one's kernels are kept to one thread (<see cref="KernelThreads"/>); jobs run
    /// one at a time may use this context's threads in their kernels.
    /// </remarks>
    /// <param name="cost">An estimate of each job's cost (any unit); the order of the queue only, never the results.</param>
    public void ParallelFor(int count, Action<int> job, Func<int, double>? cost = null)
    {
        int[] order = cost is null
            ? Enumerable.Range(0, count).ToArray()
            : Enumerable.Range(0, count).OrderByDescending(cost).ThenBy(i => i).ToArray();
        ScheduleTrace.Call? call = Trace?.Begin();
        Action<int> run = call is null ? job : i => call.Run(i, job);
        int workers = Math.Min(Threads, count);
        if (workers <= 1)
        {
            // One job at a time: its kernels may use every thread this context has.
            using (KernelThreads.Limit(Threads))
                foreach (int i in order) run(i);
        }
        else
        {
            int next = -1;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                // The jobs fill the threads, so each job's kernels keep to its own.
                using (KernelThreads.Limit(1))
                    for (int k = Interlocked.Increment(ref next); k < order.Length; k = Interlocked.Increment(ref next))
                        run(order[k]);
            });
        }
        call?.End();
    }

    /// <summary>
    /// Runs <paramref name="worker"/> on up to <see cref="Threads"/> threads at once, the caller's and threads of their
    /// own, for work that hands itself out: each worker takes pieces of work until none are left, and the call returns
    /// when every worker has. Each piece runs through the <see cref="ChainRunner"/> the worker is given, under the index
    /// of the chain it belongs to, so that the trace counts the pieces of one chain, which run one after another, as
    /// one job. An exception in a worker is thrown from here (in an <see cref="AggregateException"/>) once every worker
    /// has returned, so the workers must stop when one of them fails.
    /// </summary>
    /// <remarks>
    /// <para>For work that <see cref="ParallelFor"/>'s independent jobs do not describe: chains of pieces that wait on a
    /// shared producer (the SGD runs of a sweep, fed chunk by chunk from one stream of batches) can then run without a
    /// barrier between rounds, so that one thread's late start or slow chunk is not every thread's wait.</para>
    /// <para>The extra workers get threads of their own rather than the thread pool's: workers wait for each other's
    /// pieces, so they must run at the same time, which a busy pool (a test host, or <c>engine all</c>'s experiments side
    /// by side) does not promise. As with <see cref="ParallelFor"/>, workers side by side keep their kernels to one
    /// thread each.</para>
    /// </remarks>
    public void ParallelWorkers(int maxWorkers, Action<ChainRunner> worker)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWorkers, 1);
        ScheduleTrace.Call? call = Trace?.Begin();
        var runner = new ChainRunner(call);
        int workers = Math.Min(Threads, maxWorkers);
        if (workers <= 1)
        {
            using (KernelThreads.Limit(Threads))
                worker(runner);
        }
        else
        {
            var errors = new ConcurrentQueue<Exception>();
            void Run()
            {
                try
                {
                    using (KernelThreads.Limit(1))
                        worker(runner);
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            }
            var others = Enumerable.Range(1, workers - 1).Select(_ => new Thread(Run) { IsBackground = true, Name = "engine worker" }).ToArray();
            foreach (Thread thread in others) thread.Start();
            Run();
            foreach (Thread thread in others) thread.Join();
            if (!errors.IsEmpty) throw new AggregateException(errors);
        }
        call?.End();
    }
}
