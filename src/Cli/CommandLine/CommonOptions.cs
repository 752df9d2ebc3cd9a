using System.CommandLine;

namespace Engine.Cli.CommandLine;

/// <summary>The shared options a command may use.</summary>
[Flags]
public enum CommonOption
{
    None = 0,
    Out = 1,
    Seed = 2,
    Threads = 4,
    Quiet = 8,
    All = Out | Seed | Threads | Quiet,
}

/// <summary>
/// The options commands share: <c>--out</c>, <c>--seed</c>, <c>--threads</c>, <c>--quiet</c>. Each command adds the
/// ones it uses (<see cref="AddTo"/>), so its <c>--help</c> lists nothing it ignores.
/// </summary>
/// <param name="output">Where the commands print their results; the console when null.</param>
public sealed class CommonOptions(TextWriter? output = null)
{
    private readonly HashSet<Command> _declared = [];

    public Option<string> Out { get; } = Options.Folder("--out", "results", "Folder the results are written to");

    public Option<ulong> Seed { get; } = Options.Seed("--seed", 2019, "Seed of every random draw; the same seed gives the same numbers whatever --threads is");

    public Option<int> Threads { get; } = Options.Int("--threads", Environment.ProcessorCount, "Threads used for independent runs and inside the kernels; the default is every core this process may use", min: 1, max: 1024);

    public Option<bool> Quiet { get; } = Options.Flag("--quiet", "No progress output; results only (all: only the report file, no console lines)");

    /// <summary>Adds the shared options <paramref name="command"/> uses (all four unless stated).</summary>
    public void AddTo(Command command, CommonOption uses = CommonOption.All)
    {
        _declared.Add(command);
        if (uses.HasFlag(CommonOption.Out)) command.Options.Add(Out);
        if (uses.HasFlag(CommonOption.Seed)) command.Options.Add(Seed);
        if (uses.HasFlag(CommonOption.Threads)) command.Options.Add(Threads);
        if (uses.HasFlag(CommonOption.Quiet)) command.Options.Add(Quiet);
    }

    /// <summary>Whether <see cref="AddTo"/> has declared the shared options of <paramref name="command"/>.</summary>
    public bool Declared(Command command) => _declared.Contains(command);

    /// <summary>
    /// The run context for a parsed command line; <paramref name="defaultSubfolder"/> is appended to --out when the
    /// command writes into a folder of its own. An option the command does not take has its default.
    /// </summary>
    public RunContext Read(ParseResult parse, string? defaultSubfolder = null)
    {
        IList<Option> taken = parse.CommandResult.Command.Options;
        string root = taken.Contains(Out) ? parse.GetValue(Out)! : "results";
        string outDir = defaultSubfolder is null ? root : Path.Combine(root, defaultSubfolder);
        return new RunContext(outDir,
            taken.Contains(Seed) ? parse.GetValue(Seed) : 2019,
            taken.Contains(Threads) ? parse.GetValue(Threads) : Environment.ProcessorCount,
            !taken.Contains(Quiet) || parse.GetValue(Quiet), output, outFolder: root);
    }
}
