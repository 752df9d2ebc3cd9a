using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Experiments;
using Engine.Experiments.GradCheck;
using Engine.Experiments.Text;
using Engine.Kernels.Calculus;

namespace Engine.Cli.GradCheck;

/// <summary>
/// <c>engine gradcheck</c>: every hand-written gradient against finite differences through
/// <see cref="GradientCheck"/>, one line per block with what was probed, the worst ratio of error to tolerance, the
/// step and tolerance of that probe, and a verdict. Exit code 1 when a block fails.
/// </summary>
public sealed class GradCheckCommand : IEngineCommand
{
    public IEnumerable<Command> Create(CommonOptions common)
    {
        var trials = Options.Int("--trials", 3, "Random instances per gradient", max: 10_000);
        var command = new Command("gradcheck", "Check every hand-written gradient against finite differences, coordinate by coordinate and along random directions");
        common.AddTo(command, CommonOption.Seed);
        command.Options.Add(trials);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse);
            IReadOnlyList<GradientBlockResult> results = GradCheckExperiment.Run(ctx.Experiment, parse.GetValue(trials));
            ctx.Out.Write(Table(results));
            return results.All(r => r.Passed) ? 0 : 1;
        });
        return [command];
    }

    /// <summary>A heading per gradient, a line per block and trial, and the overall verdict.</summary>
    public static string Table(IReadOnlyList<GradientBlockResult> results)
    {
        var text = new System.Text.StringBuilder();
        foreach (var gradient in results.GroupBy(r => r.Gradient))
        {
            text.AppendLine(gradient.Key);
            text.AppendLine($"  {"trial",5} {"block",-11} {"n",4} {"coords",6} {"dirs",4} {"worst err/tol",13} {"at",-13} {"error",9} {"tolerance",9} {"rel. step",9}  verdict");
            foreach (GradientBlockResult r in gradient)
            {
                DerivativeCheckResult c = r.Result;
                DerivativeCheckRow? w = c.Worst;
                string at = w is { } row ? $"{(row.Kind == DerivativeCheckKind.Coordinate ? "coord" : "dir")} {row.Index}" : "-";
                text.AppendLine(string.Create(ReportFormat.Provider,
                    $"  {r.Trial,5} {r.Block,-11} {c.Inputs,4} {c.CoordinateRows.Count,6} {c.DirectionRows.Count,4} {w?.Ratio ?? 0,13:F4} {at,-13} {w?.Error ?? 0,9:0.0E+00} {w?.Tolerance ?? 0,9:0.0E+00} {c.RelativeStep,9:0.0E+00}  {(c.Passed ? "pass" : "FAIL")}"));
            }
        }
        int failed = results.Count(r => !r.Passed);
        text.AppendLine(failed == 0
            ? $"All {results.Count} gradient blocks pass (a block passes when every probe's error is within its tolerance: worst err/tol <= 1)."
            : $"{failed} of {results.Count} gradient blocks FAILED.");
        return text.ToString();
    }
}
