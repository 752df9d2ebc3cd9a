using Engine.Kernels.Random;

namespace Engine.Experiments.Context;

/// <summary>
/// What every experiment is given besides its own settings: the seed of every random draw, how many threads
/// independent runs may use, and where progress goes. Files, folders and the console are the caller's business.
/// </summary>
public sealed class ExperimentContext
{
    /// <param name="seed">The root seed; experiments split it so that results do not depend on the thread count.</param>
    /// <param name="threads">The most threads <see cref="ParallelFor"/> uses (at least 1).</param>
    /// <param name="progress">Receives progress of long runs; none when null.</param>
    public ExperimentContext(ulong seed, int threads, IProgressReporter? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Seed = seed;
        Threads = threads;
        Progress = progress ?? SilentProgress.Instance;
    }

    /// <summary>The root seed of every random draw of the run.</summary>
    public ulong Seed { get; }

    /// <summary>The most threads <see cref="ParallelFor"/> runs jobs on.</summary>
    public int Threads { get; }

    /// <summary>Where long runs report their progress (<see cref="SilentProgress"/> when none was given).</summary>
    public IProgressReporter Progress { get; }

    /// <summary>The root sampler of this run; experiments split it so results do not depend on thread count.</summary>
    public NormalSampler Sampler(ulong stream = 0) => new(Seed, stream);

    /// <summary>The same seed and threads with no progress reported.</summary>
    public ExperimentContext Silent() => new(Seed, Threads);

    /// <summary>
    /// Runs <paramref name="count"/> independent jobs over at most <see cref="Threads"/> threads. Each job must
    /// derive its randomness from its index (see <see cref="NormalSampler.Split"/>) so results do not depend on
    /// the thread count.
    /// </summary>
    public void ParallelFor(int count, Action<int> job)
    {
        if (Threads == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++) job(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Threads }, job);
    }
}
