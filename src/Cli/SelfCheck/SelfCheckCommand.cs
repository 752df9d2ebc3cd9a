using System.CommandLine;
using Engine.Experiments.Cli;
using Engine.Experiments.Report;

namespace Engine.Experiments.SelfCheck;

/// <summary><c>engine selfcheck</c>: CPU features, the variant each kernel dispatches to, and a quick correctness and speed line for each.</summary>
public static class SelfCheckCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("selfcheck", "Show the CPU features detected, each kernel's dispatched variant, and a quick correctness and GFLOP/s line for each");
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse);
            var report = KernelSelfCheck.Run();
            ctx.Out.Write(report.Text);
            return report.AllCorrect ? 0 : 1;
        });
        return command;
    }
}

/// <summary>The self-check as the first section of the report.</summary>
public sealed class SelfCheckExperiment : IReportedExperiment
{
    public string Folder => "selfcheck";

    public ReportSection Run(RunContext ctx)
    {
        var report = KernelSelfCheck.Run();
        Output.AtomicFile.WriteAllText(ctx.PathOf("selfcheck.txt"), report.Text);
        if (!ctx.Quiet) ctx.Out.Write(report.Text);
        return new ReportSection("Kernels on this machine (engine selfcheck)", "```\n" + report.Text + "```\n");
    }
}
