using Engine.Cli.Output;
using SkiaSharp;

namespace Engine.Cli.Tests.Output;

public class LinePlotTests
{
    /// <summary>Counts pixels that are not (near) white: a figure with axes and lines has many.</summary>
    private static int InkedPixels(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        int inked = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red < 200 || c.Green < 200 || c.Blue < 200) inked++;
            }
        return inked;
    }

    [Theory]
    [InlineData("labelled")]
    [InlineData("")]
    public void PanelsAreDrawnWithOrWithoutLegendLabels(string label)
    {
        var xs = Enumerable.Range(1, 50).Select(i => (double)i).ToList();
        var series = Enumerable.Range(0, 25).Select(s => new Series(label == "" ? "" : $"{label} {s}", xs, xs.Select(x => (s + 1) * x).ToList())).ToList();
        var panel = new Panel("title", "x", "y", series, LogY: true);
        string path = Path.Combine(Path.GetTempPath(), $"lineplot-{Guid.NewGuid():N}.png");
        try
        {
            LinePlot.SaveGrid(path, [panel, panel with { LogY = false }], columns: 2);
            Assert.True(InkedPixels(path) > 2000, "the figure is (nearly) blank");
        }
        finally { File.Delete(path); }
    }
}
