using System.CommandLine;
using System.Diagnostics;
using Engine.Experiments.Cli;
using Engine.Experiments.Output;
using Engine.Kernels.Lasso;
using LassoSolutionPath = Engine.Kernels.Lasso.LassoPath;

namespace Engine.Experiments.LassoPath;

/// <summary>
/// <c>engine lasso-path --data FILE.csv</c>: the Lasso path of a CSV data set in scikit-learn's conventions,
/// by coordinate descent on a grid or (<c>--exact</c>) by homotopy at its breakpoints.
/// </summary>
public static class LassoPathCommand
{
    /// <summary>The largest grid: far more alphas than a plot can show, and a path that still ends in seconds.</summary>
    public const int MaxAlphas = 10_000;

    public static Command Create(CommonOptions common)
    {
        var data = new Option<string>("--data") { Description = "CSV file: one sample per row, features then the target (last column unless --target); a header row is allowed", Required = true };
        var target = new Option<string?>("--target") { Description = "Name of the target column in the header row" };
        var exact = new Option<bool>("--exact") { Description = "Exact path by homotopy (LARS with the Lasso modification), one row per breakpoint" };
        var positive = new Option<bool>("--positive") { Description = "Constrain the coefficients to be nonnegative" };
        var alphas = Options.Int("--alphas", 100, "Number of alphas on the grid", max: MaxAlphas);
        var eps = Options.Double("--eps", 1e-3, "Smallest alpha as a fraction of alpha_max", max: 1);
        var tol = Options.Double("--tol", 1e-4, "Duality-gap tolerance, relative to ||y||^2 (scikit-learn's tol)");
        var command = new Command("lasso-path", "Lasso coefficient path of a CSV data set (scikit-learn conventions): CSV of the path and a PNG of the coefficients against -log10(alpha)");
        foreach (var option in new Option[] { data, target, exact, positive, alphas, eps, tol }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, "lasso-path");
            var set = RegressionCsv.Read(parse.GetValue(data)!, parse.GetValue(target));
            ctx.PrepareOutput();
            var problem = LassoProblem.FromRowMajor(set.X, set.Samples, set.Features, set.Y);
            bool isPositive = parse.GetValue(positive);
            var clock = Stopwatch.StartNew();
            LassoSolutionPath path;
            double seconds;
            if (parse.GetValue(exact))
            {
                var homotopy = Homotopy.Path(problem, isPositive);
                seconds = clock.Elapsed.TotalSeconds;
                path = homotopy.OnGrid(problem, homotopy.Alphas);
            }
            else
            {
                path = CoordinateDescent.Path(problem, parse.GetValue(alphas), parse.GetValue(eps),
                    new LassoOptions(parse.GetValue(tol), isPositive));
                seconds = clock.Elapsed.TotalSeconds;
            }
            string stem = parse.GetValue(exact) ? "lasso_path_exact" : "lasso_path";
            Write(ctx, stem, path, set.FeatureNames);
            int last = path.Count - 1;
            double gapTolerance = parse.GetValue(tol) * problem.YNormSquared;
            var (largestGap, notConverged) = Convergence(path, gapTolerance);
            ctx.Out.WriteLine($"{(parse.GetValue(exact) ? "exact homotopy" : "coordinate descent")}{(isPositive ? ", positive" : "")}: n = {set.Samples}, p = {set.Features}, "
                + $"{path.Count} {(parse.GetValue(exact) ? "breakpoints" : "alphas")} from {path.Alphas[0]:G4} to {path.Alphas[last]:G4} in {seconds * 1e3:F1} ms; "
                + $"largest duality gap at alpha > 0 {largestGap:E2} (tolerance {gapTolerance:E2}); "
                + $"{path.Coefficients[last].Count(v => v != 0)} nonzero coefficients at the end.");
            if (notConverged > 0)
                ctx.Out.WriteLine($"NOT converged at {notConverged} of {path.Alphas.Count(a => a > 0)} alphas: the duality gap is above the tolerance or not finite there.");
            ctx.Out.WriteLine($"wrote {ctx.PathOf(stem + ".csv")} and {ctx.PathOf(stem + ".png")}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The largest duality gap over the alphas above zero (NaN if any is not finite) and how many of those alphas
    /// have a gap above <paramref name="tolerance"/> or not finite. Only alpha = 0, the end of an exact path, is
    /// left out: its gap is not defined.
    /// </summary>
    public static (double LargestGap, int NotConverged) Convergence(LassoSolutionPath path, double tolerance)
    {
        double largest = 0;
        int notConverged = 0;
        for (int k = 0; k < path.Count; k++)
        {
            if (path.Alphas[k] == 0) continue;
            double gap = path.DualityGaps[k];
            if (!double.IsFinite(gap)) largest = double.NaN;
            else if (!double.IsNaN(largest)) largest = Math.Max(largest, gap);
            if (!(gap <= tolerance)) notConverged++;
        }
        return (largest, notConverged);
    }

    /// <summary>The path as CSV (alpha, then one column per feature) and as a PNG against -log10(alpha).</summary>
    public static void Write(RunContext ctx, string stem, LassoSolutionPath path, IReadOnlyList<string> featureNames)
    {
        var columns = new List<IReadOnlyList<double>> { path.Alphas };
        for (int j = 0; j < path.Features; j++) columns.Add(path.Coefficients.Select(w => w[j]).ToArray());
        columns.Add(path.DualityGaps);
        Csv.WriteColumns(ctx.PathOf(stem + ".csv"), ["alpha", .. featureNames, "duality_gap"], columns);
        LinePlot.Save(ctx.PathOf(stem + ".png"), CoefficientPanel($"Lasso path{(path.Positive ? " (positive)" : "")}", path, featureNames));
    }

    /// <summary>One line per coefficient against -log10(alpha); coordinate j has palette color j.</summary>
    public static Panel CoefficientPanel(string title, LassoSolutionPath path, IReadOnlyList<string> featureNames)
    {
        // alpha = 0 (the end of an exact path) has no logarithm; it is drawn one decade past the last positive alpha.
        double smallest = path.Alphas.Where(a => a > 0).DefaultIfEmpty(1).Min();
        var xs = path.Alphas.Select(a => -Math.Log10(a > 0 ? a : smallest / 10)).ToArray();
        var series = Enumerable.Range(0, path.Features)
            .Select(j => new Series(featureNames[j], xs, path.Coefficients.Select(w => w[j]).ToArray())).ToArray();
        return new Panel(title, "-log10(alpha)", "coefficient", series, ShowLegend: path.Features <= 20);
    }
}
