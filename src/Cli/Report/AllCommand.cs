using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Experiments.Context;
using Engine.Experiments.Text;
using Spectre.Console;

namespace Engine.Cli.Report;

/// <summary><c>engine all</c>: every experiment with its defaults into one folder each, then <c>report.md</c>.</summary>
/// <remarks>
/// The experiments are independent, so they run side by side: a queue hands them to <c>--threads</c> workers, the
/// costliest first (each experiment's own parallel jobs share the same cores), and each writes its console lines into
/// a buffer printed in report order at the end. Every experiment draws from its own seeds, so the files are the same
/// bytes whatever <c>--threads</c> is and in whatever order the experiments finish. The self-check runs alone first:
/// it times kernels. Each experiment's parallel jobs are timed (<see cref="ScheduleTrace"/>), and <c>schedule.csv</c>
/// sets the run's total work against its critical path: what a machine with more cores could gain.
/// </remarks>
public static class AllCommand
{
    /// <param name="common">The shared options.</param>
    /// <param name="sections">The experiments to run, in report order (the catalog's entries with a report section).</param>
    public static Command Create(CommonOptions common, IReadOnlyList<IReportedCommand> sections)
    {
        var quick = Options.Flag("--quick", "Every experiment at reduced size (fewer epochs, steps, samples and trials): the same questions in seconds, for a smoke test");
        var command = new Command("all", "Run every experiment with its defaults into --out (one folder each, side by side on --threads cores) and write report.md");
        common.AddTo(command);
        command.Options.Add(quick);
        command.SetAction(parse =>
        {
            RunContext read = common.Read(parse);
            var ctx = new RunContext(read.OutputDirectory, read.Seed, read.Threads, read.Quiet, read.Out, quick: parse.GetValue(quick));
            ctx.PrepareOutput();
            foreach (IReportedCommand experiment in sections) ctx.WithSubfolder(experiment.Folder).PrepareOutput();
            var clock = Stopwatch.StartNew();
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            SectionRun[] runs = RunAll(ctx, sections);
            double wall = clock.Elapsed.TotalSeconds;
            double processCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

            var report = new StringBuilder();
            report.Append("# Engine report\n\n");
            if (ctx.Quick)
                report.Append("**Quick run (`--quick`): every experiment at reduced size. The numbers test that everything runs; the answers need the full run.**\n\n");
            report.Append($"Every number and figure below was produced by `engine all{(ctx.Quick ? " --quick" : "")} --seed {ctx.Seed}` on this machine ");
            report.Append($"({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, ");
            report.Append($"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}); nothing is typed in by hand.\n\n");
            report.Append(ScheduleSummary(runs, wall, processCpu, ctx.Threads) + "\n\n");
            foreach (SectionRun run in runs)
            {
                report.Append($"## {run.Section.Title}\n\n{run.Section.Markdown.TrimEnd()}\n\n");
                report.Append(string.Create(ReportFormat.Provider, $"_Run time: {RunTime(run.Trace.WallSeconds)}; files in `{run.Folder}/`._\n\n"));
            }
            if (!ctx.Quiet)
                foreach (SectionRun run in runs) ctx.Out.Write(run.Console);
            WriteSchedule(ctx, runs, wall, processCpu);
            // Written once, when every section is in: a run that fails part-way leaves the previous report intact.
            AtomicFile.WriteAllText(ctx.PathOf("report.md"), report.ToString());
            ctx.Out.WriteLine($"Report written to {ctx.PathOf("report.md")}");
            return 0;
        });
        return command;
    }

    /// <summary>One experiment's section, its console lines and the times of its parallel jobs.</summary>
    private sealed record SectionRun(string Folder, ReportSection Section, string Console, ScheduleTrace Trace);

    /// <summary>Runs the self-check alone, then every other section side by side, and returns them in report order.</summary>
    private static SectionRun[] RunAll(RunContext ctx, IReadOnlyList<IReportedCommand> sections)
    {
        var results = new SectionRun[sections.Count];
        if (ctx.Quiet || !ConsoleProgress.Interactive)
        {
            RunSections(ctx, sections, results, ctx.Quiet ? null : new ConsoleProgress());
            return results;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(display => RunSections(ctx, sections, results, new ConsoleProgress(display)));
        return results;
    }

    private static void RunSections(RunContext ctx, IReadOnlyList<IReportedCommand> sections, SectionRun[] results, IProgressReporter? progress)
    {
        SectionRun Run(int i)
        {
            IReportedCommand experiment = sections[i];
            var buffer = new StringWriter();
            var trace = new ScheduleTrace();
            if (!ctx.Quiet && progress is ConsoleProgress && !ConsoleProgress.Interactive) System.Console.Error.WriteLine($"== {experiment.Folder}");
            ReportSection section = experiment.Report(ctx.ForSection(experiment.Folder, buffer, progress, trace));
            trace.Finish();
            return new SectionRun(experiment.Folder, section, buffer.ToString(), trace);
        }

        int[] alone = Enumerable.Range(0, sections.Count).Where(i => sections[i].RunsAlone).ToArray();
        foreach (int i in alone) results[i] = Run(i);
        // The rest side by side as the experiments' own jobs run: costliest first from one queue, each one's kernels kept
        // to one thread while they share the cores.
        int[] together = Enumerable.Range(0, sections.Count).Where(i => !sections[i].RunsAlone).ToArray();
        ctx.Experiment.ParallelFor(together.Length, k => results[together[k]] = Run(together[k]), cost: k => sections[together[k]].RelativeCost);
    }

    /// <summary>
    /// The run's schedule in one sentence: its wall time on these threads, its total work and its critical path (with the
    /// CPU time of the whole process beside the work, as a check on what the trace sees), and the least time a machine
    /// with 16 cores could take by those two bounds.
    /// </summary>
    private static string ScheduleSummary(SectionRun[] runs, double wall, double processCpu, int threads) =>
        ScheduleSummary(runs.Sum(r => r.Trace.WorkSeconds), runs.Max(r => r.Trace.CriticalPathSeconds),
            runs.MaxBy(r => r.Trace.CriticalPathSeconds)!.Folder, wall, processCpu, threads, ScheduleTrace.MeasuresCpuTime);

    /// <summary>The sentence of <see cref="ScheduleSummary(SectionRun[], double, double, int)"/> from its figures.</summary>
    internal static string ScheduleSummary(double work, double critical, string criticalFolder, double wall, double processCpu, int threads, bool cpuTime)
    {
        string clock = cpuTime
            ? "Timed in each thread's CPU time, so waiting for a core is not counted, "
            : "Timed by the wall clock (this system offers no per-thread CPU clock), so on more than one thread the figures include waiting and are upper estimates; ";
        return string.Create(ReportFormat.Provider,
            $"_Schedule: the experiments ran side by side on {CountText.Of(threads, "thread")} in {wall:F1} s. {clock}their total work is {work:F1} core-seconds ")
            + string.Create(ReportFormat.Provider,
            $"(the whole process used {processCpu:F1} CPU-seconds: that also counts the runtime's own threads and any kernel's worker threads, which the trace does not see) and the longest chain of work that cannot be split ")
            + string.Create(ReportFormat.Provider,
            $"(the critical path, `{criticalFolder}`) is {critical:F2} s: by these timings no machine can take less, ")
            // One figure for one bound: the critical path printed twice, rounded two ways, read as two different numbers.
            + (work / 16 > critical
                ? string.Create(ReportFormat.Provider, $"and 16 cores at least the work over 16, {BoundText.AtLeast(work / 16, "F2")} s (`schedule.csv`)._")
                : "and 16 cores could take that little, the work over 16 being less (`schedule.csv`)._");
    }

    /// <summary>
    /// Per experiment: wall time, work, critical path and sequential part in CPU seconds; then the run ("all") and the
    /// process's CPU time as its work (timings: this file differs between runs).
    /// </summary>
    private static void WriteSchedule(RunContext ctx, SectionRun[] runs, double wall, double processCpu)
    {
        var rows = runs.Select(r => (IReadOnlyList<string>)[r.Folder, Csv.Number(Math.Round(r.Trace.WallSeconds, 3)), Csv.Number(Math.Round(r.Trace.WorkSeconds, 3)),
            Csv.Number(Math.Round(r.Trace.CriticalPathSeconds, 3)), Csv.Number(Math.Round(r.Trace.SequentialSeconds, 3)), r.Trace.Calls.ToString(CultureInfo.InvariantCulture)]).ToList();
        rows.Add(["all", Csv.Number(Math.Round(wall, 3)), Csv.Number(Math.Round(runs.Sum(r => r.Trace.WorkSeconds), 3)),
            Csv.Number(Math.Round(runs.Max(r => r.Trace.CriticalPathSeconds), 3)), "", ""]);
        rows.Add(["process", Csv.Number(Math.Round(wall, 3)), Csv.Number(Math.Round(processCpu, 3)), "", "", ""]);
        Csv.WriteRows(ctx.PathOf("schedule.csv"), ["experiment", "wall_seconds", "work_seconds", "critical_path_seconds", "sequential_seconds", "parallel_calls"], rows);
    }

    /// <summary>Seconds to one decimal, and a run under a tenth of a second in milliseconds (not "0.0 s").</summary>
    internal static string RunTime(double seconds) =>
        seconds < 0.1 ? ReportFormat.Invariant($"{seconds * 1000:F0} ms") : ReportFormat.Invariant($"{seconds:F1} s");
}
