using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Report;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Overparam;

/// <summary>
/// The commands of homework 2, problem 2: <c>planted-check</c> (a), <c>lr-sweep</c> (c) and <c>width-sweep</c> (d),
/// and their joint section of the report.
/// </summary>
public sealed class OverparamCommand : IReportedCommand
{
    public const string Name = "overparam";

    public string Folder => Name;

    /// <inheritdoc/>
    public double RelativeCost => 30;

    public IEnumerable<Command> Create(CommonOptions common) =>
        [PlantedCheckCommand(common), LearningRateSweepCommand(common), WidthSweepCommand(common)];

    /// <summary>(a), (c) and (d) with the homework's settings; under --quick, epochs of 1,000 samples, 5 epochs for (c) and 20 for (d).</summary>
    public ReportSection Report(RunContext ctx) => ctx.Quick
        ? OverparamReport.Run(ctx, new ProblemSetting(EpochSize: 1_000), sweepEpochs: 5, widthEpochs: 20)
        : OverparamReport.Run(ctx, new ProblemSetting());

    private static Command PlantedCheckCommand(CommonOptions common)
    {
        var problem = new ProblemOptions(defaultBatch: PlantedCheckExperiment.DefaultBatchSize, training: false);
        // One line is printed per batch, so the count is capped where the output would stop being readable.
        var batches = Options.Int("--batches", PlantedCheckExperiment.DefaultBatches, "Number of fresh mini-batches (two at least for their standard error; one line is printed for each)", min: 2, max: 100_000);
        var command = new Command("planted-check", "Problem 2(a): draw fresh mini-batches from the planted network and print the average ||y||^2 of each");
        common.AddTo(command, CommonOption.Out | CommonOption.Seed);
        problem.AddTo(command);
        command.Options.Add(batches);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Name);
            ProblemSetting setting = problem.Read(parse);
            OverparamLimits.CheckPlantedCheck(setting, parse.GetValue(batches));
            ctx.PrepareOutput();
            var result = PlantedCheckExperiment.Run(ctx.Experiment.Sampler(), setting, setting.Batch, parse.GetValue(batches));
            OverparamFiles.WritePlantedCheck(ctx, result);
            OverparamFiles.WritePlanted(ctx, SgdSweep.Planted(ctx.Experiment.Sampler(), setting), OverparamFiles.PlantedCheck);
            return 0;
        });
        return command;
    }

    private static Command LearningRateSweepCommand(CommonOptions common)
    {
        var problem = new ProblemOptions();
        var epochs = Options.Int("--epochs", LearningRateSweepExperiment.DefaultEpochs, "Epochs per run");
        var lrs = Options.DoubleList("--lrs", LearningRateSweepExperiment.DefaultEtas, "Initial learning rates eta, one run each");
        var width = Options.Double("--width", LearningRateSweepExperiment.DefaultWidthMultiple, "Hidden width as a multiple of r0");
        var command = new Command("lr-sweep", "Problem 2(c): SGD at r = 2 r0 for several initial learning rates; CSV, PNG and the best eta");
        common.AddTo(command);
        problem.AddTo(command);
        foreach (Option option in new Option[] { epochs, lrs, width }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Name);
            ProblemSetting setting = problem.Read(parse);
            int r = ProblemOptions.WidthOf(setting, parse.GetValue(width), "--width");
            double[] etas = lrs.Read(parse);
            OverparamLimits.CheckStepSizes(etas, "--lrs");
            OverparamLimits.CheckSweep(setting, etas.Select(_ => r).ToArray(), parse.GetValue(epochs), "--epochs", "--width");
            ctx.PrepareOutput();
            var planted = SgdSweep.Planted(ctx.Experiment.Sampler(), setting);
            var result = LearningRateSweepExperiment.Run(ctx.Experiment, setting, planted, etas, r, parse.GetValue(epochs));
            OverparamFiles.WriteLearningRateSweep(ctx, result);
            OverparamFiles.WritePlanted(ctx, planted, OverparamFiles.LearningRate);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The lr-sweep's files and lines before the width sweep. With more than one thread the files are written while the
    /// widths train, and the task writing them is returned (its "Wrote" line is for the caller to print once it is done):
    /// the plot, whose first drawing loads and compiles the plotting library in a tenth of a second, would otherwise
    /// leave every other core idle. On one thread, or when every eta diverged and no width sweep follows, they are
    /// written at once.
    /// </summary>
    private static Task? WriteLearningRateSweep(RunContext ctx, LearningRateSweepResult sweep, PlantedNetwork planted)
    {
        if (sweep.Best is null || ctx.Threads == 1)
        {
            OverparamFiles.WriteLearningRateSweep(ctx, sweep);
            OverparamFiles.WritePlanted(ctx, planted, OverparamFiles.LearningRate);
            return null;
        }
        OverparamFiles.PrintLearningRateSweep(ctx, sweep);
        return Task.Run(() =>
        {
            OverparamFiles.WriteLearningRateSweepFiles(ctx, sweep);
            OverparamFiles.WritePlanted(ctx, planted, OverparamFiles.LearningRate);
        });
    }

    private static Command WidthSweepCommand(CommonOptions common)
    {
        var problem = new ProblemOptions();
        var epochs = Options.Int("--epochs", WidthSweepExperiment.DefaultEpochs, "Epochs per width");
        var widths = Options.DoubleList("--widths", WidthSweepExperiment.DefaultMultiples, "Hidden widths as multiples of r0, one run each");
        var lr = Options.OptionalDouble("--lr", "Initial learning rate eta (default: the best of an lr-sweep over --lrs, which is run first)");
        var lrs = Options.DoubleList("--lrs", LearningRateSweepExperiment.DefaultEtas, "Learning rates the lr-sweep tries when --lr is not given");
        var sweepEpochs = Options.Int("--lr-sweep-epochs", LearningRateSweepExperiment.DefaultEpochs, "Epochs of the lr-sweep run when --lr is not given");
        var sweepWidth = Options.Double("--lr-sweep-width", LearningRateSweepExperiment.DefaultWidthMultiple, "Width (multiple of r0) of the lr-sweep run when --lr is not given");
        var command = new Command("width-sweep", "Problem 2(d): SGD for widths r/r0 in {1,2,4,8} at the best eta of lr-sweep (run first unless --lr); CSV, PNG, comparison with Livni et al.");
        common.AddTo(command);
        problem.AddTo(command);
        foreach (Option option in new Option[] { epochs, widths, lr, lrs, sweepEpochs, sweepWidth }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            OptionConflicts.Refuse(parse, lr, "sets eta and skips the lr-sweep that picks it", lrs, sweepEpochs, sweepWidth);
            RunContext ctx = common.Read(parse, Name);
            ProblemSetting setting = problem.Read(parse);
            double[] multiples = widths.Read(parse);
            int[] rs = multiples.Select(k => ProblemOptions.WidthOf(setting, k, "--widths")).ToArray();
            int sweepR = ProblemOptions.WidthOf(setting, parse.GetValue(sweepWidth), "--lr-sweep-width");
            OverparamLimits.CheckSweep(setting, rs, parse.GetValue(epochs), "--epochs", "--widths");
            double? given = parse.GetValue(lr);
            // The lr-sweep's rates, read once: with --lr there is no sweep.
            double[] rates = given is null ? lrs.Read(parse) : [];
            if (given is double single) OverparamLimits.CheckStepSizes([single], "--lr");
            else
            {
                OverparamLimits.CheckStepSizes(rates, "--lrs");
                OverparamLimits.CheckSweep(setting, rates.Select(_ => sweepR).ToArray(), parse.GetValue(sweepEpochs),
                    "--lr-sweep-epochs", "--lr-sweep-width");
            }
            ctx.PrepareOutput();
            var planted = SgdSweep.Planted(ctx.Experiment.Sampler(), setting);
            double eta;
            LearningRateSweepResult? sweep = null;
            Task? sweepFiles = null;
            if (given is double fixedEta) eta = fixedEta;
            else
            {
                sweep = LearningRateSweepExperiment.Run(ctx.Experiment, setting, planted, rates, sweepR, parse.GetValue(sweepEpochs));
                sweepFiles = WriteLearningRateSweep(ctx, sweep, planted);
                eta = sweep.Best?.Settings.Eta ?? throw new UsageException("every learning rate of the lr-sweep diverged; pass --lr.", keepsFiles: true);
            }
            WidthSweepResult result;
            try
            {
                result = WidthSweepExperiment.Run(ctx.Experiment, setting, planted, eta, multiples, parse.GetValue(epochs), sweep);
            }
            catch when (sweepFiles is not null)
            {
                // The lr-sweep's files are written in full before the run ends (and, the run failing, are then deleted
                // with every other file it wrote; see PendingFiles); the width sweep's error is the one reported.
                ((IAsyncResult)sweepFiles).AsyncWaitHandle.WaitOne();
                throw;
            }
            if (sweepFiles is not null)
            {
                sweepFiles.GetAwaiter().GetResult();
                OverparamFiles.PrintWroteLearningRateSweep(ctx);
            }
            OverparamFiles.WriteWidthSweep(ctx, result);
            OverparamFiles.WritePlanted(ctx, planted, OverparamFiles.Width);
            return 0;
        });
        return command;
    }
}
