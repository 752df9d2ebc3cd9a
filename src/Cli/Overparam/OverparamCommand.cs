using System.CommandLine;
using Engine.Experiments.Cli;

namespace Engine.Experiments.Overparam;

/// <summary>The commands of homework 2, problem 2: <c>planted-check</c> (a), <c>lr-sweep</c> (c) and <c>width-sweep</c> (d).</summary>
public static class OverparamCommands
{
    public const string Folder = "overparam";

    public static Command PlantedCheckCommand(CommonOptions common)
    {
        var problem = new ProblemOptions(defaultBatch: PlantedCheck.DefaultBatchSize);
        var batches = Options.Int("--batches", PlantedCheck.DefaultBatches, "Number of fresh mini-batches (at least 2: the check reports their standard error)", min: 2);
        var command = new Command("planted-check", "Problem 2(a): draw fresh mini-batches from the planted network and print the average ||y||^2 of each");
        problem.AddTo(command);
        command.Options.Add(batches);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Folder);
            ProblemSetting setting = problem.Read(parse);
            OverparamLimits.CheckPlantedCheck(setting, parse.GetValue(batches));
            ctx.PrepareOutput();
            var result = PlantedCheck.Run(ctx.Sampler(), setting, setting.Batch, parse.GetValue(batches));
            OverparamFiles.WritePlantedCheck(ctx, result);
            return 0;
        });
        return command;
    }

    public static Command LearningRateSweepCommand(CommonOptions common)
    {
        var problem = new ProblemOptions();
        var epochs = Options.Int("--epochs", LearningRateSweep.DefaultEpochs, "Epochs per run");
        var lr = Options.DoubleList("--lr", LearningRateSweep.DefaultEtas, "Initial learning rates eta");
        var width = Options.Double("--width", LearningRateSweep.DefaultWidthMultiple, "Hidden width as a multiple of r0");
        var command = new Command("lr-sweep", "Problem 2(c): SGD at r = 2 r0 for several initial learning rates; CSV, PNG and the best eta");
        problem.AddTo(command);
        foreach (Option option in new Option[] { epochs, lr, width }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Folder);
            ProblemSetting setting = problem.Read(parse);
            int r = ProblemOptions.WidthOf(setting, parse.GetValue(width), "--width");
            OverparamLimits.CheckSweep(setting, parse.GetValue(lr)!.Select(_ => r).ToArray(), parse.GetValue(epochs), "--epochs", "--width");
            ctx.PrepareOutput();
            var planted = SgdSweep.Planted(ctx.Sampler(), setting);
            var result = LearningRateSweep.Run(ctx, setting, planted, parse.GetValue(lr)!, r, parse.GetValue(epochs));
            OverparamFiles.WriteLearningRateSweep(ctx, result);
            return 0;
        });
        return command;
    }

    public static Command WidthSweepCommand(CommonOptions common)
    {
        var problem = new ProblemOptions();
        var epochs = Options.Int("--epochs", WidthSweep.DefaultEpochs, "Epochs per width");
        var widths = Options.DoubleList("--widths", WidthSweep.DefaultMultiples, "Hidden widths as multiples of r0");
        var lr = new Option<double?>("--lr") { Description = "Initial learning rate eta (default: the best of an lr-sweep, which is run first)" };
        lr.Validators.Add(result =>
        {
            double? v = result.GetValueOrDefault<double?>();
            if (v is double eta && !(eta > 0 && double.IsFinite(eta))) result.AddError($"--lr must be > 0, got {Options.Format(eta)}.");
        });
        var sweepLr = Options.DoubleList("--sweep-lr", LearningRateSweep.DefaultEtas, "Learning rates tried by the lr-sweep when --lr is not given");
        var sweepEpochs = Options.Int("--sweep-epochs", LearningRateSweep.DefaultEpochs, "Epochs of the lr-sweep run when --lr is not given");
        var sweepWidth = Options.Double("--sweep-width", LearningRateSweep.DefaultWidthMultiple, "Width (multiple of r0) of the lr-sweep run when --lr is not given");
        var command = new Command("width-sweep", "Problem 2(d): SGD for widths r/r0 in {1,2,4,8} at the best eta of lr-sweep (run first unless --lr); CSV, PNG, comparison with Livni et al.");
        problem.AddTo(command);
        foreach (Option option in new Option[] { epochs, widths, lr, sweepLr, sweepEpochs, sweepWidth }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Folder);
            ProblemSetting setting = problem.Read(parse);
            double[] multiples = parse.GetValue(widths)!;
            int[] rs = multiples.Select(k => ProblemOptions.WidthOf(setting, k, "--widths")).ToArray();
            int sweepR = ProblemOptions.WidthOf(setting, parse.GetValue(sweepWidth), "--sweep-width");
            OverparamLimits.CheckSweep(setting, rs, parse.GetValue(epochs), "--epochs", "--widths");
            if (parse.GetValue(lr) is null)
                OverparamLimits.CheckSweep(setting, parse.GetValue(sweepLr)!.Select(_ => sweepR).ToArray(), parse.GetValue(sweepEpochs),
                    "--sweep-epochs", "--sweep-width");
            ctx.PrepareOutput();
            var planted = SgdSweep.Planted(ctx.Sampler(), setting);
            double eta;
            if (parse.GetValue(lr) is double given) eta = given;
            else
            {
                var sweep = LearningRateSweep.Run(ctx, setting, planted, parse.GetValue(sweepLr)!, sweepR, parse.GetValue(sweepEpochs));
                OverparamFiles.WriteLearningRateSweep(ctx, sweep);
                eta = sweep.Best?.Settings.Eta ?? throw new UsageException("every learning rate of the lr-sweep diverged; pass --lr.");
            }
            var result = WidthSweep.Run(ctx, setting, planted, eta, multiples, parse.GetValue(epochs));
            OverparamFiles.WriteWidthSweep(ctx, result);
            return 0;
        });
        return command;
    }
}
