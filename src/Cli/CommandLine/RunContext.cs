using Engine.Experiments.Context;

namespace Engine.Cli.CommandLine;

/// <summary>
/// What every command run is given: where to write, how to talk to the user, and the experiment context (seed,
/// threads, progress). Results go to <see cref="Out"/> (stdout); progress goes to stderr and is silenced by <c>--quiet</c>.
/// </summary>
public sealed class RunContext
{
    public RunContext(string outputDirectory, ulong seed, int threads, bool quiet, TextWriter? output = null)
    {
        if (threads < 1) throw new UsageException($"--threads must be at least 1, got {threads}.");
        OutputDirectory = outputDirectory;
        Quiet = quiet;
        Out = output ?? Console.Out;
        Experiment = new ExperimentContext(seed, threads, quiet ? null : new ConsoleProgress());
    }

    /// <summary>The folder this run writes into (created on demand by <see cref="PrepareOutput"/>).</summary>
    public string OutputDirectory { get; }
    public bool Quiet { get; }
    public TextWriter Out { get; }

    /// <summary>The seed, threads and progress the experiments run with.</summary>
    public ExperimentContext Experiment { get; }

    public ulong Seed => Experiment.Seed;
    public int Threads => Experiment.Threads;

    /// <summary>A context writing into a sub-folder, for <c>engine all</c>.</summary>
    public RunContext WithSubfolder(string name) => new(Path.Combine(OutputDirectory, name), Seed, Threads, Quiet, Out);

    /// <summary>The same run with its console lines discarded (progress is kept).</summary>
    public RunContext WithoutConsoleLines() => new(OutputDirectory, Seed, Threads, Quiet, TextWriter.Null);

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
}
