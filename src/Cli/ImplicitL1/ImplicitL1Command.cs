using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Factorized;
using Engine.Kernels.Lasso;

namespace Engine.Cli.ImplicitL1;

/// <summary><c>engine implicit-l1</c>: homework 3, problem 2(e), with its figure, CSVs and verdict, and its section of the report.</summary>
public sealed class ImplicitL1Command : IReportedCommand
{
    // Bounds that keep a run within memory and minutes: the exact Lasso paths cost O(m n^2) per breakpoint, and
    // every recorded iterate is kept for the figure.
    public const int MaxRows = 2_000, MaxCols = 4_000, MaxSteps = 100_000_000, MaxTrials = 1_000;
    public const long MaxRecordedValues = 50_000_000;

    /// <summary>The largest --init-scale: far above any that converges, small enough that x0 and its gradient stay finite.</summary>
    public const double MaxInitScale = 1e3;

    public string Folder => "implicit-l1";

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var rows = Options.Int("--rows", 20, "n, rows of A", max: MaxRows);
        var cols = Options.Int("--cols", 40, "m, columns of A (coordinates of x); must exceed --rows", min: 2, max: MaxCols);
        var sparsity = Options.Int("--sparsity", 10, "Nonzeros of x*");
        var steps = Options.Int("--steps", 300_000, "Gradient-descent steps", max: MaxSteps);
        var lr = Options.Double("--lr", 1e-3, "Step size eta");
        var init = Options.Double("--init-scale", 1e-3, "x0 = init-scale * 1", max: MaxInitScale);
        var recordEvery = Options.Int("--record-every", 10, "Record the iterate every this many steps");
        var match = Options.Double("--match-tol", 1e-2, "Two solutions count as the same point when their largest difference is at most this fraction of the largest coefficient");
        var trials = Options.Int("--trials", 1, "Independent instances (seeds split from --seed); the figure shows the first", max: MaxTrials);
        var timeKernels = Options.Flag("--time-kernels", "Also time every gradient-descent kernel variant: the best of many 1,000-step chunks, scaled to --steps (steadier than one run on a shared machine)");
        var command = new Command("implicit-l1", "HW3 2(e): gradient descent on 1/2||A(x⊙x) - y||^2 from a small start against the Lasso path and the minimum-l1 solution");
        foreach (var o in new Option[] { rows, cols, sparsity, steps, lr, init, recordEvery, match, trials, timeKernels }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var settings = new ImplicitL1Settings(parse.GetValue(rows), parse.GetValue(cols), parse.GetValue(sparsity), parse.GetValue(steps),
                parse.GetValue(lr), parse.GetValue(init), parse.GetValue(recordEvery), parse.GetValue(match));
            if (settings.Sparsity > settings.Cols) throw new UsageException($"--sparsity ({settings.Sparsity}) cannot exceed --cols ({settings.Cols}).");
            if (settings.Rows >= settings.Cols) throw new UsageException($"--rows ({settings.Rows}) must be smaller than --cols ({settings.Cols}) for an under-determined problem.");
            long recorded = ((long)settings.Steps + settings.RecordEvery - 1) / settings.RecordEvery + 1;
            if (recorded * settings.Cols * parse.GetValue(trials) > MaxRecordedValues)
                throw new UsageException($"--steps / --record-every x --cols x --trials asks to record {recorded * settings.Cols * parse.GetValue(trials):N0} values, more than {MaxRecordedValues:N0}: raise --record-every.");
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            var results = ImplicitL1Experiment.RunTrials(ctx.Experiment, settings, parse.GetValue(trials));
            Write(ctx, results[0]);
            ctx.Out.Write(Summary(results[0]));
            if (results.Length > 1) ctx.Out.Write(TrialsSummary(ctx, results));
            if (parse.GetValue(timeKernels)) ctx.Out.Write(ImplicitL1Experiment.KernelTimes(results[0]));
            return 0;
        });
        return [command];
    }

    /// <summary>The figures and CSVs of one run.</summary>
    public static void Write(RunContext ctx, ImplicitL1Result r)
    {
        var s = r.Settings;
        int m = s.Cols;
        string[] names = Enumerable.Range(1, m).Select(j => $"x{j}").ToArray();
        WritePathCsv(ctx.PathOf("implicit_l1_lasso_path.csv"), r.Signed, r.Problem.Rows, names);
        WritePathCsv(ctx.PathOf("implicit_l1_lasso_path_positive.csv"), r.Positive, r.Problem.Rows, names);

        // A diverged run's path ends at its last finite iterate; the divergence is named in the comparison and the verdict.
        int rows = r.FiniteRecordedRows;
        var iterations = Enumerable.Range(0, rows).Select(k => (double)FactorizedLeastSquaresDescent.RecordedStep(k, s.Steps, s.RecordEvery)).ToArray();
        var effective = new double[m][];
        for (int j = 0; j < m; j++)
        {
            effective[j] = new double[rows];
            for (int k = 0; k < rows; k++) { double v = r.Record[k * m + j]; effective[j][k] = v * v; }
        }
        Csv.WriteColumns(ctx.PathOf("implicit_l1_gd_path.csv"), ["iteration", .. names.Select(n => n + "_squared")], [iterations, .. effective]);

        // Coordinate j is series j in every panel, so it has palette color j everywhere; 40 legend entries would
        // hide the curves, so labels are kept only for small problems. Each figure's CSV holds the points it plots.
        string Label(int j) => m <= 20 ? names[j] : "";
        int[] shown = ShownRows(rows, s.Steps, s.RecordEvery);
        double[] shownIterations = shown.Select(k => iterations[k]).ToArray();
        double[][] shownEffective = effective.Select(e => shown.Select(k => e[k]).ToArray()).ToArray();
        var gdPanel = new Panel($"Gradient descent on 1/2||A(x⊙x) - y||^2 (x0 = {s.Init:G3}·1, eta = {s.LearningRate:G3})",
            "iteration (log scale)", "x_i^(k) squared (effective regressor)",
            Enumerable.Range(0, m).Select(j => new Series(Label(j), shownIterations, shownEffective[j])).ToArray(), LogX: true);
        foreach (var (stem, title, path) in new[] { ("implicit_l1_paths", "Lasso path (signed)", r.Signed), ("implicit_l1_paths_positive", "Lasso path (nonnegative)", r.Positive) })
        {
            var (lambdas, coefficients) = LassoCurve(path, r.Problem.Rows);
            var lassoPanel = new Panel(title, "-log10(lambda)", "coefficient x_i(lambda)",
                Enumerable.Range(0, m).Select(j => new Series(Label(j), lambdas, coefficients[j])).ToArray());
            LinePlot.SaveGrid(ctx.PathOf(stem + ".png"), [lassoPanel, gdPanel], columns: 2);
            var figureRows = Enumerable.Range(0, lambdas.Length)
                .Select(k => (IReadOnlyList<string>)["lasso", Csv.Number(lambdas[k]), .. coefficients.Select(c => Csv.Number(c[k]))])
                .Concat(Enumerable.Range(0, shown.Length)
                    .Select(k => (IReadOnlyList<string>)["gradient_descent", Csv.Number(shownIterations[k]), .. shownEffective.Select(e => Csv.Number(e[k]))]));
            Csv.WriteRows(ctx.PathOf(stem + ".csv"), ["panel", "x", .. names], figureRows);
        }

        // When gradient descent diverged it has no limit: its row says so, and every cell that needs the limit is empty.
        string Known(double v, bool needsLimit) => needsLimit && r.Diverged ? "" : Csv.Number(v);
        Csv.WriteRows(ctx.PathOf("implicit_l1_comparison.csv"), ["solution", "l1_norm", "max_abs_difference_to_gd_limit", "residual_norm"],
            new[] { r.Gd, r.MinL1Signed, r.MinL1Positive, r.XStar }.Select(c => (IReadOnlyList<string>)
            [
                ReferenceEquals(c, r.Gd) && r.Diverged ? $"{c.Name} (diverged: {Window(r)})" : c.Name,
                Known(c.L1Norm, ReferenceEquals(c, r.Gd)), Known(c.MaxAbsDifferenceToGd, true), Known(c.Residual, ReferenceEquals(c, r.Gd)),
            ]));
    }

    // The exact path in the homework's scaling, lambda = n * alpha, sampled densely on a log grid and at every
    // breakpoint down to 1e-4 of its start, where the path has flattened onto its end (lambda = 0 has no logarithm).
    // Returns -log10(lambda) at each sample and, per coordinate, its coefficient there.
    private static (double[] X, double[][] Coefficients) LassoCurve(HomotopyPath path, int n)
    {
        double top = path.Alphas[0];
        double bottom = Math.Max(path.Alphas.Where(a => a > 0).DefaultIfEmpty(top).Min() / 10, top * 1e-4);
        var alphas = Enumerable.Range(0, 400).Select(k => top * Math.Pow(bottom / top, k / 399.0))
            .Concat(path.Alphas.Where(a => a >= bottom)).Distinct().OrderByDescending(a => a).ToArray();
        var xs = alphas.Select(a => -Math.Log10(n * a)).ToArray();
        var points = alphas.Select(path.At).ToArray();
        int m = path.Coefficients[0].Length;
        return (xs, Enumerable.Range(0, m).Select(j => points.Select(w => w[j]).ToArray()).ToArray());
    }

    /// <summary>
    /// The recorded rows the figure plots against a log axis: the first row at or after each of 600 iterations spaced
    /// evenly in log scale, and the last. On that axis they draw the same curves as every row, and the figure's CSV
    /// stays small (the CSV of every row is implicit_l1_gd_path.csv).
    /// </summary>
    public static int[] ShownRows(int rows, int steps, int recordEvery)
    {
        if (rows <= 1) return Enumerable.Range(0, rows).ToArray();
        const int targets = 600;
        var shown = new SortedSet<int> { rows - 1 };
        for (int t = 0; t < targets; t++)
        {
            double iteration = Math.Pow(Math.Max(steps, 1), t / (targets - 1.0));
            shown.Add((int)Math.Min(rows - 1, Math.Ceiling(iteration / recordEvery)));
        }
        return [.. shown];
    }

    private static void WritePathCsv(string path, HomotopyPath p, int n, string[] names)
    {
        var columns = new List<IReadOnlyList<double>> { p.Alphas.Select(a => n * a).ToArray() };
        for (int j = 0; j < names.Length; j++) columns.Add(p.Coefficients.Select(w => w[j]).ToArray());
        Csv.WriteColumns(path, ["lambda", .. names], columns);
    }

    /// <summary>The console summary of one run: the instance, every solution against the GD limit, the entry orders and the verdict.</summary>
    public static string Summary(ImplicitL1Result r)
    {
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine(I($"A: {s.Rows} x {s.Cols} Gaussian, unit-norm columns; x*: {s.Sparsity} nonzeros; gradient descent: {r.StepsDone} of {s.Steps} steps, eta = {s.LearningRate:G3}, x0 = {s.Init:G3}·1, in {r.GdMilliseconds:F1} ms ({r.Variant} kernel)"));
        text.AppendLine(I($"Lasso paths (exact homotopy): signed {r.Signed.Breakpoints} breakpoints, nonnegative {r.Positive.Breakpoints}"));
        text.AppendLine(I($"{"solution",-42} {"l1 norm",12} {"max|w - GD|",12} {"||Aw - y||",12}"));
        foreach (var c in new[] { r.Gd, r.MinL1Signed, r.MinL1Positive, r.XStar })
            text.AppendLine(I($"{c.Name,-42} {c.L1Norm,12:G6} {c.MaxAbsDifferenceToGd,12:E2} {c.Residual,12:E2}"));
        text.AppendLine(I($"order in which coordinates first exceed {r.EntryThreshold:E1}: gradient descent {ImplicitL1Conclusion.Names(r.EntryOrderGd)}; nonnegative Lasso path {ImplicitL1Conclusion.Names(r.EntryOrderLasso)}"));
        text.AppendLine(ImplicitL1Conclusion.Verdict(r));
        return text.ToString();
    }

    /// <summary>Writes the per-trial CSV and returns the trials sentence with the CSV's path.</summary>
    public static string TrialsSummary(RunContext ctx, ImplicitL1Result[] results)
    {
        Csv.WriteRows(ctx.PathOf("implicit_l1_trials.csv"),
            ["trial", "gd_vs_min_l1_nonnegative", "gd_vs_min_l1_signed", "gd_vs_x_star", "matches_nonnegative", "matches_signed", "gd_ms", "gd_outcome"],
            results.Select((r, t) => (IReadOnlyList<string>)[t.ToString(CultureInfo.InvariantCulture), Csv.Number(r.MinL1Positive.MaxAbsDifferenceToGd),
                Csv.Number(r.MinL1Signed.MaxAbsDifferenceToGd), Csv.Number(r.XStar.MaxAbsDifferenceToGd),
                r.Matches(r.MinL1Positive) ? "1" : "0", r.Matches(r.MinL1Signed) ? "1" : "0", Csv.Number(r.GdMilliseconds),
                r.Diverged ? $"diverged {Window(r)}" : "finished"]), divergedColumn: "gd_outcome");
        return ImplicitL1Conclusion.Trials(results) + $"Per trial: {ctx.PathOf("implicit_l1_trials.csv")}\n";
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where a diverged run stopped, e.g. "at a step from 1 to 10".</summary>
    private static string Window(ImplicitL1Result r) => r.DivergenceWindow is var (first, last) ? I($"at a step from {first} to {last}") : "";

    /// <summary>The homework's question on 8 instances, then 10 times the steps; under --quick, 2 instances and a tenth of the steps.</summary>
    public ReportSection Report(RunContext ctx)
    {
        var settings = ctx.Quick ? new ImplicitL1Settings(Steps: 30_000) : new ImplicitL1Settings();
        var results = ImplicitL1Experiment.RunTrials(ctx.Experiment, settings, ctx.Quick ? 2 : 8);
        var r = results[0];
        Write(ctx, r);
        string trials = TrialsSummary(ctx, results);
        if (!ctx.Quiet) ctx.Out.Write(Summary(r) + trials);
        var md = new StringBuilder();
        md.AppendLine(I($"**Question (HW3 2(e)).** Gradient descent on the factorized least squares 1/2||A(x⊙x) - y||^2 (A {settings.Rows} x {settings.Cols} Gaussian with unit-norm columns, ")
            + I($"x* {settings.Sparsity}-sparse and nonnegative, y = Ax*) from x0 = {settings.Init:0.###e0}·1 with eta = {settings.LearningRate:0.###e0} for {settings.Steps:N0} steps: how does its path compare with the Lasso path, and do both end at the same point, the minimum-l1-norm solution?"));
        md.AppendLine();
        md.AppendLine("![paths](implicit-l1/implicit_l1_paths.png)");
        md.AppendLine();
        md.AppendLine("Left: the exact Lasso path (homotopy) against -log10(lambda); right: the coordinates of x⊙x along gradient descent, same color per coordinate. "
            + "The nonnegative Lasso path is in `implicit-l1/implicit_l1_paths_positive.png`; data in `implicit-l1/implicit_l1_lasso_path*.csv`, `implicit-l1/implicit_l1_gd_path.csv`, `implicit-l1/implicit_l1_comparison.csv`, and the points each figure plots in the CSV of its name.");
        md.AppendLine();
        md.AppendLine("```");
        md.Append(Summary(r));
        md.AppendLine("```");
        md.AppendLine();
        var longerTrials = ImplicitL1Experiment.RunTrials(ctx.Experiment.Silent(), settings with { Steps = 10 * settings.Steps }, results.Length);
        md.AppendLine($"**Answer.** {ImplicitL1Conclusion.Verdict(r)} {ImplicitL1Conclusion.OrderSentence(r)}");
        md.AppendLine();
        md.AppendLine(ImplicitL1Conclusion.LongerRun(longerTrials[0]));
        md.AppendLine();
        md.AppendLine(ImplicitL1Conclusion.LongerTrials(longerTrials));
        md.AppendLine();
        md.AppendLine($"Over {results.Length} independent instances (seeds split from the run's seed): {trials.Replace(ctx.PathOf("implicit_l1_trials.csv"), "`implicit-l1/implicit_l1_trials.csv`").TrimEnd()}");
        return new ReportSection("Implicit l1 regularization of factorized gradient descent (HW3 2(e))", md.ToString());
    }
}
