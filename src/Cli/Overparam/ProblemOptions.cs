using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Experiments.Overparam;

namespace Engine.Cli.Overparam;

/// <summary>The options that set the problem of problem 2 (--dim, --outputs, --r0, --batch, --epoch-size, --init-scale), shared by its commands.</summary>
public sealed class ProblemOptions
{
    private readonly Option<int> _dim = Options.Int("--dim", 150, "Input dimension D");
    private readonly Option<int> _outputs = Options.Int("--outputs", 10, "Output dimension n");
    private readonly Option<int> _r0 = Options.Int("--r0", 60, "Hidden width r0 of the planted network");
    private readonly Option<int> _batch;
    private readonly Option<int> _epochSize = Options.Int("--epoch-size", 10_000,
        "Samples per epoch; an epoch is ceil(epoch-size / batch) mini-batches, so it holds at least this many samples");
    private readonly Option<double> _initScale = Options.Double("--init-scale", 1,
        "Scale of the initial weights: U entries N(0, s^2/r), V entries N(0, s^2/D)", min: 0, minExclusive: false, max: double.MaxValue);

    public ProblemOptions(int defaultBatch = 10)
    {
        _batch = Options.Int("--batch", defaultBatch, "Mini-batch size m");
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _dim, _outputs, _r0, _batch, _epochSize, _initScale }) command.Options.Add(option);
    }

    public ProblemSetting Read(ParseResult parse) => new(parse.GetValue(_dim), parse.GetValue(_outputs), parse.GetValue(_r0),
        parse.GetValue(_batch), parse.GetValue(_epochSize), parse.GetValue(_initScale));

    /// <summary>The hidden width for a multiple of r0, or a usage error naming the option.</summary>
    public static int WidthOf(ProblemSetting setting, double multiple, string option)
    {
        try { return setting.WidthOf(multiple); }
        catch (ArgumentException e) { throw new UsageException($"{option}: {e.Message}"); }
    }
}
