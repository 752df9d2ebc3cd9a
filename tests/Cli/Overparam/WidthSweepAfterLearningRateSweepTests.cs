using System.Globalization;
using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;

namespace Engine.Cli.Tests.Overparam;

/// <summary>
/// <c>width-sweep</c> without <c>--lr</c> runs the lr-sweep first, goes on from its best run at the width they share,
/// and (on more than one thread) writes the lr-sweep's files while the widths train: none of that may show in the
/// numbers, the files or the console.
/// </summary>
public class WidthSweepAfterLearningRateSweepTests
{
    // The lr-sweep's width (2 r0 = 8) is among the widths, so its best run is gone on from after its 3 epochs.
    private static readonly string[] Small = ["--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40",
        "--epochs", "7", "--widths", "1,2,3", "--quiet"];

    private static (string Console, Dictionary<string, byte[]> Files) Run(string dir, params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EntryPoint.Run(["width-sweep", .. Small, .. options, "--out", dir], stderr, stdout);
        Assert.True(code == 0, stderr.ToString());
        string folder = Path.Combine(dir, OverparamCommand.Name);
        var files = Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        return (stdout.ToString().Replace(dir, "<out>"), files);
    }

    [Fact]
    public void The_widths_are_those_of_a_sweep_at_the_chosen_eta_and_the_threads_change_nothing()
    {
        using var temporary = new TemporaryFolder("width-after-lr-", create: false);
        string root = temporary.Path;
        string[] sweep = ["--lrs", "0.001,0.01,100", "--lr-sweep-epochs", "3"];
        var one = Run(Path.Combine(root, "one"), [.. sweep, "--threads", "1"]);
        var two = Run(Path.Combine(root, "two"), [.. sweep, "--threads", "2"]);
        Assert.Equal(one.Console, two.Console);
        Assert.Equal(one.Files.Keys.Order(), two.Files.Keys.Order());
        foreach (var (name, bytes) in one.Files) Assert.True(bytes.AsSpan().SequenceEqual(two.Files[name]), name);
        // The lr-sweep's line comes before the width sweep's, and its files are all there.
        string[] lines = two.Console.Split('\n');
        int wroteLr = Array.FindIndex(lines, l => l.Contains(OverparamFiles.LearningRatePng));
        int width = Array.FindIndex(lines, l => l.StartsWith("Width sweep", StringComparison.Ordinal));
        Assert.InRange(wroteLr, 0, width - 1);
        Assert.Contains(OverparamFiles.LearningRateCsv, two.Files.Keys);
        Assert.Contains(OverparamFiles.U0Csv(OverparamFiles.LearningRate), two.Files.Keys);

        // The best eta, read from the lr-sweep's summary, given with --lr: no lr-sweep, every width from its start.
        string[] best = System.Text.Encoding.UTF8.GetString(one.Files[OverparamFiles.LearningRateSummaryCsv]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).Where(c => c[2].Length > 0).MinBy(c => double.Parse(c[2], CultureInfo.InvariantCulture))!;
        var given = Run(Path.Combine(root, "given"), "--lr", best[1], "--threads", "2");
        Assert.Equal(one.Files[OverparamFiles.WidthCsv], given.Files[OverparamFiles.WidthCsv]);
        Assert.Equal(one.Files[OverparamFiles.WidthSummaryCsv], given.Files[OverparamFiles.WidthSummaryCsv]);
    }
}
