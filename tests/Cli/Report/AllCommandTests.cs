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
        string dir = Directory.CreateTempSubdirectory("all-quick").FullName;
        try
        {
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
        finally { Directory.Delete(dir, recursive: true); }
    }
}
