using Engine.Experiments.Output;
using ScottPlot;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>One curve of the distance figure: its label, color index, dash, and points (x = 1 / alpha, y = distance).</summary>
public sealed record DistanceCurve(string Label, int Color, bool Dashed, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// The log-log figure of the experiment, one panel per regime. It differs from <see cref="LinePlot"/> in two ways the
/// data need: the legend sits below the axes, because every corner of these panels holds data, and a color stands
/// for a step size, solid for the distance to X_nuc and dashed for the distance to Y.
/// </summary>
public static class DistanceFigure
{
    public static void Save(string path, IReadOnlyList<(string Title, IReadOnlyList<DistanceCurve> Curves)> panels,
        int panelWidth = 760, int panelHeight = 620)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(1, panels.Count);
        for (int p = 0; p < panels.Count; p++)
        {
            Plot plot = multiplot.GetPlot(p);
            foreach (DistanceCurve curve in panels[p].Curves)
            {
                var xs = new List<double>();
                var ys = new List<double>();
                for (int i = 0; i < Math.Min(curve.X.Count, curve.Y.Count); i++)
                {
                    double x = curve.X[i], y = curve.Y[i];
                    if (!(x > 0) || !(y > 0) || !double.IsFinite(x) || !double.IsFinite(y)) continue;
                    xs.Add(Math.Log10(x));
                    ys.Add(Math.Log10(y));
                }
                var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
                line.Color = LinePlot.ColorOf(curve.Color);
                line.LineWidth = 2;
                line.LegendText = curve.Label;
                if (curve.Dashed) line.LinePattern = LinePattern.Dashed;
            }
            plot.Title(panels[p].Title);
            plot.XLabel("1 / alpha (smaller initialization to the right)");
            plot.YLabel("||X_GD - X||_F / ||X||_F");
            plot.Axes.Bottom.TickGenerator = LogTicks();
            plot.Axes.Left.TickGenerator = LogTicks();
            plot.ShowLegend(Edge.Bottom);
        }
        byte[] png = multiplot.Render(panelWidth * panels.Count, panelHeight).GetImageBytes(ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => $"1e{v:0}",
    };
}
