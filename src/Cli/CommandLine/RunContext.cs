using Engine.Kernels.Random;

namespace Engine.Experiments.Cli;

/// <summary>
/// What every experiment run is given: where to write, the seed, how many threads, and how to talk to the user.
/// Results go to <see cref="Out"/> (stdout); progress goes to stderr and is silenced by <c>--quiet</c>.
/// </summary>
public sealed class RunContext
{
    public RunContext(string outputDirectory, ulong seed, int threads, bool quiet, TextWriter? output = null)
    {
        if (threads < 1) throw new UsageException($"--threads must be at least 1, got {threads}.");
        OutputDirectory = outputDirectory;
        Seed = seed;
        Threads = threads;
        Quiet = quiet;
        Out = output ?? Console.Out;
    }

    /// <summary>The folder this run writes into (created on demand by <see cref="PrepareOutput"/>).</summary>
    public string OutputDirectory { get; }
    public ulong Seed { get; }
    public int Threads { get; }
    public bool Quiet { get; }
    public TextWriter Out { get; }

    /// <summary>The root sampler of this run; experiments split it so results do not depend on thread count.</summary>
    public NormalSampler Sampler(ulong stream = 0) => new(Seed, stream);

    /// <summary>A context writing into a sub-folder, for <c>engine all</c>.</summary>
    public RunContext WithSubfolder(string name) => new(Path.Combine(OutputDirectory, name), Seed, Threads, Quiet, Out);

    /// <summary>
    /// Creates the output folder and checks it is writable, so an unwritable <c>--out</c> fails before any
    /// long computation starts. Returns the folder.
    /// </summary>
    public string PrepareOutput()
    {
        string probe = Path.Combine(OutputDirectory, $".write-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(OutputDirectory);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UsageException($"cannot write to output folder '{OutputDirectory}': {e.Message}");
        }
        return OutputDirectory;
    }

    /// <summary>The path of a file in the output folder.</summary>
    public string PathOf(string fileName) => Path.Combine(OutputDirectory, fileName);

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
