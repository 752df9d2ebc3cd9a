using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Experiments;
using Engine.Experiments.GradCheck;

namespace Engine.Cli.GradCheck;

/// <summary><c>engine gradcheck</c>: every hand-written gradient against central differences, with a verdict.</summary>
public sealed class GradCheckCommand : IEngineCommand
{
    public IEnumerable<Command> Create(CommonOptions common)
    {
        var trials = Options.Int("--trials", 3, "Random instances per gradient");
        var command = new Command("gradcheck", "Check every hand-written gradient against central finite differences (double precision)");
        command.Options.Add(trials);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse);
            int failures = 0;
            ctx.Out.WriteLine($"{"gradient",-58} {"block",-10} {"coords",7} {"max rel err",12} {"tol",9}  verdict");
            for (int c = 0; c < GradientChecks.All.Count; c++)
            {
                IGradientCheck check = GradientChecks.All[c];
                for (int t = 0; t < parse.GetValue(trials); t++)
                {
                    var sampler = ctx.Experiment.Sampler((ulong)c).Split((ulong)t);
                    foreach (GradientBlockCheck block in check.Run(sampler))
                    {
                        if (!block.Passed) failures++;
                        ctx.Out.WriteLine($"{check.Name,-58} {block.Block,-10} {block.Coordinates,7} {block.MaxRelativeError,12:E2} {block.Tolerance,9:E0}  {(block.Passed ? "pass" : "FAIL")}");
                    }
                }
            }
            ctx.Out.WriteLine(failures == 0 ? "All gradients pass." : $"{failures} gradient block(s) FAILED.");
            return failures == 0 ? 0 : 1;
        });
        return [command];
    }
}
