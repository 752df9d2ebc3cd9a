using System.CommandLine;
using System.CommandLine.Parsing;
using Engine.Cli.CommandLine;
using Engine.Cli.Report;
using Engine.Cli.Output;

namespace Engine.Cli;

/// <summary>
/// Parses and runs a command line with the engine's exit-code policy: bad input is one line on stderr and
/// exit code 2; an unexpected failure is one line and exit code 1 (the stack trace only with ENGINE_DEBUG=1).
/// </summary>
public static class EntryPoint
{
    public const int BadInput = 2;
    public const int Failure = 1;

    /// <param name="args">The command line.</param>
    /// <param name="stderr">Where bad input and failures are reported (the console's by default).</param>
    /// <param name="stdout">Where results are printed (the console's by default); progress always goes to the console's stderr.</param>
    public static int Run(string[] args, TextWriter? stderr = null, TextWriter? stdout = null)
    {
        stderr ??= Console.Error;
        // Building the tree and parsing are inside the handler too: a failure there (an option missing from the
        // vocabulary, say) is one line and exit code 1 like any other, never a stack trace.
        try
        {
            RootCommand root = CreateRoot(stdout);
            // No response files: "@name" is an ordinary value (a folder named @runs, say), not a file whose lines
            // become arguments behind the user's back.
            ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (UsageErrors.First(parse) is string error)
            {
                // A bare "engine" also gets the help (on stdout, where --help puts it); the error line is on stderr either way.
                if (args.Length == 0) root.Parse("--help").Invoke(new InvocationConfiguration { Output = stdout ?? Console.Out });
                stderr.WriteLine($"engine: {error}");
                return BadInput;
            }
            if (parse.Action is not System.CommandLine.Help.HelpAction && EnvironmentSettings.FirstError() is string setting)
            {
                stderr.WriteLine($"engine: {setting}");
                return BadInput;
            }
            // Every file of the command goes into place when it has run to its end, whatever its exit code; an
            // exception leaves the output folder as it was.
            using PendingFiles files = PendingFiles.Begin();
            int code;
            try
            {
                code = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            }
            catch (UsageException e) when (e.KeepsFiles)
            {
                files.Commit();
                throw;
            }
            files.Commit();
            return code;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"engine: {e.Message}");
            return BadInput;
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions is [UsageException usage, ..])
        {
            // Bad input found inside a parallel loop.
            stderr.WriteLine($"engine: {usage.Message}");
            return BadInput;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("ENGINE_DEBUG") != "1")
        {
            stderr.WriteLine($"engine: internal error: {InnermostMessage(e)} (run with ENGINE_DEBUG=1 for the details)");
            return Failure;
        }
    }

    /// <summary>
    /// The message of the first failure inside a parallel loop's AggregateException (whose own text is the runtime's
    /// "One or more errors occurred."), or the exception's own message.
    /// </summary>
    internal static string InnermostMessage(Exception e) =>
        e is AggregateException aggregate && aggregate.Flatten().InnerExceptions is [var first, ..] ? first.Message : e.Message;

    /// <summary>
    /// The command tree: <c>all</c>, then every catalog entry's sub-commands in catalog order, each with the shared
    /// options it uses. A command that does not declare them (<see cref="CommonOptions.AddTo"/>) is an experiment
    /// that writes files, draws random numbers, runs in parallel and reports progress, and takes all four.
    /// </summary>
    internal static RootCommand CreateRoot(TextWriter? stdout = null)
    {
        var common = new CommonOptions(stdout);
        var root = new RootCommand("engine: SIMD numerics for the mathematics of deep learning (homework 2 and 3 experiments, kernels, checks)");
        root.Subcommands.Add(AllCommand.Create(common, ExperimentCatalog.All.OfType<IReportedCommand>().ToList()));
        foreach (IEngineCommand entry in ExperimentCatalog.All)
            foreach (Command command in entry.Create(common))
            {
                if (!common.Declared(command)) common.AddTo(command);
                root.Subcommands.Add(command);
            }
        return root;
    }
}
