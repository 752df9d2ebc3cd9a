using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;

namespace Engine.Cli.Report;

/// <summary><c>engine all</c>: every experiment with its defaults into one folder each, then <c>report.md</c>.</summary>
public static class AllCommand
{
    /// <param name="common">The shared options.</param>
    /// <param name="sections">The experiments to run, in report order (the catalog's entries with a report section).</param>
    public static Command Create(CommonOptions common, IReadOnlyList<IReportedCommand> sections)
    {
        var quick = Options.Flag("--quick", "Every experiment at reduced size (fewer epochs, steps, samples and trials): the same questions in seconds, for a smoke test");
        var command = new Command("all", "Run every experiment with its defaults into --out (one folder each) and write report.md");
        common.AddTo(command);
        command.Options.Add(quick);
        command.SetAction(parse =>
        {
            RunContext read = common.Read(parse);
            var ctx = new RunContext(read.OutputDirectory, read.Seed, read.Threads, read.Quiet, read.Out, quick: parse.GetValue(quick));
            ctx.PrepareOutput();
            var report = new StringBuilder();
            report.Append("# Engine report\n\n");
            if (ctx.Quick)
                report.Append("**Quick run (`--quick`): every experiment at reduced size. The numbers test that everything runs; the answers need the full run.**\n\n");
            report.Append($"Every number and figure below was produced by `engine all{(ctx.Quick ? " --quick" : "")} --seed {ctx.Seed}` on this machine ");
            report.Append($"({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, ");
            report.Append($"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}); nothing is typed in by hand.\n\n");
            foreach (IReportedCommand experiment in sections)
            {
                RunContext sub = ctx.WithSubfolder(experiment.Folder);
                sub.PrepareOutput();
                if (!ctx.Quiet) Console.Error.WriteLine($"== {experiment.Folder}");
                var clock = Stopwatch.StartNew();
                ReportSection section = experiment.Report(sub);
                report.Append($"## {section.Title}\n\n{section.Markdown.TrimEnd()}\n\n");
                report.Append($"_Run time: {clock.Elapsed.TotalSeconds:F1} s; files in `{experiment.Folder}/`._\n\n");
            }
            // Written once, when every section is in: a run that fails part-way leaves the previous report intact.
            AtomicFile.WriteAllText(ctx.PathOf("report.md"), report.ToString());
            ctx.Out.WriteLine($"Report written to {ctx.PathOf("report.md")}");
            return 0;
        });
        return command;
    }
}
