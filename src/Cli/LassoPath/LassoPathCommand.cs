using System.CommandLine;
using System.Globalization;
using Engine.Experiments.Text;
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

    /// <summary>The most folds of a cross-validation: far beyond any sensible K, and leave-one-out on small sets.</summary>
    public const int MaxFolds = 10_000;

    /// <summary>
    /// The smallest --tol: the gap is formed from sums of order ||y||^2 whose rounding alone is a few 1e-16 of it, so
    /// a smaller relative tolerance could never be met.
    /// </summary>
    public const double MinTolerance = 1e-15;

    /// <summary>The largest --tol: at 1 the zero model already meets it at every alpha, so anything larger means nothing more.</summary>
    public const double MaxTolerance = 1;

    /// <summary>The help line of --tol, shared with lasso-bench.</summary>
    public const string ToleranceHelp = "Duality-gap tolerance, relative to ||y||^2 (scikit-learn's tol); the smallest accepted is the gap's own rounding";

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var data = Options.File("--data", "CSV file: one sample per row, features then the target (last column unless --target); a header row is allowed", required: true);
        var target = Options.Text("--target", "Name of the target column in the header row");
        var exact = Options.Flag("--exact", "Exact path by homotopy (LARS with the Lasso modification), one row per breakpoint; takes none of the grid, preprocessing, elastic-net or cross-validation options");
        var positive = Options.Flag("--positive", "Constrain the coefficients to be nonnegative");
        var alphas = Options.Int("--n-alphas", 100, "Number of alphas on the grid", max: MaxAlphas);
        var eps = Options.Double("--eps", 1e-3, "Smallest alpha as a fraction of alpha_max", max: 1);
        var tol = Options.Double("--tol", 1e-4, ToleranceHelp, min: MinTolerance, minExclusive: false, max: MaxTolerance);
        var intercept = Options.Flag("--intercept", "Fit an intercept (center X and y; the intercept is reported on the original scale)");
        var standardize = Options.Flag("--standardize", "Scale every feature to unit standard deviation before fitting, as glmnet does; coefficients are reported on the original scale");
        var weights = Options.Text("--weights", "Name of the header column that holds per-sample weights (taken out of the features)");
        var l1Ratio = Options.Double("--l1-ratio", 1, "Elastic-net mixing in (0, 1], scikit-learn's l1_ratio: alpha·l1·||w||_1 + alpha·(1 - l1)/2·||w||^2; 1 is the Lasso", max: 1);
        var precompute = Options.Text("--precompute", "Solver: auto (the Gram matrix when n >= p and p is small enough), gram (covariance updates) or residual");
        var cv = Options.Int("--cv", 0, "K-fold cross-validation (folds drawn from --seed): writes the curve with standard errors, alpha_min and alpha_1se; 0 for none", min: 0, max: MaxFolds);
        var command = new Command("lasso-path", "Lasso or elastic-net path of a CSV data set (scikit-learn conventions): CSV of the path and a PNG of the coefficients against -log10(alpha); K-fold cross-validation with --cv");
        common.AddTo(command, CommonOption.Out | CommonOption.Seed | CommonOption.Threads);
        foreach (var option in new Option[] { data, target, exact, positive, alphas, eps, tol, intercept, standardize, weights, l1Ratio, precompute, cv }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            // Options that cannot combine are refused before the data file is read, so that the line names the conflict
            // and not some property of the data.
            OptionConflicts.Refuse(parse, exact, "computes the plain Lasso path at its breakpoints (no grid, preprocessing, elastic net or cross-validation)",
                alphas, eps, intercept, standardize, weights, l1Ratio, precompute, cv);
            // The homotopy is exact at every breakpoint; a tolerance would only move the line its gaps are checked against.
            OptionConflicts.Refuse(parse, exact, "solves every breakpoint exactly and has no stopping tolerance (its gaps are checked against the default 1e-4 of ||y||^2)", tol);
            LassoPrecompute solver = Solver(parse.GetValue(precompute));
            int folds = parse.GetValue(cv);
            if (folds == 1) throw new UsageException("--cv needs at least 2 folds (0 turns cross-validation off).");
            // The path itself draws nothing at random: a seed without folds to draw would look used and change nothing.
            if (folds == 0 && OptionConflicts.Given(parse, common.Seed))
                throw new UsageException("--seed only draws the cross-validation folds, so it needs --cv K (K >= 2).");
            RunContext ctx = common.Read(parse, "lasso-path");
            string file = parse.GetValue(data)!;
            var set = ReadData(file, parse.GetValue(target));
            double[]? sampleWeights = null;
            if (parse.GetValue(weights) is string column)
            {
                try { (set, sampleWeights) = set.WithoutWeightColumn(column, file); }
                catch (FormatException e) { throw new UsageException(e.Message); }
            }
            var preprocessing = new LassoPreprocessing(parse.GetValue(intercept), parse.GetValue(standardize), sampleWeights);
            bool isExact = parse.GetValue(exact), isPositive = parse.GetValue(positive);
            var options = new LassoOptions(parse.GetValue(tol), isPositive, L1Ratio: parse.GetValue(l1Ratio),
                Precompute: solver, MaxThreads: ctx.Threads);
            if (folds > set.Samples) throw new UsageException($"--cv {folds}: more folds than the {set.Samples} samples.");
            ctx.PrepareOutput();
            LassoProblem problem;
            try { problem = LassoProblem.FromRowMajor(set.X, set.Samples, set.Features, set.Y, preprocessing); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (!isExact && problem.AlphaMax == 0) throw new UsageException(LassoProblem.ZeroModelSentence);
            var r = LassoPathExperiment.Run(problem, isExact, parse.GetValue(alphas), parse.GetValue(eps), options);
            LassoSolutionPath path = r.Path;
            string stem = r.Exact ? "lasso_path_exact" : "lasso_path";
            Write(ctx, stem, path, set.FeatureNames, preprocessing.FitIntercept);
            int last = path.Count - 1;
            string model = options.L1Ratio < 1 ? $"elastic net (l1_ratio {options.L1Ratio:G4})" : "Lasso";
            ctx.Out.WriteLine($"{(r.Exact ? "exact homotopy" : "coordinate descent")}, {model}{(isPositive ? ", positive" : "")}{Describe(preprocessing)}: n = {set.Samples}, p = {set.Features}, "
                + $"{CountText.Of(path.Count, r.Exact ? "breakpoint" : "alpha")} from {path.Alphas[0]:G4} to {path.Alphas[last]:G4} in {r.Seconds * 1e3:F1} ms; "
                + $"largest duality gap at alpha > 0 {r.LargestGap:0.00e+0} (tolerance {r.GapTolerance:0.00e+0}); "
                + $"{path.Coefficients[last].Count(v => v != 0)} nonzero coefficients at the end.");
            if (r.EndStationarity is double end)
                ctx.Out.WriteLine($"At alpha = 0, the end of the path, the duality gap is not defined (its cell is empty); least-squares stationarity there: max_j |x_j^T (y - X w)| / n = {end:0.00e+0}.");
            if (r.NotConverged > 0)
                ctx.Out.WriteLine($"NOT converged at {r.NotConverged} of {CountText.Of(path.Alphas.Count(a => a > 0), "alpha")}: the duality gap is above the tolerance or not finite there.");
            ctx.Out.WriteLine($"wrote {ctx.PathOf(stem + ".csv")} and {ctx.PathOf(stem + ".png")}");
            if (folds > 0)
            {
                LassoCrossValidationResult result;
                try
                {
                    result = LassoCrossValidation.Run(set.X, set.Samples, set.Features, set.Y, preprocessing, options,
                        new LassoCrossValidationOptions(folds, ctx.Seed, Alphas: path.Alphas));
                }
                catch (ArgumentException e) { throw new UsageException(e.Message); }
                WriteCrossValidation(ctx, result, set.FeatureNames);
                ctx.Out.WriteLine(CrossValidationSummary(result));
                ctx.Out.WriteLine($"wrote {ctx.PathOf("lasso_cv.csv")}, {ctx.PathOf("lasso_cv.png")}, {ctx.PathOf("lasso_cv_models.csv")} and {ctx.PathOf("lasso_cv_folds.csv")}");
            }
            return 0;
        });
        return [command];
    }

    private static LassoPrecompute Solver(string? name) => name switch
    {
        null or "auto" => LassoPrecompute.Auto,
        "gram" => LassoPrecompute.Gram,
        "residual" => LassoPrecompute.Residual,
        _ => throw new UsageException($"--precompute: expected auto, gram or residual, got '{name}'."),
    };

    private static string Describe(LassoPreprocessing p) =>
        (p.FitIntercept ? ", intercept" : "") + (p.Standardize ? ", standardized" : "") + (p.SampleWeights is null ? "" : ", weighted");

    /// <summary>
    /// cv.glmnet's two choices with their errors and the size of their models; where the least error is at the smallest
    /// alpha of the grid, a second sentence says the minimum may lie below the grid.
    /// </summary>
    public static string CrossValidationSummary(LassoCrossValidationResult r) =>
        ReportFormat.Invariant($"{r.Folds}-fold cross-validation: alpha_min = {r.AlphaMin:G6} (mean held-out MSE {r.MeanError[r.IndexMin]:G6} ± {r.StandardError[r.IndexMin]:G3}, {r.Path.Coefficients[r.IndexMin].Count(v => v != 0)} nonzero); ")
        + ReportFormat.Invariant($"alpha_1se = {r.Alpha1Se:G6} (MSE {r.MeanError[r.Index1Se]:G6}, {r.Path.Coefficients[r.Index1Se].Count(v => v != 0)} nonzero), the largest alpha within one standard error of the least error.")
        + (r.IndexMin == r.Alphas.Length - 1
            ? " alpha_min is the smallest alpha of the grid, so the held-out error may fall further below it: a smaller --eps extends the grid."
            : "");

    /// <summary>
    /// The cross-validation curve (alpha, mean error, standard error, each fold's error) as CSV and PNG, the two
    /// chosen models (intercept and coefficients on the original scale), and the fold of every sample (its data row,
    /// counted from 1 below the header, and its fold, numbered as the curve's fold columns), so another solver can
    /// refit the same folds (cv.glmnet's <c>foldid</c>).
    /// </summary>
    public static void WriteCrossValidation(RunContext ctx, LassoCrossValidationResult r, IReadOnlyList<string> featureNames)
    {
        var columns = new List<IReadOnlyList<double>> { r.Alphas, r.MeanError, r.StandardError };
        columns.AddRange(r.FoldErrors);
        Csv.WriteColumns(ctx.PathOf("lasso_cv.csv"), ["alpha", "mean_error", "standard_error", .. Enumerable.Range(1, r.Folds).Select(f => $"fold{f}_error")], columns);
        var xs = r.Alphas.Select(a => -Math.Log10(a)).ToArray();
        var lower = r.MeanError.Zip(r.StandardError, (m, s) => m - s).ToArray();
        var upper = r.MeanError.Zip(r.StandardError, (m, s) => m + s).ToArray();
        double top = upper.Max(), bottom = lower.Min();
        LinePlot.Save(ctx.PathOf("lasso_cv.png"), new Panel($"{r.Folds}-fold cross-validation", "-log10(alpha)", "held-out mean squared error",
        [
            new Series("mean", xs, r.MeanError),
            new Series("mean ± standard error", xs, upper, Dashed: true, ColorIndex: 1),
            new Series("", xs, lower, Dashed: true, ColorIndex: 1),
            new Series("alpha_min", [xs[r.IndexMin], xs[r.IndexMin]], [bottom, top], Dashed: true, ColorIndex: 2),
            new Series("alpha_1se", [xs[r.Index1Se], xs[r.Index1Se]], [bottom, top], Dashed: true, ColorIndex: 3),
        ]));
        var models = new[] { ("alpha_min", r.IndexMin), ("alpha_1se", r.Index1Se) };
        Csv.WriteRows(ctx.PathOf("lasso_cv_models.csv"), ["choice", "alpha", "intercept", .. featureNames],
            models.Select(m => (IReadOnlyList<string>)[m.Item1, Csv.Number(r.Alphas[m.Item2]), Csv.Number(r.Path.Intercepts[m.Item2]),
                .. r.Path.Coefficients[m.Item2].Select(Csv.Number)]));
        Csv.WriteRows(ctx.PathOf("lasso_cv_folds.csv"), ["row", "fold"],
            r.FoldOf.Select((fold, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture), (fold + 1).ToString(CultureInfo.InvariantCulture)]));
    }

    /// <summary>Reads a CSV data set; a missing, unreadable or malformed file is bad input (one line, exit code 2).</summary>
    public static RegressionData ReadData(string path, string? target = null)
    {
        if (Directory.Exists(path)) throw new UsageException($"data file '{path}' is a directory, not a file.");
        if (!File.Exists(path)) throw new UsageException($"data file '{path}' does not exist.");
        string[] lines;
        try
        {
            // A device such as /dev/zero reports length 0 yet never ends: reading it whole would never return.
            if (new FileInfo(path).Length == 0)
            {
                using FileStream probe = File.OpenRead(path);
                if (probe.ReadByte() >= 0) throw new UsageException($"data file '{path}' is not a regular file (it reports no length but has data: a device?).");
            }
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"cannot read '{path}': {ReadFailure.Reason(e)}."); }
        try { return RegressionCsv.Parse(lines, path, target); }
        catch (FormatException e) { throw new UsageException(e.Message); }
    }

    /// <summary>
    /// The path as CSV (alpha, one column per feature, the duality gap) and as a PNG against -log10(alpha). The gap
    /// is not defined at alpha = 0, where an exact path ends, so that last cell is left empty.
    /// </summary>
    public static void Write(RunContext ctx, string stem, LassoSolutionPath path, IReadOnlyList<string> featureNames, bool intercept = false)
    {
        var columns = new List<IReadOnlyList<double>> { path.Alphas };
        if (intercept) columns.Add(path.Intercepts);
        for (int j = 0; j < path.Features; j++) columns.Add(path.Coefficients.Select(w => w[j]).ToArray());
        // Alphas decrease along a path, so alpha = 0 can only be the last row.
        columns.Add(path.Alphas[^1] == 0 ? path.DualityGaps[..^1] : path.DualityGaps);
        Csv.WriteColumns(ctx.PathOf(stem + ".csv"), ["alpha", .. (intercept ? new[] { "intercept" } : []), .. featureNames, "duality_gap"], columns);
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
