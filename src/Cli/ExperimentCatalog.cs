using System.CommandLine;

namespace Engine.Experiments.Cli;

/// <summary>Every sub-command of <c>engine</c>, in the order <c>engine --help</c> lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> Create(CommonOptions common) =>
    [
        Report.AllCommand.Create(common),
        SelfCheck.SelfCheckCommand.Create(common),
        GradCheck.GradCheckCommand.Create(common),
        // Homework 2
        Theory.HomogeneityExperiment.Create(common),
        Overparam.OverparamCommands.PlantedCheckCommand(common),
        Overparam.OverparamCommands.LearningRateSweepCommand(common),
        Overparam.OverparamCommands.WidthSweepCommand(common),
        Overparam.LivniBonusExperiment.Create(common),
        // Homework 3
        Theory.DropoutVariantExperiment.Create(common),
        MinNorm.MinNormCommand.Create(common),
        ImplicitL1.ImplicitL1Command.Create(common),
        LassoPath.LassoPathCommand.Create(common),
        MatrixCompletion.MatrixCompletionCommand.Create(common),
        // Tools for the side-by-side scripts in bench/peers
        LassoPath.LassoBenchCommand.Create(common),
    ];
}
