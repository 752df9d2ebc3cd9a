using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Overparam;

/// <summary>
/// The options that set the problem of problem 2, shared by its commands: the planted network (--dim, --outputs,
/// --r0) and the mini-batch size for every command, and for the ones that train also --epoch-size and --init-scale.
/// </summary>
public sealed class ProblemOptions
{
    /// <summary>The largest initialization scale: far above any that trains, small enough that the weights stay finite.</summary>
    public const double MaxInitScale = 1e3;

    private readonly Option<int> _dim = Options.Int("--dim", 150, "Input dimension D");
    private readonly Option<int> _outputs = Options.Int("--outputs", 10, "Output dimension n");
    private readonly Option<int> _r0 = Options.Int("--r0", 60, "Hidden width r0 of the planted network");
    private readonly Option<int> _batch;
    private readonly Option<int>? _epochSize;
    private readonly Option<double>? _initScale;

    /// <param name="defaultBatch">The default mini-batch size m.</param>
    /// <param name="training">Whether the command trains networks, and so takes --epoch-size and --init-scale.</param>
    public ProblemOptions(int defaultBatch = 10, bool training = true)
    {
        _batch = Options.Int("--batch-size", defaultBatch, "Mini-batch size m");
        if (!training) return;
        _epochSize = Options.Int("--epoch-size", 10_000,
            "Samples per epoch; an epoch is ceil(epoch-size / batch-size) mini-batches, so it holds at least this many samples");
        _initScale = Options.Double("--init-scale", 1,
            "Scale of the initial weights: U entries N(0, s^2/r), V entries N(0, s^2/D)", min: 0, minExclusive: false, max: MaxInitScale);
    }

    public void AddTo(Command command)
    {
        foreach (Option? option in new Option?[] { _dim, _outputs, _r0, _batch, _epochSize, _initScale })
            if (option is not null) command.Options.Add(option);
    }

    /// <summary>The setting the command line asks for; a command that does not train keeps the default epoch size and scale.</summary>
    public ProblemSetting Read(ParseResult parse)
    {
        var setting = new ProblemSetting(parse.GetValue(_dim), parse.GetValue(_outputs), parse.GetValue(_r0), parse.GetValue(_batch));
        if (_epochSize is not null) setting = setting with { EpochSize = parse.GetValue(_epochSize) };
        if (_initScale is not null) setting = setting with { InitScale = parse.GetValue(_initScale) };
        return setting;
    }

    /// <summary>The hidden width for a multiple of r0, or a usage error naming the option.</summary>
    public static int WidthOf(ProblemSetting setting, double multiple, string option)
    {
        try { return setting.WidthOf(multiple); }
        catch (ArgumentException e) { throw new UsageException($"{option}: {e.Message}"); }
    }
}
