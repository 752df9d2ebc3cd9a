using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Experiments.LassoPath;
using Engine.Kernels.Lasso;
using LassoSolutionPath = Engine.Kernels.Lasso.LassoPath;

namespace Engine.Cli.LassoPath;

/// <summary>
/// <c>engine lasso-path --data FILE.csv</c>: the Lasso path of a CSV data set in scikit-learn's conventions,
/// by coordinate descent on a grid or (<c>--exact</c>) by homotopy at its breakpoints.
/// </summary>
public sealed class LassoPathCommand : IEngineCommand
{
    /// <summary>The largest grid: far more alphas than a plot can show, and a path that still ends in seconds.</summary>
    public const int MaxAlphas = 10_000;

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var data = Options.File("--data", "CSV file: one sample per row, features then the target (last column unless --target); a header row is allowed", required: true);
        var target = Options.Text("--target", "Name of the target column in the header row");
        var exact = Options.Flag("--exact", "Exact path by homotopy (LARS with the Lasso modification), one row per breakpoint");
        var positive = Options.Flag("--positive", "Constrain the coefficients to be nonnegative");
        var alphas = Options.Int("--n-alphas", 100, "Number of alphas on the grid", max: MaxAlphas);
        var eps = Options.Double("--eps", 1e-3, "Smallest alpha as a fraction of alpha_max", max: 1);
        var tol = Options.Double("--tol", 1e-4, "Duality-gap tolerance, relative to ||y||^2 (scikit-learn's tol)");
        var command = new Command("lasso-path", "Lasso coefficient path of a CSV data set (scikit-learn conventions): CSV of the path and a PNG of the coefficients against -log10(alpha)");
        common.AddTo(command, CommonOption.Out);
        foreach (var option in new Option[] { data, target, exact, positive, alphas, eps, tol }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, "lasso-path");
            var set = ReadData(parse.GetValue(data)!, parse.GetValue(target));
            ctx.PrepareOutput();
            var problem = LassoProblem.FromRowMajor(set.X, set.Samples, set.Features, set.Y);
            bool isPositive = parse.GetValue(positive);
            var r = LassoPathExperiment.Run(problem, parse.GetValue(exact), isPositive, parse.GetValue(alphas), parse.GetValue(eps), parse.GetValue(tol));
            LassoSolutionPath path = r.Path;
            string stem = r.Exact ? "lasso_path_exact" : "lasso_path";
            Write(ctx, stem, path, set.FeatureNames);
            int last = path.Count - 1;
            ctx.Out.WriteLine($"{(r.Exact ? "exact homotopy" : "coordinate descent")}{(isPositive ? ", positive" : "")}: n = {set.Samples}, p = {set.Features}, "
                + $"{path.Count} {(r.Exact ? "breakpoints" : "alphas")} from {path.Alphas[0]:G4} to {path.Alphas[last]:G4} in {r.Seconds * 1e3:F1} ms; "
                + $"largest duality gap at alpha > 0 {r.LargestGap:E2} (tolerance {r.GapTolerance:E2}); "
                + $"{path.Coefficients[last].Count(v => v != 0)} nonzero coefficients at the end.");
            if (r.EndStationarity is double end)
                ctx.Out.WriteLine($"At alpha = 0, the end of the path, the duality gap is not defined (its cell is empty); least-squares stationarity there: max_j |x_j^T (y - X w)| / n = {end:E2}.");
            if (r.NotConverged > 0)
                ctx.Out.WriteLine($"NOT converged at {r.NotConverged} of {path.Alphas.Count(a => a > 0)} alphas: the duality gap is above the tolerance or not finite there.");
            ctx.Out.WriteLine($"wrote {ctx.PathOf(stem + ".csv")} and {ctx.PathOf(stem + ".png")}");
            return 0;
        });
        return [command];
    }

    /// <summary>Reads a CSV data set; a missing, unreadable or malformed file is bad input (one line, exit code 2).</summary>
    public static RegressionData ReadData(string path, string? target = null)
    {
        if (Directory.Exists(path)) throw new UsageException($"data file '{path}' is a directory, not a file.");
        if (!File.Exists(path)) throw new UsageException($"data file '{path}' does not exist.");
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"cannot read '{path}': {e.Message}"); }
        try { return RegressionCsv.Parse(lines, path, target); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }

    /// <summary>
    /// The path as CSV (alpha, one column per feature, the duality gap) and as a PNG against -log10(alpha). The gap
    /// is not defined at alpha = 0, where an exact path ends, so that last cell is left empty.
    /// </summary>
    public static void Write(RunContext ctx, string stem, LassoSolutionPath path, IReadOnlyList<string> featureNames)
    {
        var columns = new List<IReadOnlyList<double>> { path.Alphas };
        for (int j = 0; j < path.Features; j++) columns.Add(path.Coefficients.Select(w => w[j]).ToArray());
        // Alphas decrease along a path, so alpha = 0 can only be the last row.
        columns.Add(path.Alphas[^1] == 0 ? path.DualityGaps[..^1] : path.DualityGaps);
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
