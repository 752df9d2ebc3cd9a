using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Experiments.Cli;
using Engine.Experiments.Output;
using Engine.Experiments.Report;
using Engine.Kernels.Lasso;

namespace Engine.Experiments.ImplicitL1;

/// <summary><c>engine implicit-l1</c>: homework 3, problem 2(e), with its figure, CSVs and verdict.</summary>
public static class ImplicitL1Command
{
    // Bounds that keep a run within memory and minutes: the exact Lasso paths cost O(m n^2) per breakpoint, and
    // every recorded iterate is kept for the figure.
    public const int MaxRows = 2_000, MaxCols = 4_000, MaxSteps = 100_000_000, MaxTrials = 1_000;
    public const long MaxRecordedValues = 50_000_000;

    public static Command Create(CommonOptions common)
    {
        var rows = Options.Int("--rows", 20, "n, rows of A", max: MaxRows);
        var cols = Options.Int("--cols", 40, "m, columns of A (coordinates of x); must exceed --rows", min: 2, max: MaxCols);
        var sparsity = Options.Int("--sparsity", 10, "Nonzeros of x*");
        var steps = Options.Int("--steps", 300_000, "Gradient-descent steps", max: MaxSteps);
        var lr = Options.Double("--lr", 1e-3, "Step size eta");
        var init = Options.Double("--init", 1e-3, "x0 = init * 1");
        var recordEvery = Options.Int("--record-every", 10, "Record the iterate every this many steps");
        var match = Options.Double("--match-tolerance", 1e-2, "Two solutions count as the same point when their largest difference is at most this fraction of the largest coefficient");
        var trials = Options.Int("--trials", 1, "Independent instances (seeds split from --seed); the figure shows the first", max: MaxTrials);
        var timeKernels = new Option<bool>("--time-kernels") { Description = "Also time every gradient-descent kernel variant: the best of many 1,000-step chunks, scaled to --steps (steadier than one run on a shared machine)" };
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
            RunContext ctx = common.Read(parse, "implicit-l1");
            ctx.PrepareOutput();
            var results = RunTrials(ctx, settings, parse.GetValue(trials));
            Write(ctx, results[0]);
            ctx.Out.Write(Summary(results[0]));
            if (results.Length > 1) ctx.Out.Write(TrialsSummary(ctx, results));
            if (parse.GetValue(timeKernels)) ctx.Out.Write(KernelTimes(results[0]));
            return 0;
        });
        return command;
    }

    public static ImplicitL1Result[] RunTrials(RunContext ctx, ImplicitL1Settings settings, int trials)
    {
        var results = new ImplicitL1Result[trials];
        var root = ctx.Sampler();
        Progress.Run(ctx, "implicit-l1 trials", trials, sink =>
            ctx.ParallelFor(trials, t =>
            {
                results[t] = ImplicitL1Experiment.Run(settings, root.Split((ulong)t));
                sink.Advance(1);
            }));
        return results;
    }

    /// <summary>The figures and CSVs of one run.</summary>
    public static void Write(RunContext ctx, ImplicitL1Result r)
    {
        var s = r.Settings;
        int m = s.Cols;
        string[] names = Enumerable.Range(1, m).Select(j => $"x{j}").ToArray();
        WritePathCsv(ctx.PathOf("implicit_l1_lasso_path.csv"), r.Signed, r.Problem.Rows, names);
        WritePathCsv(ctx.PathOf("implicit_l1_lasso_path_positive.csv"), r.Positive, r.Problem.Rows, names);

        var iterations = Enumerable.Range(0, r.RecordedRows).Select(k => (double)FactorizedGradientDescent.RecordedStep(k, s.Steps, s.RecordEvery)).ToArray();
        var effective = new double[m][];
        for (int j = 0; j < m; j++)
        {
            effective[j] = new double[r.RecordedRows];
            for (int k = 0; k < r.RecordedRows; k++) { double v = r.Record[k * m + j]; effective[j][k] = v * v; }
        }
        Csv.WriteColumns(ctx.PathOf("implicit_l1_gd_path.csv"), ["iteration", .. names.Select(n => n + "_squared")], [iterations, .. effective]);

        // Coordinate j is series j in every panel, so it has palette color j everywhere; 40 legend entries would
        // hide the curves, so labels are kept only for small problems.
        string Label(int j) => m <= 20 ? names[j] : "";
        var gdPanel = new Panel($"Gradient descent on 1/2||A(x⊙x) - y||^2 (x0 = {s.Init:G3}·1, eta = {s.LearningRate:G3})",
            "iteration (log scale)", "x_i^(k) squared (effective regressor)",
            Enumerable.Range(0, m).Select(j => new Series(Label(j), iterations, effective[j])).ToArray(), LogX: true);
        LinePlot.SaveGrid(ctx.PathOf("implicit_l1_paths.png"), [LassoPanel("Lasso path (signed)", r.Signed, r.Problem.Rows, Label), gdPanel], columns: 2);
        LinePlot.SaveGrid(ctx.PathOf("implicit_l1_paths_positive.png"), [LassoPanel("Lasso path (nonnegative)", r.Positive, r.Problem.Rows, Label), gdPanel], columns: 2);

        Csv.WriteRows(ctx.PathOf("implicit_l1_comparison.csv"), ["solution", "l1_norm", "max_abs_difference_to_gd_limit", "residual_norm"],
            new[] { r.Gd, r.MinL1Signed, r.MinL1Positive, r.XStar }.Select(c => (IReadOnlyList<string>)[c.Name, Csv.Number(c.L1Norm), Csv.Number(c.MaxAbsDifferenceToGd), Csv.Number(c.Residual)]));
    }

    // The exact path in the homework's scaling, lambda = n * alpha, sampled densely on a log grid and at every
    // breakpoint down to 1e-4 of its start, where the path has flattened onto its end (lambda = 0 has no logarithm).
    private static Panel LassoPanel(string title, HomotopyPath path, int n, Func<int, string> label)
    {
        double top = path.Alphas[0];
        double bottom = Math.Max(path.Alphas.Where(a => a > 0).DefaultIfEmpty(top).Min() / 10, top * 1e-4);
        var alphas = Enumerable.Range(0, 400).Select(k => top * Math.Pow(bottom / top, k / 399.0))
            .Concat(path.Alphas.Where(a => a >= bottom)).Distinct().OrderByDescending(a => a).ToArray();
        var xs = alphas.Select(a => -Math.Log10(n * a)).ToArray();
        var points = alphas.Select(path.At).ToArray();
        int m = path.Coefficients[0].Length;
        var series = Enumerable.Range(0, m).Select(j => new Series(label(j), xs, points.Select(w => w[j]).ToArray())).ToArray();
        return new Panel(title, "-log10(lambda)", "coefficient x_i(lambda)", series);
    }

    private static void WritePathCsv(string path, HomotopyPath p, int n, string[] names)
    {
        var columns = new List<IReadOnlyList<double>> { p.Alphas.Select(a => n * a).ToArray() };
        for (int j = 0; j < names.Length; j++) columns.Add(p.Coefficients.Select(w => w[j]).ToArray());
        Csv.WriteColumns(path, ["lambda", .. names], columns);
    }

    public static string Summary(ImplicitL1Result r)
    {
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine(I($"A: {s.Rows} x {s.Cols} Gaussian, unit-norm columns; x*: {s.Sparsity} nonzeros; gradient descent: {r.StepsDone} of {s.Steps} steps, eta = {s.LearningRate:G3}, x0 = {s.Init:G3}·1, in {r.GdMilliseconds:F1} ms ({r.Variant} kernel)"));
        text.AppendLine(I($"Lasso paths (exact homotopy): signed {r.Signed.Breakpoints} breakpoints, nonnegative {r.Positive.Breakpoints}"));
        text.AppendLine(I($"{"solution",-42} {"l1 norm",12} {"max|w - GD|",12} {"||Aw - y||",12}"));
        foreach (var c in new[] { r.Gd, r.MinL1Signed, r.MinL1Positive, r.XStar })
            text.AppendLine(I($"{c.Name,-42} {c.L1Norm,12:G6} {c.MaxAbsDifferenceToGd,12:E2} {c.Residual,12:E2}"));
        text.AppendLine(I($"order in which coordinates first exceed {r.EntryThreshold:E1}: gradient descent {Names(r.EntryOrderGd)}; nonnegative Lasso path {Names(r.EntryOrderLasso)}"));
        text.AppendLine(Verdict(r));
        return text.ToString();
    }

    /// <summary>The answer to "do the two paths converge to the same point?", from the numbers of the run.</summary>
    public static string Verdict(ImplicitL1Result r)
    {
        if (r.Diverged) return DivergenceVerdict(r);
        string tolerance = I($"{r.Settings.MatchTolerance:P0} of the largest coefficient, {r.Settings.MatchTolerance * r.Scale:E1}");
        bool positive = r.Matches(r.MinL1Positive), signed = r.Matches(r.MinL1Signed);
        string star = r.Matches(r.XStar) ? "x* itself (the minimum-l1 solution recovers the sparse x*)" : I($"not x* (max difference {r.XStar.MaxAbsDifferenceToGd:E2}: the minimum-l1 solution does not recover x* here)");
        if (positive && signed)
            return I($"Yes: gradient descent ends within {r.MinL1Positive.MaxAbsDifferenceToGd:E2} of the nonnegative minimum-l1 solution and {r.MinL1Signed.MaxAbsDifferenceToGd:E2} of the signed one (tolerance {tolerance}), so both paths end at the same point, which is {star}.");
        if (positive)
            return I($"Partly: gradient descent ends within {r.MinL1Positive.MaxAbsDifferenceToGd:E2} of the nonnegative minimum-l1 solution (the end of the positive Lasso path) but {r.MinL1Signed.MaxAbsDifferenceToGd:E2} from the signed one (tolerance {tolerance}): x ⊙ x can only reach nonnegative solutions.");
        if (signed)
            return I($"Partly: gradient descent ends within {r.MinL1Signed.MaxAbsDifferenceToGd:E2} of the signed minimum-l1 solution but {r.MinL1Positive.MaxAbsDifferenceToGd:E2} from the nonnegative one (tolerance {tolerance}); the two minimum-l1 solutions differ here, and gradient descent on x ⊙ x lands on the signed one, which is {star}.");
        double yNorm = Math.Sqrt(r.Problem.Y.Sum(v => v * v));
        string unfinished = r.Gd.Residual > r.Settings.MatchTolerance * yNorm
            ? I($" Gradient descent has not finished interpolating after {r.StepsDone} steps (||A w - y|| = {r.Gd.Residual:E2}, {r.Gd.Residual / yNorm:P1} of ||y||): the small coordinates are still growing, and more --steps (or a larger --lr) carry it further.")
            : I($" Gradient descent interpolates (||A w - y|| = {r.Gd.Residual:E2}) but at another point: a smaller --init brings it closer to the minimum-l1 solution.");
        return I($"No, not within the tolerance {tolerance}: gradient descent ends {r.MinL1Positive.MaxAbsDifferenceToGd:E2} from the nonnegative minimum-l1 solution and {r.MinL1Signed.MaxAbsDifferenceToGd:E2} from the signed one.") + unfinished;
    }

    // The kernels test finiteness once per recorded chunk, so the first non-finite step is known to a chunk.
    // The cause is named from x0: if the gradient there already overflows, --init is the problem, and a large
    // --init also raises the curvature (it grows like x^2), so it shares the blame with --lr above 1.
    private static string DivergenceVerdict(ImplicitL1Result r)
    {
        var s = r.Settings;
        int first = Math.Max(0, r.StepsDone - 1) / s.RecordEvery * s.RecordEvery + 1;
        var gd = new FactorizedGradientDescent(r.Problem.A, s.Rows, s.Cols, r.Problem.Y);
        var x0 = Enumerable.Repeat(s.Init, s.Cols).ToArray();
        var gradient = new double[s.Cols];
        gd.Gradient(x0, gradient);
        string cause = !gradient.All(double.IsFinite) || !double.IsFinite(gd.Objective(x0))
            ? I($"x0 = {s.Init:G3}·1 already overflows the objective or its gradient: lower --init")
            : Math.Abs(s.Init) > 1
                ? I($"the step is too large for iterates of size {s.Init:G3}: lower --lr or --init")
                : "the step is too large: lower --lr";
        return I($"Gradient descent diverged (non-finite iterate at a step between {first} and {r.StepsDone}): no conclusion; {cause}.");
    }

    /// <summary>
    /// The time of each kernel variant for the run's step count, extrapolated from the fastest of 2,000 chunks of
    /// 1,000 steps: a chunk that short usually runs without being preempted, so the minimum is the machine's speed
    /// rather than its load.
    /// </summary>
    public static string KernelTimes(ImplicitL1Result r)
    {
        var s = r.Settings;
        var gd = new FactorizedGradientDescent(r.Problem.A, s.Rows, s.Cols, r.Problem.Y);
        const int chunk = 1000, repeats = 2000;
        var record = new double[FactorizedGradientDescent.RecordRows(chunk, s.RecordEvery) * s.Cols];
        var x = new double[s.Cols];
        var text = new StringBuilder();
        foreach (var variant in gd.Available())
        {
            if (variant == FactorizedVariant.Scalar) continue;
            Array.Fill(x, s.Init);
            double best = double.PositiveInfinity;
            for (int k = 0; k < repeats; k++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                gd.Run(x, s.LearningRate, chunk, s.RecordEvery, record, variant);
                best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            text.AppendLine(I($"kernel {variant,-12}: {best * 1e6 / chunk:F1} ns per step (best of {repeats} x {chunk} steps), {best * s.Steps / chunk:F2} ms for {s.Steps} steps"));
        }
        return text.ToString();
    }

    /// <summary>How the order in which coordinates enter compares between the two paths, from the run's numbers.</summary>
    public static string OrderSentence(ImplicitL1Result r)
    {
        int shared = r.SharedEntryPrefix, total = Math.Max(r.EntryOrderGd.Length, r.EntryOrderLasso.Length);
        if (shared == total && total > 0)
            return I($"All {total} coordinates that become significant enter in the same order along both paths: the small initialization plays the role of a large lambda, and running gradient descent longer is like lowering lambda.");
        return I($"The first {shared} of the {total} coordinates that become significant enter in the same order along both paths (gradient descent {Names(r.EntryOrderGd)}; Lasso {Names(r.EntryOrderLasso)}), so the two paths are alike but not identical.");
    }

    private static string Names(int[] order) => string.Join(" ", order.Select(j => $"x{j + 1}"));

    public static string TrialsSummary(RunContext ctx, ImplicitL1Result[] results)
    {
        Csv.WriteRows(ctx.PathOf("implicit_l1_trials.csv"),
            ["trial", "gd_vs_min_l1_nonnegative", "gd_vs_min_l1_signed", "gd_vs_x_star", "matches_nonnegative", "matches_signed", "gd_ms"],
            results.Select((r, t) => (IReadOnlyList<string>)[t.ToString(CultureInfo.InvariantCulture), Csv.Number(r.MinL1Positive.MaxAbsDifferenceToGd),
                Csv.Number(r.MinL1Signed.MaxAbsDifferenceToGd), Csv.Number(r.XStar.MaxAbsDifferenceToGd),
                r.Matches(r.MinL1Positive) ? "1" : "0", r.Matches(r.MinL1Signed) ? "1" : "0", Csv.Number(r.GdMilliseconds)]));
        int n = results.Length;
        int positive = results.Count(r => r.Matches(r.MinL1Positive));
        int signed = results.Count(r => r.Matches(r.MinL1Signed));
        int star = results.Count(r => r.Matches(r.XStar));
        int diverged = results.Count(r => r.Diverged);
        double worst = results.Max(r => r.MinL1Positive.MaxAbsDifferenceToGd);
        double median = results.Select(r => r.MinL1Positive.MaxAbsDifferenceToGd).Order().ElementAt(n / 2);
        return I($"{n} trials: the GD limit matches the nonnegative min-l1 solution in {positive}, the signed one in {signed}, x* in {star}; diverged {diverged}. ")
            + I($"max|GD - nonnegative min-l1|: median {median:E2}, worst {worst:E2}. Per trial: {ctx.PathOf("implicit_l1_trials.csv")}\n");
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Problem 2(e) in the report.</summary>
public sealed class ImplicitL1Reported : IReportedExperiment
{
    public string Folder => "implicit-l1";

    private static ImplicitL1Result[] RunTrialsQuietly(RunContext ctx, ImplicitL1Settings settings, int trials)
    {
        var results = new ImplicitL1Result[trials];
        var root = ctx.Sampler();
        ctx.ParallelFor(trials, t => results[t] = ImplicitL1Experiment.Run(settings, root.Split((ulong)t)));
        return results;
    }

    public ReportSection Run(RunContext ctx)
    {
        var results = ImplicitL1Command.RunTrials(ctx, new ImplicitL1Settings(), 8);
        var r = results[0];
        ImplicitL1Command.Write(ctx, r);
        string trials = ImplicitL1Command.TrialsSummary(ctx, results);
        if (!ctx.Quiet) ctx.Out.Write(ImplicitL1Command.Summary(r) + trials);
        var md = new StringBuilder();
        md.AppendLine("**Question (HW3 2(e)).** Gradient descent on the factorized least squares 1/2||A(x⊙x) - y||^2 (A 20 x 40 Gaussian with unit-norm columns, "
            + "x* 10-sparse and nonnegative, y = Ax*) from x0 = 1e-3·1 with eta = 1e-3 for 300,000 steps: how does its path compare with the Lasso path, and do both end at the same point, the minimum-l1-norm solution?");
        md.AppendLine();
        md.AppendLine("![paths](implicit-l1/implicit_l1_paths.png)");
        md.AppendLine();
        md.AppendLine("Left: the exact Lasso path (homotopy) against -log10(lambda); right: the coordinates of x⊙x along gradient descent, same color per coordinate. "
            + "The nonnegative Lasso path is in `implicit-l1/implicit_l1_paths_positive.png`; data in `implicit-l1/implicit_l1_lasso_path*.csv`, `implicit-l1/implicit_l1_gd_path.csv`, `implicit-l1/implicit_l1_comparison.csv`.");
        md.AppendLine();
        md.AppendLine("```");
        md.Append(ImplicitL1Command.Summary(r));
        md.AppendLine("```");
        md.AppendLine();
        var longerTrials = RunTrialsQuietly(ctx, new ImplicitL1Settings(Steps: 3_000_000), results.Length);
        var longer = longerTrials[0];
        md.AppendLine($"**Answer.** {ImplicitL1Command.Verdict(r)} {ImplicitL1Command.OrderSentence(r)}");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"The same instance with ten times the steps ({longer.StepsDone:N0}, GD residual {longer.Gd.Residual:E2}): {ImplicitL1Command.Verdict(longer)}"));
        md.AppendLine();
        int matched = longerTrials.Count(t => t.Matches(t.MinL1Positive)), matchedSigned = longerTrials.Count(t => t.Matches(t.MinL1Signed));
        md.AppendLine(FormattableString.Invariant($"With 3,000,000 steps on each of the {longerTrials.Length} instances below, the GD limit matches the nonnegative min-l1 solution in {matched} and the signed one in {matchedSigned}; the largest difference to the nonnegative one is {longerTrials.Max(t => t.MinL1Positive.MaxAbsDifferenceToGd):E2}."));
        md.AppendLine();
        md.AppendLine($"Over {results.Length} independent instances (seeds split from the run's seed): {trials.Replace(ctx.PathOf("implicit_l1_trials.csv"), "`implicit-l1/implicit_l1_trials.csv`").TrimEnd()}");
        return new ReportSection("Implicit l1 regularization of factorized gradient descent (HW3 2(e))", md.ToString());
    }
}
