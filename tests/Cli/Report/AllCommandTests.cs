using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Report;

namespace Engine.Cli.Tests.Report;

/// <summary><c>engine all --quick</c> hands every section a quick run context and says so in the report.</summary>
public class AllCommandTests
{
    /// <summary>A section that records the context it was run with.</summary>
    private sealed class Recorder : IReportedCommand
    {
        public List<RunContext> Runs { get; } = [];

        public string Folder => "recorder";

        public IEnumerable<Command> Create(CommonOptions common) => [];

        public ReportSection Report(RunContext ctx)
        {
            Runs.Add(ctx);
            return new ReportSection("Recorded", $"quick = {ctx.Quick}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void QuickReachesEverySectionAndTheReport(bool quick)
    {
        using var temporary = new TemporaryFolder("all-quick");
        string dir = temporary.Path;
        var recorder = new Recorder();
        var root = new RootCommand();
        root.Subcommands.Add(AllCommand.Create(new CommonOptions(TextWriter.Null), [recorder]));
        string[] args = quick ? ["all", "--quick", "--out", dir, "--quiet"] : ["all", "--out", dir, "--quiet"];
        Assert.Equal(0, root.Parse(args).Invoke());
        Assert.Equal(quick, recorder.Runs.Single().Quick);
        Assert.Equal(Path.Combine(dir, "recorder"), recorder.Runs.Single().OutputDirectory);
        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Equal(quick, report.Contains("**Quick run (`--quick`)"));
        Assert.Contains($"`engine all{(quick ? " --quick" : "")} --seed 2019`", report);
    }

    [Fact]
    public void TheScheduleHasEveryExperimentTheRunAndTheProcessCpuTime()
    {
        using var temporary = new TemporaryFolder("all-schedule");
        string dir = temporary.Path;
        var root = new RootCommand();
        root.Subcommands.Add(AllCommand.Create(new CommonOptions(TextWriter.Null), [new Recorder()]));
        Assert.Equal(0, root.Parse(["all", "--quick", "--out", dir, "--quiet", "--threads", "1"]).Invoke());
        string[] lines = File.ReadAllLines(Path.Combine(dir, "schedule.csv"));
        Assert.Equal("experiment,wall_seconds,work_seconds,critical_path_seconds,sequential_seconds,parallel_calls", lines[0]);
        Assert.Equal(["recorder", "all", "process"], lines.Skip(1).Select(l => l.Split(',')[0]));
        // Work and process CPU are CPU-seconds: non-negative numbers, the process's at least the traced work.
        double work = double.Parse(lines[2].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        double process = double.Parse(lines[3].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(work, 0, process + 0.01);
        string report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains("Timed in each thread's CPU time", report);
        Assert.Contains("the whole process used", report);
    }

    [Fact]
    public void The_schedule_sentence_prints_the_critical_path_once_and_the_16_core_bound_without_contradicting_it()
    {
        // A critical path of 6.798 s once read "is 6.8 s, so no machine can take less than 6.7 s": one figure now.
        string onPath = AllCommand.ScheduleSummary(work: 67.5, critical: 6.798, "overparam", wall: 39.5, processCpu: 69, threads: 2, cpuTime: true);
        Assert.Contains("(the critical path, `overparam`) is 6.80 s: by these timings no machine can take less, and 16 cores could take that little", onPath);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(onPath, @"6\.\d+ s"));
        string byWork = AllCommand.ScheduleSummary(work: 160, critical: 6.798, "overparam", wall: 90, processCpu: 161, threads: 1, cpuTime: true);
        Assert.Contains("and 16 cores at least the work over 16, 10.00 s", byWork);
        Assert.Contains("on 1 thread in 90.0 s", byWork);
    }
}
