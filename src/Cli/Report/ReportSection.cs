using Engine.Cli.CommandLine;

namespace Engine.Cli.Report;

/// <summary>
/// One part of <c>results/report.md</c>: the homework questions an experiment answers, with figure links,
/// key numbers and answers, all produced by the run that wrote it. Links are relative to the results folder,
/// i.e. <c>{Folder}/figure.png</c>.
/// </summary>
public sealed record ReportSection(string Title, string Markdown);

/// <summary>A catalog entry that <c>engine all</c> runs with its defaults and puts into the report.</summary>
public interface IReportedCommand : IEngineCommand
{
    /// <summary>Its sub-folder of the results folder (usually its command name).</summary>
    string Folder { get; }

    /// <summary>Runs with the defaults into <c>ctx.OutputDirectory</c> (already created), writes its files and returns its section.</summary>
    ReportSection Report(RunContext ctx);

    /// <summary>A rough cost relative to the others, for <c>engine all</c>'s schedule (the costliest start first).</summary>
    double RelativeCost => 1;

    /// <summary>Whether <c>engine all</c> runs it alone, before the others (a section that times kernels).</summary>
    bool RunsAlone => false;
}
