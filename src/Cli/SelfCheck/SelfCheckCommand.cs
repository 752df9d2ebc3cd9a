using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.SelfCheck;

namespace Engine.Cli.SelfCheck;

/// <summary>
/// <c>engine selfcheck</c>: CPU features, the variant each kernel dispatches to, and a quick correctness and speed
/// line for each; also the first section of the report.
/// </summary>
public sealed class SelfCheckCommand : IReportedCommand
{
    public string Folder => "selfcheck";

    /// <inheritdoc/>
    public bool RunsAlone => true;

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var command = new Command("selfcheck", "Show the CPU features detected, each kernel's dispatched variant, and a quick correctness and GFLOP/s line for each");
        common.AddTo(command, CommonOption.None);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse);
            var report = SelfCheckExperiment.Run();
            ctx.Out.Write(report.Text);
            return report.AllCorrect ? 0 : 1;
        });
        return [command];
    }

    public ReportSection Report(RunContext ctx)
    {
        var report = SelfCheckExperiment.Run();
        AtomicFile.WriteAllText(ctx.PathOf("selfcheck.txt"), report.Text);
        if (!ctx.Quiet) ctx.Out.Write(report.Text);
        return new ReportSection("Kernels on this machine (engine selfcheck)", "```\n" + report.Text + "```\n");
    }
}
