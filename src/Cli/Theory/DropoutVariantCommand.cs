using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.Text;
using Engine.Experiments.Theory;

namespace Engine.Cli.Theory;

/// <summary><c>engine dropout-variant</c>: homework 3, problem 1 (a) checked by exact enumeration and Monte Carlo, (b) by exact enumeration; CSVs and report section.</summary>
public sealed class DropoutVariantCommand : IReportedCommand
{
    public string Folder => "dropout-variant";

    /// <inheritdoc/>
    public double RelativeCost => 5;

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var samples = Options.Int("--samples", DropoutVariantExperiment.DefaultSamples, "Monte Carlo draws per (instance, m)", min: 2, max: 100_000_000);
        var trials = Options.Int("--trials", DropoutVariantExperiment.DefaultInstances, "Random (U, V, X) instances", max: 1000);
        var ms = Options.IntList("--ms", DropoutVariantExperiment.DefaultMs, "Numbers m of sampled factors, one check each", min: 2, max: 10_000);
        var command = new Command("dropout-variant", "Homework 3, problem 1: (a) Monte Carlo and exact checks that the expectation in (3) equals (4) up to scale and a constant; (b) the bias of the gradient with the draws held fixed");
        common.AddTo(command);
        command.Options.Add(samples);
        command.Options.Add(trials);
        command.Options.Add(ms);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            Write(ctx, DropoutVariantExperiment.Run(ctx.Experiment, ms.Read(parse), parse.GetValue(trials), parse.GetValue(samples)));
            return 0;
        });
        return [command];
    }

    /// <summary>The homework's check; under --quick, one instance and a tenth of the draws.</summary>
    public ReportSection Report(RunContext ctx) => Write(ctx, DropoutVariantExperiment.Run(ctx.Experiment, DropoutVariantExperiment.DefaultMs,
        ctx.Quick ? 1 : DropoutVariantExperiment.DefaultInstances, DropoutVariantExperiment.DefaultSamples / (ctx.Quick ? 10 : 1)));

    private static ReportSection Write(RunContext ctx, DropoutVariantResult r)
    {
        var checks = r.Checks;
        var bias = r.Bias;
        // The instances the answers rest on: X (D x N), U (D x r), V (N x r) of every Monte Carlo instance and of the
        // enumerated gradient-bias instance.
        void Instance(string stem, DropoutVariantInstance p)
        {
            Csv.WriteMatrix(ctx.PathOf($"{stem}_X.csv"), p.X, p.D, p.N);
            Csv.WriteMatrix(ctx.PathOf($"{stem}_U.csv"), p.U, p.D, p.R);
            Csv.WriteMatrix(ctx.PathOf($"{stem}_V.csv"), p.V, p.N, p.R);
        }
        for (int i = 0; i < r.Instances.Count; i++) Instance($"instance{i}", r.Instances[i]);
        Instance("gradient-bias", r.BiasInstance);
        Csv.WriteColumns(ctx.PathOf("gradient-bias.csv"), ["m", "relative_bias"],
            [bias.Select(b => (double)b.M).ToList(), bias.Select(b => b.Bias).ToList()]);
        // z_score is left empty where every draw gave the same loss: a zero standard error defines no z; exact_expectation
        // where m has too many multisets of draws to enumerate.
        Csv.WriteRows(ctx.PathOf("monte-carlo.csv"),
            ["instance", "m", "samples", "monte_carlo_mean", "monte_carlo_std_error", "closed_form", "z_score", "loss_range", "half_width", "variance_term", "exact_expectation",
                "objective_4", "offset", "expected_offset"],
            checks.Select(c => (IReadOnlyList<string>)[c.Instance.ToString(CultureInfo.InvariantCulture), c.M.ToString(CultureInfo.InvariantCulture), c.Samples.ToString(CultureInfo.InvariantCulture),
                Csv.Number(c.MonteCarloMean), Csv.Number(c.MonteCarloStdError), Csv.Number(c.ClosedForm), c.ZScore is { } z ? Csv.Number(z) : "",
                Csv.Number(c.LossRange), Csv.Number(DropoutVariantConclusion.HalfWidth(r, c)), Csv.Number(c.VarianceTerm),
                c.ExactExpectation is { } exact ? Csv.Number(exact) : "",
                Csv.Number(c.Objective4), Csv.Number(c.Offset), Csv.Number(c.ExpectedOffset)]));
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append($"**(a) The expectation in (3).** {DropoutVariantConclusion.Derivation}\n\n");
        md.Append($"{DropoutVariantConclusion.MonteCarloFinding(r)} (`monte-carlo.csv`){DropoutVariantConclusion.MonteCarloCaveat(r)}.\n\n");
        md.Append($"{DropoutVariantConclusion.ExactFinding(r)}\n\n");
        md.Append($"{DropoutVariantConclusion.Answer(r)}\n\n");
        md.Append("| instance | m | Monte Carlo mean | std. error | closed form | z | interval half-width | variance term | exact |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var c in checks)
            md.Append(string.Create(ReportFormat.Provider, $"| {c.Instance} | {c.M} | {c.MonteCarloMean:G6} | {c.MonteCarloStdError:G3} | {c.ClosedForm:G6} | {(c.ZScore is { } z ? z.ToString("F2", inv) : "n/a")} | {DropoutVariantConclusion.HalfWidth(r, c):G3} | {c.VarianceTerm:G4} | {(c.ExactExpectation is { } e ? e.ToString("G6", inv) : "n/a")} |\n"));
        md.Append($"\n**(b) Why SGD on (3) is not straightforward.** {DropoutVariantConclusion.BiasFinding(r)}\n");
        md.Append($"(`gradient-bias.csv`; a 4 x 3 instance of rank 3, every draw enumerated; its X, U, V in `gradient-bias_*.csv`, those of the Monte Carlo instances in `instance<i>_*.csv`). {DropoutVariantConclusion.BiasAnswer(r)}\n");
        ctx.Out.Write(md.ToString());
        return new ReportSection("Homework 3, problem 1: the dropout variant, (a) checked by Monte Carlo and exact sums, (b) the bias of its naive stochastic gradient (engine dropout-variant)", md.ToString());
    }
}
