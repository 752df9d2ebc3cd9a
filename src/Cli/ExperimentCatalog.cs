using Engine.Cli.CommandLine;
using Engine.Cli.GradCheck;
using Engine.Cli.ImplicitL1;
using Engine.Cli.LassoPath;
using Engine.Cli.MatrixCompletion;
using Engine.Cli.MinNorm;
using Engine.Cli.Overparam;
using Engine.Cli.SelfCheck;
using Engine.Cli.Theory;

namespace Engine.Cli;

/// <summary>
/// The one list of what <c>engine</c> can run. Its order is the order <c>engine --help</c> lists the sub-commands
/// (after <c>all</c>), and the entries with a report section are what <c>engine all</c> runs, in the same order:
/// homework 2 first, then homework 3.
/// </summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<IEngineCommand> All { get; } =
    [
        new SelfCheckCommand(),
        new GradCheckCommand(),
        // Homework 2
        new HomogeneityCommand(),
        new OverparamCommand(),
        new LivniBonusCommand(),
        // Homework 3
        new DropoutVariantCommand(),
        new MinNormCommand(),
        new ImplicitL1Command(),
        new LassoPathCommand(),
        new MatrixCompletionCommand(),
        // Tools for the side-by-side scripts in bench/peers
        new LassoBenchCommand(),
    ];
}
