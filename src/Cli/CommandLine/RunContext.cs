using Engine.Experiments.Context;
using Engine.Kernels.Threading;

namespace Engine.Cli.CommandLine;

/// <summary>
/// What every command run is given: where to write, how to talk to the user, and the experiment context (seed,
/// threads, progress). Results go to <see cref="Out"/> (stdout); progress goes to stderr and is silenced by <c>--quiet</c>.
/// </summary>
public sealed class RunContext
{
    /// <remarks>
    /// <c>--threads</c> also caps the threads of the kernels' own parallel loops (<see cref="KernelThreads.ProcessLimit"/>),
    /// so that <c>--threads 1</c> runs everything on one thread.
    /// </remarks>
    /// <param name="outFolder">The folder --out named, when <paramref name="outputDirectory"/> is a command's folder inside it.</param>
    public RunContext(string outputDirectory, ulong seed, int threads, bool quiet, TextWriter? output = null, bool quick = false, string? outFolder = null)
        : this(outputDirectory, outFolder ?? outputDirectory, threads, quiet, output ?? Console.Out, quick, new ExperimentContext(seed, Math.Max(1, threads), quiet ? null : new ConsoleProgress()))
    {
        KernelThreads.ProcessLimit = threads;
    }

    private RunContext(string outputDirectory, string root, int threads, bool quiet, TextWriter output, bool quick, ExperimentContext experiment)
    {
        if (threads < 1) throw new UsageException($"--threads must be at least 1, got {threads}.");
        OutputDirectory = outputDirectory;
        _root = root;
        Quiet = quiet;
        Quick = quick;
        Out = output;
        Experiment = experiment;
    }

    /// <summary>
    /// The same run writing into <paramref name="subfolder"/>, printing to <paramref name="output"/>, reporting progress
    /// to <paramref name="progress"/> and recording its parallel jobs in <paramref name="trace"/>: how <c>engine all</c>
    /// gives each experiment its own console buffer and schedule trace.
    /// </summary>
    public RunContext ForSection(string subfolder, TextWriter output, IProgressReporter? progress, ScheduleTrace trace) =>
        new(Path.Combine(OutputDirectory, subfolder), _root, Threads, Quiet, output, Quick,
            new ExperimentContext(Seed, Threads, Quiet ? null : progress, trace));

    /// <summary>The folder this run writes into (created on demand by <see cref="PrepareOutput"/>).</summary>
    public string OutputDirectory { get; }
    public bool Quiet { get; }
    public TextWriter Out { get; }

    /// <summary>
    /// <c>engine all --quick</c>: every experiment asks its questions at reduced size (fewer epochs, steps, samples
    /// and trials), so the whole report takes seconds. Only report sections read it.
    /// </summary>
    public bool Quick { get; }

    /// <summary>The seed, threads and progress the experiments run with.</summary>
    public ExperimentContext Experiment { get; }

    public ulong Seed => Experiment.Seed;
    public int Threads => Experiment.Threads;

    /// <summary>A context writing into a sub-folder, for <c>engine all</c>.</summary>
    public RunContext WithSubfolder(string name) => new(Path.Combine(OutputDirectory, name), _root, Threads, Quiet, Out, Quick, Experiment);

    // The folder --out named, which a sub-folder's messages tell apart from the sub-folder itself.
    private readonly string _root;

    /// <summary>The same run with its console lines discarded (progress is kept).</summary>
    public RunContext WithoutConsoleLines() => new(OutputDirectory, _root, Threads, Quiet, TextWriter.Null, Quick, Experiment);

    /// <summary>
    /// Creates the output folder and checks it is writable, so an unwritable <c>--out</c> fails before any
    /// long computation starts. Returns the folder.
    /// </summary>
    public string PrepareOutput()
    {
        // A file where the folder (or one above it) should be is the usual mistake: say so rather than relay the
        // file system's message.
        for (string? folder = Path.GetFullPath(OutputDirectory); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            if (File.Exists(folder))
                throw new UsageException($"cannot write to output folder '{OutputDirectory}': '{folder}' is an existing file, not a folder "
                    + (folder.Length > Path.GetFullPath(_root).TrimEnd(Path.DirectorySeparatorChar).Length
                        ? $"(the results go in a folder of that name inside '{_root}', the --out folder)."
                        : "(--out names a folder)."));
        string probe = Path.Combine(OutputDirectory, $".write-probe-{Environment.ProcessId}");
        try
        {
            // Created as the command's: a command that fails leaves no empty folder behind.
            Output.PendingFiles.CreateFolder(Path.GetFullPath(OutputDirectory));
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UsageException($"cannot write to output folder '{OutputDirectory}': {Output.WriteFailure.Reason(e, Path.GetFullPath(OutputDirectory), Path.GetFullPath(probe))}.");
        }
        return OutputDirectory;
    }

    /// <summary>The path of a file in the output folder.</summary>
    public string PathOf(string fileName) => Path.Combine(OutputDirectory, fileName);
}
