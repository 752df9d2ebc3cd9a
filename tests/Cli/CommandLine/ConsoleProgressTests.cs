using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests.CommandLine;

public class ConsoleProgressTests
{
    [Fact]
    public void PlainLinesComeAtEveryTenthAndAfterAQuietStretchThatMovedOn()
    {
        var output = new StringWriter();
        double now = 0;
        var sink = new ConsoleProgress.PlainSink("solve", 100, output, () => now);
        now = 1; sink.Advance(10);   // a tenth: a line at once
        now = 2; sink.Advance(3);    // 13 %, 1 s after the last line: none
        now = 9; sink.Advance(0);    // still 13 %, but 8 s since a line and moved on since it: a line
        now = 13; sink.Advance(0);   // 4 s later, no further percent: none
        now = 14; sink.Advance(2);   // 15 %, 5 s after the last line: a line
        now = 15; sink.Advance(85);  // the end: no 100 % line before the finish
        sink.Finish();
        string[] lines = output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["solve: 10% (1.0 s)", "solve: 13% (9.0 s)", "solve: 15% (14.0 s)", "solve: done in 15.0 s"], lines);
    }
}
