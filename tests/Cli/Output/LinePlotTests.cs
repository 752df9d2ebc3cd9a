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

    [Fact]
    public void The_csv_beside_a_figure_names_its_axes()
    {
        var panel = new Panel("sweep", "initialization scale a", "max|w_inf - w_l1| / max|w_l1|", [new Series("trial 0", [0.1, 0.01], [2.5, 0.5])], LogX: true);
        string path = Path.Combine(Path.GetTempPath(), $"lineplot-{Guid.NewGuid():N}.png");
        try
        {
            LinePlot.SaveGridWithData(path, [panel], columns: 1);
            string[] lines = File.ReadAllLines(Path.ChangeExtension(path, ".csv"));
            Assert.Equal("panel,series,x,y,x_label,y_label", lines[0]);
            Assert.Equal("sweep,trial 0,0.1,2.5,initialization scale a,max|w_inf - w_l1| / max|w_l1|", lines[1]);
        }
        finally
        {
            File.Delete(path);
            File.Delete(Path.ChangeExtension(path, ".csv"));
        }
    }

    [Fact]
    public void A_panel_with_no_finite_point_says_so_in_the_figure()
    {
        // Every run diverged: the figure carries the yellow note box instead of bare, invented axes.
        static int Yellow(string path)
        {
            using var bitmap = SKBitmap.Decode(path);
            int yellow = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    SKColor c = bitmap.GetPixel(x, y);
                    if (c.Red > 200 && c.Green > 200 && c.Blue < 120) yellow++;
                }
            return yellow;
        }
        string empty = Path.Combine(Path.GetTempPath(), $"lineplot-{Guid.NewGuid():N}.png");
        string drawn = Path.Combine(Path.GetTempPath(), $"lineplot-{Guid.NewGuid():N}.png");
        try
        {
            LinePlot.Save(empty, new Panel("diverged", "epoch", "objective", [new Series("eta = 1E+20", [1.0, 2.0], [double.NaN, double.PositiveInfinity])], LogY: true));
            LinePlot.Save(drawn, new Panel("fine", "epoch", "objective", [new Series("eta = 0.01", [1.0, 2.0], [1.0, 0.5])], LogY: true));
            Assert.True(Yellow(empty) > 200, "no note in the empty figure");
            Assert.Equal(0, Yellow(drawn));
        }
        finally
        {
            File.Delete(empty);
            File.Delete(drawn);
        }
    }
}
