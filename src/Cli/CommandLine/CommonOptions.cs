using System.CommandLine;

namespace Engine.Cli.CommandLine;

/// <summary>The options every experiment command shares: <c>--out</c>, <c>--seed</c>, <c>--threads</c>, <c>--quiet</c>.</summary>
public sealed class CommonOptions
{
    public Option<string> Out { get; } = new("--out")
    {
        Description = "Folder the results are written to",
        DefaultValueFactory = _ => "results",
        Recursive = true,
    };

    public Option<ulong> Seed { get; } = new("--seed")
    {
        Description = "Seed of every random draw; the same seed gives the same numbers whatever --threads is",
        DefaultValueFactory = _ => 2019,
        Recursive = true,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "Threads used for independent runs (default: all cores)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Recursive = true,
    };

    public Option<bool> Quiet { get; } = new("--quiet")
    {
        Description = "No progress output; results only",
        Recursive = true,
    };

    public CommonOptions()
    {
        Options.AddValidators(Threads, min: 1);
    }

    public void AddTo(Command root)
    {
        root.Options.Add(Out);
        root.Options.Add(Seed);
        root.Options.Add(Threads);
        root.Options.Add(Quiet);
    }

    /// <summary>The run context for a parsed command line; <paramref name="defaultSubfolder"/> is appended to --out
    /// when the command writes into a folder of its own.</summary>
    public RunContext Read(ParseResult parse, string? defaultSubfolder = null)
    {
        string outDir = parse.GetValue(Out) ?? "results";
        if (string.IsNullOrWhiteSpace(outDir)) throw new UsageException("--out needs a folder name.");
        if (defaultSubfolder is not null) outDir = Path.Combine(outDir, defaultSubfolder);
        return new RunContext(outDir, parse.GetValue(Seed), parse.GetValue(Threads), parse.GetValue(Quiet));
    }
}
