using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.MatrixCompletion;

namespace Engine.Cli.MatrixCompletion;

/// <summary>
/// <c>engine matrix-completion</c>: homework 3, problem 2 (f), gradient descent on U U^T against the minimum
/// nuclear-norm completion, with its files and report section.
/// </summary>
public sealed class MatrixCompletionCommand : IReportedCommand
{
    public const string Name = "matrix-completion";

    public string Folder => Name;

    /// <inheritdoc/>
    public double RelativeCost => 10;

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var defaults = MatrixCompletionSettings.Default;
        var dim = Options.Int("--dim", defaults.D, "Size D of the D x D matrix Y", min: 2, max: 400);
        var rank = Options.Int("--rank", defaults.Rank, "Rank k of the ground truth Y = W W^T (at most --dim)");
        var fractions = Options.DoubleList("--fractions", [.. defaults.Fractions], "Fractions of the D(D+1)/2 entry pairs observed, one regime each", max: 1);
        var alphas = Options.DoubleList("--init-scales", [.. defaults.Alphas], "Initialization scales alpha (U_0 = alpha U0, ||U0||_F = 1), one run each", max: MaxInitScale);
        var stepSizes = Options.DoubleList("--lrs", [.. defaults.StepSizes], "Gradient descent step sizes eta (Y has largest eigenvalue 1), one run each");
        var maxSteps = Options.Int("--steps", defaults.MaxSteps, "Step budget of each gradient descent run (it stops earlier when the loss is below --tol)");
        var tol = Options.Double("--tol", defaults.Tolerance, "Training loss below which gradient descent stops (converged)");
        var sdpTol = Options.Double("--sdp-tol", defaults.SdpTolerance, "Accuracy the SDP certificate must reach (relative residuals and gap)", max: 0.1);
        var sdpIterations = Options.Int("--sdp-iterations", defaults.SdpMaxIterations, "Iteration budget of the SDP solver (interior point; ADMM for very large patterns)");

        var command = new Command(Name, "Homework 3, 2 (f): does gradient descent on U U^T from near zero find the minimum nuclear-norm completion?");
        foreach (Option option in new Option[] { dim, rank, fractions, alphas, stepSizes, maxSteps, tol, sdpTol, sdpIterations })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var settings = new MatrixCompletionSettings(parse.GetValue(dim), parse.GetValue(rank), fractions.Read(parse),
                alphas.Read(parse), stepSizes.Read(parse), parse.GetValue(maxSteps), parse.GetValue(tol), parse.GetValue(sdpTol),
                parse.GetValue(sdpIterations));
            Validate(settings);
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            var (_, _, summary) = Execute(ctx, settings);
            ctx.Out.Write(summary);
            ctx.Out.WriteLine($"Files written to {ctx.OutputDirectory}");
            return 0;
        });
        return [command];
    }

    /// <summary>The largest --init-scales value: far above any that converges, small enough that U0 U0^T stays finite.</summary>
    public const double MaxInitScale = 1e3;

    /// <summary>Checks what one option alone can not: the rank against D, and the memory the runs' results take.</summary>
    public static void Validate(MatrixCompletionSettings settings)
    {
        if (settings.Rank > settings.D)
            throw new UsageException($"--rank ({settings.Rank}) must not exceed --dim ({settings.D}).");
        // Every run keeps U and X (D x D doubles each) until the output is written, and every regime about ten more
        // (Y, Omega, the SDP's iterates); counted in double so that long lists can not overflow the count.
        double square = (double)settings.D * settings.D * sizeof(double);
        double runs = (double)settings.Fractions.Count * settings.Alphas.Count * settings.StepSizes.Count;
        double bytes = runs * 2 * square + settings.Fractions.Count * 10 * square;
        if (bytes > MaxBytes)
            throw new UsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{runs:G6} runs at --dim {settings.D} need {bytes / (1L << 30):G3} GiB, more than the {MaxBytes / (1L << 30):G3} GiB allowed; shorten --fractions, --init-scales or --lrs, or lower --dim."));
    }

    /// <summary>The most memory the results of one command may hold: far above any sensible setting, below what the machine can hold.</summary>
    public const double MaxBytes = 4.0 * (1L << 30);

    /// <summary>Runs the experiment with progress, writes its files and returns the results and the console summary.</summary>
    /// <param name="ownOptions">Whether the running command is this one, whose options a remedy may name (false under <c>engine all</c>).</param>
    public static (MatrixCompletionResult Results, IReadOnlyList<RegimeVerdict> Verdicts, string Summary) Execute(
        RunContext ctx, MatrixCompletionSettings settings, bool ownOptions = true)
    {
        MatrixCompletionResult results = MatrixCompletionExperiment.Run(settings, ctx.Experiment);
        var verdicts = MatrixCompletionConclusion.ForEachRegime(results);
        MatrixCompletionFiles.Write(ctx, results, verdicts, ownOptions);
        string summary = MatrixCompletionFiles.Summary(results, verdicts, ownOptions);
        AtomicFile.WriteAllText(ctx.PathOf("summary.txt"), summary);
        return (results, verdicts, summary);
    }

    /// <summary>The homework's question at the default settings; under --quick, D = 12, three scales and 5,000 steps.</summary>
    public ReportSection Report(RunContext ctx)
    {
        MatrixCompletionSettings settings = ctx.Quick ? MatrixCompletionSettings.Quick : MatrixCompletionSettings.Default;
        var (results, verdicts, summary) = Execute(ctx, settings, ownOptions: false);
        if (!ctx.Quiet) ctx.Out.Write(summary);
        return MatrixCompletionFiles.Report(results, verdicts, Folder);
    }
}
