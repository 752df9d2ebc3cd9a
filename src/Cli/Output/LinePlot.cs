using ScottPlot;

namespace Engine.Cli.Output;

/// <summary>
/// One line of a plot: its legend label and its points (NaN or non-positive y on a log axis are left out), and
/// optionally a band from <paramref name="Lower"/> to <paramref name="Upper"/> (same x), shaded in the line's color.
/// </summary>
/// <param name="Muted">Drawn thin and grey, behind the others and out of the legend (its label still names it in the CSV).</param>
public sealed record Series(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Dashed = false, bool MarkersOnly = false, int? ColorIndex = null,
    IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null, bool Muted = false);

/// <summary>What one panel of a figure shows.</summary>
/// <param name="LegendInside">The legend in the upper right corner of the data area instead of beside it: for a panel whose
/// long labels would otherwise take half its width, and whose upper right is empty.</param>
public sealed record Panel(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series,
    bool LogX = false, bool LogY = false, bool ShowLegend = true, bool LegendInside = false);

/// <summary>
/// PNG line plots with ScottPlot. Log axes are drawn the ScottPlot 5 way: the data are plotted as log10 and the
/// ticks are labelled as powers of ten. Written atomically.
/// </summary>
public static class LinePlot
{
    /// <summary>
    /// The color of series (or coordinate) <paramref name="index"/> in every figure, so coordinate i looks the same
    /// everywhere: the ten Category10 colors first (most distinct), then the lighter Category20 shades, then hues
    /// spread by the golden angle.
    /// </summary>
    public static Color ColorOf(int index)
    {
        if (index < 10) return new ScottPlot.Palettes.Category10().GetColor(index);
        if (index < 20) return new ScottPlot.Palettes.Category20().GetColor(2 * (index - 10) + 1);
        double hue = (index * 0.618033988749895) % 1.0;
        return Color.FromHSL((float)hue, 0.65f, 0.45f);
    }

    public static void Save(string path, Panel panel, int width = 900, int height = 600) =>
        SaveGrid(path, [panel], columns: 1, width, height);

    /// <summary>Saves several panels side by side (<paramref name="columns"/> per row) in one PNG.</summary>
    public static void SaveGrid(string path, IReadOnlyList<Panel> panels, int columns, int panelWidth = 900, int panelHeight = 600)
    {
        int rows = (panels.Count + columns - 1) / columns;
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (int i = 0; i < panels.Count; i++) Draw(multiplot.GetPlot(i), panels[i]);
        byte[] png = multiplot.Render(panelWidth * columns, panelHeight * rows).GetImageBytes(ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }

    /// <summary>
    /// Saves the panels as a PNG and every plotted (finite) point, long-format (panel, series, x, y, and the panel's axis
    /// labels, which say what x and y are), in a CSV of the same base name, so the figure's numbers can be read
    /// without the picture.
    /// </summary>
    public static void SaveGridWithData(string path, IReadOnlyList<Panel> panels, int columns, int panelWidth = 900, int panelHeight = 600)
    {
        SaveGrid(path, panels, columns, panelWidth, panelHeight);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var panel in panels)
            foreach (var (series, s) in panel.Series.Select((series, s) => (series, s)))
                for (int i = 0; i < Math.Min(series.X.Count, series.Y.Count); i++)
                    if (double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i]))
                        rows.Add([panel.Title, series.Label.Length > 0 ? series.Label : $"series {s + 1}", Csv.Number(series.X[i]), Csv.Number(series.Y[i]),
                            panel.XLabel, panel.YLabel]);
        Csv.WriteRows(Path.ChangeExtension(path, ".csv"), ["panel", "series", "x", "y", "x_label", "y_label"], rows);
    }

    private static void Draw(Plot plot, Panel panel)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (int s = 0; s < panel.Series.Count; s++)
        {
            var series = panel.Series[s];
            if (series.Lower is not null && series.Upper is not null) DrawBand(plot, panel, series, ColorOf(series.ColorIndex ?? s));
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < Math.Min(series.X.Count, series.Y.Count); i++)
            {
                double x = series.X[i], y = series.Y[i];
                if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
                if (panel.LogX && x <= 0) continue;
                if (panel.LogY && y <= 0) continue;
                xs.Add(panel.LogX ? Math.Log10(x) : x);
                ys.Add(panel.LogY ? Math.Log10(y) : y);
                xMin = Math.Min(xMin, xs[^1]); xMax = Math.Max(xMax, xs[^1]);
                yMin = Math.Min(yMin, ys[^1]); yMax = Math.Max(yMax, ys[^1]);
            }
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.Color = series.Muted ? Colors.Gray.WithAlpha(0.5) : ColorOf(series.ColorIndex ?? s);
            line.LegendText = series.Muted ? "" : series.Label;
            line.LineWidth = series.MarkersOnly ? 0 : series.Muted ? 1 : 2;
            // A line through one point draws nothing (a one-epoch run): that point gets a marker.
            line.MarkerSize = series.MarkersOnly || xs.Count == 1 ? 9 : 0;
            if (series.Dashed) line.LinePattern = LinePattern.Dashed;
        }
        plot.Title(panel.Title);
        plot.XLabel(panel.XLabel);
        plot.YLabel(panel.YLabel);
        if (double.IsPositiveInfinity(xMin))
        {
            // Nothing finite to draw (every run diverged): say so on a plain unit frame instead of letting the
            // automatic limits and log ticks invent a scale.
            plot.Add.Annotation("No finite values to plot: every series is empty or diverged (see the CSV and the console).", Alignment.MiddleCenter);
            plot.Axes.SetLimits(0, 1, 0, 1);
            return;
        }
        if (panel.LogX) plot.Axes.Bottom.TickGenerator = LogTicks(xMax - xMin);
        if (panel.LogY) plot.Axes.Left.TickGenerator = LogTicks(yMax - yMin);
        // An outside legend with no labelled entry makes ScottPlot render a blank figure, so it needs one label at least.
        if (panel.ShowLegend && panel.Series.Any(series => !series.Muted && !string.IsNullOrEmpty(series.Label)))
        {
            if (panel.LegendInside)
            {
                plot.ShowLegend();
                plot.Legend.Alignment = Alignment.UpperRight;
            }
            else plot.ShowLegend(Edge.Right);
        }
        // Leave room around the data so markers at the extremes are not clipped by the frame.
        plot.Axes.Margins(0.05, 0.1);
        plot.Axes.AutoScale();
    }

    /// <summary>The band of a series, drawn under its line; points where either bound is missing (or not positive on a log axis) are left out.</summary>
    private static void DrawBand(Plot plot, Panel panel, Series series, Color color)
    {
        var xs = new List<double>();
        var lows = new List<double>();
        var highs = new List<double>();
        int count = Math.Min(series.X.Count, Math.Min(series.Lower!.Count, series.Upper!.Count));
        for (int i = 0; i < count; i++)
        {
            double x = series.X[i], lo = series.Lower[i], hi = series.Upper[i];
            if (!double.IsFinite(x) || !double.IsFinite(lo) || !double.IsFinite(hi)) continue;
            if ((panel.LogX && x <= 0) || (panel.LogY && (lo <= 0 || hi <= 0))) continue;
            xs.Add(panel.LogX ? Math.Log10(x) : x);
            lows.Add(panel.LogY ? Math.Log10(lo) : lo);
            highs.Add(panel.LogY ? Math.Log10(hi) : hi);
        }
        if (xs.Count < 2) return;
        var band = plot.Add.FillY(xs.ToArray(), lows.ToArray(), highs.ToArray());
        band.FillColor = color.WithAlpha(0.25);
        band.LineWidth = 0;
    }

    /// <summary>
    /// Ticks for an axis that holds log10 of the data. Over two decades or more, ticks sit on whole powers of ten;
    /// over a narrower span that would leave one label or none, so ticks fall anywhere and show the value itself.
    /// </summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(double decades) => decades >= 2
        ? new()
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"1e{v:0}",
        }
        : new()
        {
            // In the reports' style, 7.94e-5 rather than .NET's 7.94E-05, like the whole decades' 1e-5.
            LabelFormatter = v => Engine.Experiments.Text.ReportFormat.Number(Math.Pow(10, v), "G3"),
        };
}
