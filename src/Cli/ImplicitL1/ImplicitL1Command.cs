using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Experiments.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Lasso;

namespace Engine.Cli.ImplicitL1;

/// <summary><c>engine implicit-l1</c>: homework 3, problem 2(e), with its figures, CSVs, instances and answer, and its section of the report.</summary>
public sealed class ImplicitL1Command : IReportedCommand
{
    // Bounds that keep a run within memory and minutes: the exact Lasso paths cost O(m n^2) per breakpoint, every
    // recorded iterate is kept for the figure, and the flow limit's facial reduction is a dense simplex tableau of
    // (n + m) x (3m + 2n) entries whose time grows like the cube of the size (about 10 s at 200 x 400, once per
    // instance and once per run to interpolation).
    public const int MaxRows = 399, MaxCols = 400, MaxSteps = 100_000_000, MaxTrials = 1_000;
    public const long MaxRecordedValues = 50_000_000;

    /// <summary>The largest initialization scale: far above any that converges, small enough that x0 and its gradient stay finite.</summary>
    public const double MaxInitScale = 1e3;

    /// <summary>
    /// The range of --match-tol, a fraction of the largest coefficient of the minimum-l1 solution. Below the smallest,
    /// a match would be judged on differences the flow-limit solver (residual 1e-12 of ||y||) and the Lasso homotopy do
    /// not resolve; at the largest, a point half the solution's size away would already count as the same point.
    /// </summary>
    public const double MinMatchTolerance = 1e-10, MaxMatchTolerance = 0.5;

    public string Folder => "implicit-l1";

    /// <inheritdoc/>
    public double RelativeCost => 15;

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var d = ImplicitL1Settings.Default;
        var rows = Options.Int("--rows", d.Rows, "n, rows of A", max: MaxRows);
        var cols = Options.Int("--cols", d.Cols, "m, columns of A (coordinates of x); must exceed --rows", min: 2, max: MaxCols);
        var sparsity = Options.Int("--sparsity", d.Sparsity, "Nonzeros of x*");
        var steps = Options.Int("--steps", d.Steps, "Gradient-descent steps of the homework's run", max: MaxSteps);
        var lr = Options.Double("--lr", d.LearningRate, "Step size eta of the homework's run");
        var init = Options.Double("--init-scale", d.Init, "a: x0 = a·1 (u0 = v0 = a·1 in the signed model)", max: MaxInitScale);
        var recordEvery = Options.Int("--record-every", d.RecordEvery, "Record the iterate every this many steps");
        var match = Options.Double("--match-tol", d.MatchTolerance, "Two solutions count as the same point when their largest difference is at most this fraction of the largest coefficient of the minimum-l1 solution",
            min: MinMatchTolerance, minExclusive: false, max: MaxMatchTolerance);
        var trials = Options.Int("--trials", d.Trials, "Independent instances (seeds split from --seed); the figures show the first", max: MaxTrials);
        var sweepSmallest = Options.Double("--sweep-smallest", d.SweepSmallest, "Smallest initialization scale a of the exact-limit sweep (from 0.1 down)", max: 1e-2);
        var sweepDensity = Options.Int("--sweep-density", d.SweepPointsPerDecade, "Sweep points per decade of a", max: 100);
        var confirmScales = Options.DoubleList("--init-scales", [.. d.ConfirmationScales], "Initialization scales at which gradient descent runs to interpolation to confirm the exact limit, one run each", max: MaxInitScale);
        var confirmLr = Options.Double("--confirm-lr", d.ConfirmationLearningRate, "Step size of the confirmation runs at --init-scales");
        var stepSizes = Options.DoubleList("--lrs", [.. d.StepSizes], "Step sizes whose end is compared with the flow limit, one run each");
        var stepSizeScale = Options.Double("--lrs-init-scale", d.StepSizeScale, "Initialization scale of the runs at --lrs", max: MaxInitScale);
        var interpolation = Options.Double("--interpolation-tol", d.InterpolationTolerance, "A run to interpolation stops at ||A w - y|| <= this·||y||", max: 1);
        var maxInterpolate = Options.Int("--interpolation-steps", d.MaxStepsToInterpolate, "Step budget of a run to interpolation", max: MaxSteps);
        var quick = Options.Flag("--quick", "The same questions at a fraction of the cost: 2 instances, one confirmation scale, 3 step sizes, shorter budgets (explicit options still apply). "
            + "The cost still grows with --rows and --cols: near their largest values even --quick runs for minutes, most of them in the signed model's a-sweep and the runs to interpolation");
        var timeKernels = Options.Flag("--time-kernels", "Also time every gradient-descent kernel variant: the best of many 1,000-step chunks, scaled to --steps (steadier than one run on a shared machine)");
        var command = new Command("implicit-l1", "HW3 2(e): gradient descent on 1/2||A(x⊙x) - y||^2 from a small start against the Lasso path, the minimum-l1 solution and the exact limit of its gradient flow");
        foreach (var o in new Option[] { rows, cols, sparsity, steps, lr, init, recordEvery, match, trials, sweepSmallest, sweepDensity, confirmScales, confirmLr, stepSizes, stepSizeScale, interpolation, maxInterpolate, quick, timeKernels })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var basis = parse.GetValue(quick) ? ImplicitL1Settings.Quick : ImplicitL1Settings.Default;
            T Pick<T>(Option<T> option, T fallback) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fallback;
            IReadOnlyList<double> PickList(ListOption<double> option, IReadOnlyList<double> fallback) => parse.GetResult(option) is { Implicit: false } ? option.Read(parse) : fallback;
            var settings = basis with
            {
                Rows = Pick(rows, basis.Rows), Cols = Pick(cols, basis.Cols), Sparsity = Pick(sparsity, basis.Sparsity),
                Steps = Pick(steps, basis.Steps), LearningRate = Pick(lr, basis.LearningRate), Init = Pick(init, basis.Init),
                RecordEvery = Pick(recordEvery, basis.RecordEvery), MatchTolerance = Pick(match, basis.MatchTolerance),
                Trials = Pick(trials, basis.Trials), SweepSmallest = Pick(sweepSmallest, basis.SweepSmallest),
                SweepPointsPerDecade = Pick(sweepDensity, basis.SweepPointsPerDecade),
                ConfirmationScales = PickList(confirmScales, basis.ConfirmationScales), ConfirmationLearningRate = Pick(confirmLr, basis.ConfirmationLearningRate),
                StepSizes = PickList(stepSizes, basis.StepSizes), StepSizeScale = Pick(stepSizeScale, basis.StepSizeScale),
                InterpolationTolerance = Pick(interpolation, basis.InterpolationTolerance), MaxStepsToInterpolate = Pick(maxInterpolate, basis.MaxStepsToInterpolate),
            };
            Validate(settings);
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            var result = ImplicitL1Experiment.Run(ctx.Experiment, settings);
            Write(ctx, result);
            ctx.Out.Write(Summary(result));
            if (parse.GetValue(timeKernels)) ctx.Out.Write(ImplicitL1Experiment.KernelTimes(settings, result.First.Problem));
            return 0;
        });
        return [command];
    }

    private static void Validate(ImplicitL1Settings s)
    {
        if (s.Sparsity > s.Cols) throw new UsageException($"--sparsity ({s.Sparsity}) cannot exceed --cols ({s.Cols}).");
        if (s.Rows >= s.Cols) throw new UsageException($"--rows ({s.Rows}) must be smaller than --cols ({s.Cols}) for an under-determined problem.");
        // With one interval longer than the run, the path is recorded only at its start and end: every coordinate
        // would first exceed the threshold at the same recorded step, and the order of entry would be index order.
        if (s.RecordEvery > s.Steps)
            throw new UsageException($"--record-every ({s.RecordEvery}) cannot exceed --steps ({s.Steps}): the path would be recorded only at its ends, which cannot order the coordinates' entries.");
        long recorded = ((long)s.Steps + s.RecordEvery - 1) / s.RecordEvery + 1;
        // Both models record their path.
        long values = 2 * recorded * s.Cols * s.Trials;
        if (values > MaxRecordedValues)
            throw new UsageException($"--steps / --record-every x --cols x --trials asks to record {values:N0} values, more than {MaxRecordedValues:N0}: raise --record-every.");
        if (s.SweepSmallest >= s.SweepLargest) throw new UsageException($"--sweep-smallest must be below {s.SweepLargest:G3}.");
    }

    /// <summary>Every file of a run: the figures with their data, the paths, the comparisons and each instance.</summary>
    public static void Write(RunContext ctx, ImplicitL1Result result)
    {
        var s = result.Settings;
        var first = result.First;
        int m = s.Cols;
        string[] names = Enumerable.Range(1, m).Select(j => $"x{j}").ToArray();
        WritePathCsv(ctx.PathOf("implicit_l1_lasso_path.csv"), first.SignedPath, first.Problem.Rows, names);
        WritePathCsv(ctx.PathOf("implicit_l1_lasso_path_positive.csv"), first.PositivePath, first.Problem.Rows, names);

        // A diverged run's path ends at its last finite iterate; the divergence is named in the trials CSV and the answer.
        var gd = first.Nonnegative.Gd;
        var signedGd = first.Signed.Gd;
        double[] Iterations(DescentRun run) => Enumerable.Range(0, run.FiniteRows)
            .Select(k => (double)Engine.Kernels.Factorized.FactorizedLeastSquaresDescent.RecordedStep(k, run.StepsDone, s.RecordEvery)).ToArray();
        // FiniteRows scans the whole record, so it is read once per run, not once per coordinate.
        double[][] Coordinates(DescentRun run)
        {
            int rows = run.FiniteRows;
            return Enumerable.Range(0, m).Select(j => Enumerable.Range(0, rows).Select(k => run.Record[k * m + j]).ToArray()).ToArray();
        }
        var iterations = Iterations(gd);
        var effective = Coordinates(gd);
        Csv.WriteColumns(ctx.PathOf("implicit_l1_gd_path.csv"), ["iteration", .. names.Select(n => n + "_squared")], [iterations, .. effective]);
        var signedIterations = Iterations(signedGd);
        var signedEffective = Coordinates(signedGd);
        Csv.WriteColumns(ctx.PathOf("implicit_l1_gd_path_signed.csv"), ["iteration", .. names.Select(n => "w_" + n)], [signedIterations, .. signedEffective]);

        // The coordinates where x* is nonzero are the ones a reader follows from panel to panel: each has its own color,
        // the same in every panel, and its name in the legend; the others are drawn grey behind them (40 colors would
        // repeat and 40 legend entries hide the curves). The figures plot log-spaced rows, so that each figure's CSV
        // stays small (every row is in implicit_l1_gd_path*.csv).
        PathStyle style = PathStyle.Of(first.Problem.XStar);
        Panel Descent(string title, string yLabel, double[] x, double[][] coordinates)
        {
            int[] shown = ShownRows(x.Length, s.Steps, s.RecordEvery);
            double[] xs = shown.Select(k => x[k]).ToArray();
            return new Panel(title, "iteration (log scale)", yLabel,
                style.Order.Select(j => style.Series(names[j], j, xs, shown.Select(k => coordinates[j][k]).ToArray())).ToArray(), LogX: true);
        }
        var gdPanel = Descent(I($"Gradient descent on 1/2||A(x⊙x) - y||^2 (x0 = {s.Init:G3}·1, eta = {s.LearningRate:G3})"),
            "x_i^(k) squared (effective regressor)", iterations, effective);
        var signedPanel = Descent(I($"Gradient descent on 1/2||A(u⊙u - v⊙v) - y||^2 (u0 = v0 = {s.Init:G3}·1, eta = {s.LearningRate:G3})"),
            "w_i = u_i^2 - v_i^2", signedIterations, signedEffective);
        LinePlot.SaveGridWithData(ctx.PathOf("implicit_l1_paths.png"), [LassoPanel("Lasso path (signed)", first.SignedPath, first.Problem.Rows, names, style), gdPanel], columns: 2);
        LinePlot.SaveGridWithData(ctx.PathOf("implicit_l1_paths_positive.png"), [LassoPanel("Lasso path (nonnegative)", first.PositivePath, first.Problem.Rows, names, style), gdPanel], columns: 2);
        LinePlot.SaveGridWithData(ctx.PathOf("implicit_l1_paths_signed_model.png"), [LassoPanel("Lasso path (signed)", first.SignedPath, first.Problem.Rows, names, style), signedPanel], columns: 2);

        WriteComparison(ctx, result);
        WriteTrials(ctx, result);
        WriteSweep(ctx, result);
        WriteLimitChecks(ctx, result);
        WriteSettings(ctx, result);
        foreach (var trial in result.Trials) WriteInstance(ctx, trial);
    }

    /// <summary>
    /// The recorded rows a figure plots against a log axis: the first row at or after each of 600 iterations spaced
    /// evenly in log scale, and the last. On that axis they draw the same curves as every row.
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

    // The exact path in the homework's scaling, lambda = n * alpha, sampled densely on a log grid and at every
    // breakpoint down to 1e-4 of its start, where the path has flattened onto its end (lambda = 0 has no logarithm).
    private static Panel LassoPanel(string title, HomotopyPath path, int n, string[] names, PathStyle style)
    {
        double top = path.Alphas[0];
        double bottom = Math.Max(path.Alphas.Where(a => a > 0).DefaultIfEmpty(top).Min() / 10, top * 1e-4);
        var alphas = Enumerable.Range(0, 400).Select(k => top * Math.Pow(bottom / top, k / 399.0))
            .Concat(path.Alphas.Where(a => a >= bottom)).Distinct().OrderByDescending(a => a).ToArray();
        var xs = alphas.Select(a => -Math.Log10(n * a)).ToArray();
        var points = alphas.Select(path.At).ToArray();
        int m = path.Coefficients[0].Length;
        var series = style.Order.Select(j => style.Series(names[j], j, xs, points.Select(w => w[j]).ToArray())).ToArray();
        return new Panel(title, "-log10(lambda)", "coefficient x_i(lambda)", series);
    }

    /// <summary>
    /// How the path figures draw coordinate j: in color <see cref="Color"/>[j] and in the legend when x*_j is nonzero,
    /// grey otherwise; <see cref="Order"/> draws the grey ones first, so the colored ones lie on top.
    /// </summary>
    private sealed record PathStyle(int[] Order, int?[] Color)
    {
        public static PathStyle Of(double[] xStar)
        {
            int[] support = Enumerable.Range(0, xStar.Length).Where(j => xStar[j] != 0).ToArray();
            var color = new int?[xStar.Length];
            // Palette color 7 is Category10's grey, which would read as one of the grey coordinates: it is skipped.
            for (int c = 0; c < support.Length; c++) color[support[c]] = c < 7 ? c : c + 1;
            return new PathStyle([.. Enumerable.Range(0, xStar.Length).Where(j => xStar[j] == 0), .. support], color);
        }

        public Series Series(string name, int j, double[] x, double[] y) =>
            new(name, x, y, ColorIndex: Color[j], Muted: Color[j] is null);
    }

    private static void WritePathCsv(string path, HomotopyPath p, int n, string[] names)
    {
        var columns = new List<IReadOnlyList<double>> { p.Alphas.Select(a => n * a).ToArray() };
        for (int j = 0; j < names.Length; j++) columns.Add(p.Coefficients.Select(w => w[j]).ToArray());
        Csv.WriteColumns(path, ["lambda", .. names], columns);
    }

    /// <summary>The first instance's solutions side by side: l1 norm, residual and distances to GD's end and to the flow limit.</summary>
    private static void WriteComparison(RunContext ctx, ImplicitL1Result result)
    {
        var t = result.First;
        var p = t.Problem;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var o in new[] { t.Nonnegative, t.Signed })
        {
            string model = o.Model == FactorizedModel.Nonnegative ? "nonnegative" : "signed";
            var solutions = new List<(string Name, double[] W)>
            {
                ("gradient descent, last iterate", o.Gd.W),
                ("exact flow limit w_inf(a)", o.Limit.W),
                ("flow continued from the last iterate", o.Heading?.W ?? []),
                (model == "nonnegative" ? "nonnegative min-l1 (positive Lasso end)" : "signed min-l1 (Lasso end)", o.MinL1),
                ("x*", p.XStar),
            };
            foreach (var (name, w) in solutions.Where(x => x.W.Length == p.Cols && x.W.All(double.IsFinite)))
                rows.Add([model, name, Csv.Number(w.Sum(Math.Abs)), Csv.Number(p.ResidualNorm(w)),
                    Defined(Distance.MaxAbs(w, o.Gd.W)), Defined(Distance.MaxAbs(w, o.Limit.W))]);
        }
        Csv.WriteRows(ctx.PathOf("implicit_l1_comparison.csv"),
            ["model", "solution", "l1_norm", "residual_norm", "max_abs_difference_to_gd", "max_abs_difference_to_flow_limit"], rows);
    }

    /// <summary>Per instance and model, the three distances and the matching threshold (no timings: the file is the same on every run).</summary>
    private static void WriteTrials(RunContext ctx, ImplicitL1Result result)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var t in result.Trials)
            foreach (var o in new[] { t.Nonnegative, t.Signed })
            {
                bool diverged = o.Gd.Diverged;
                rows.Add([t.Index.ToString(CultureInfo.InvariantCulture), o.Model == FactorizedModel.Nonnegative ? "nonnegative" : "signed",
                    Csv.Number(o.Scale), Csv.Number(o.Tolerance), o.Gd.StepsDone.ToString(CultureInfo.InvariantCulture), diverged ? "1" : "0",
                    Defined(o.Gd.RelativeResidual), Defined(o.Convergence), Defined(o.HeadingDistance), Csv.Number(o.Bias), Csv.Number(o.Recovery), Defined(o.GdToMinL1),
                    Defined(o.Sweep.LargestMatchingScale), o.Limit.Iterations.ToString(CultureInfo.InvariantCulture), Csv.Number(o.Limit.RelativeResidual),
                    o.Limit.ForcedZeros.Length.ToString(CultureInfo.InvariantCulture)]);
            }
        Csv.WriteRows(ctx.PathOf("implicit_l1_trials.csv"),
            ["trial", "model", "scale", "tolerance", "gd_steps", "gd_diverged", "gd_relative_residual", "gd_to_flow_limit",
             "flow_from_gd_to_flow_limit", "flow_limit_to_min_l1", "min_l1_to_x_star", "gd_to_min_l1", "largest_matching_a",
             "flow_limit_newton_iterations", "flow_limit_relative_residual", "forced_zeros"], rows);
    }

    /// <summary>The a-sweep of every instance, relative to its scale, in a log-log figure per model (with its CSV).</summary>
    private static void WriteSweep(RunContext ctx, ImplicitL1Result result)
    {
        var s = result.Settings;
        Panel PanelOf(string title, Func<ImplicitL1Trial, ModelOutcome> pick)
        {
            var series = result.Trials.Select(t =>
            {
                var o = pick(t);
                return new Series($"instance {t.Index}", o.Sweep.Scales, o.Sweep.Distances.Select(d => d / o.Scale).ToArray(), ColorIndex: t.Index);
            }).ToList();
            var scales = pick(result.First).Sweep.Scales;
            series.Add(new Series("match tolerance", [scales[0], scales[^1]], [s.MatchTolerance, s.MatchTolerance], Dashed: true, ColorIndex: result.Trials.Count));
            return new Panel(title, "initialization scale a", "max|w_inf(a) - w_l1| / max|w_l1|", series, LogX: true, LogY: true);
        }
        LinePlot.SaveGridWithData(ctx.PathOf("implicit_l1_a_sweep.png"),
            [PanelOf("x ⊙ x: exact flow limit against the nonnegative min-l1 solution", t => t.Nonnegative),
             PanelOf("u ⊙ u - v ⊙ v: exact flow limit against the signed min-l1 solution", t => t.Signed)], columns: 2);
    }

    /// <summary>The confirmation and step-size runs (first instance) and the step-size figure.</summary>
    private static void WriteLimitChecks(RunContext ctx, ImplicitL1Result result)
    {
        var rows = result.Confirmations.Select(r => ("confirmation", r)).Concat(result.StepSizeRuns.Select(r => ("step size", r)))
            .Select(x => (IReadOnlyList<string>)[x.Item1, Csv.Number(x.r.Scale), Csv.Number(x.r.Eta), x.r.Gd.StepsDone.ToString(CultureInfo.InvariantCulture),
                x.r.Gd.Diverged ? "1" : "0", x.r.Interpolated ? "1" : "0", x.r.Stalled ? "1" : "0",
                double.IsFinite(x.r.Gd.RelativeResidual) ? Csv.Number(x.r.Gd.RelativeResidual) : "",
                double.IsFinite(x.r.Distance) ? Csv.Number(x.r.Distance) : "", Csv.Number(x.r.Tolerance)]);
        Csv.WriteRows(ctx.PathOf("implicit_l1_limit_checks.csv"),
            ["run", "a", "eta", "steps", "diverged", "interpolated", "not_converging", "relative_residual", "distance_to_flow_limit", "tolerance"], rows);
        var converged = result.StepSizeRuns.Where(r => r.Interpolated).ToArray();
        if (converged.Length == 0) return;
        LinePlot.SaveGridWithData(ctx.PathOf("implicit_l1_step_size.png"),
            [new Panel(I($"Discrete gradient descent against the flow limit (a = {result.Settings.StepSizeScale:G3})"), "step size eta", "max|w_GD - w_inf(a)|",
                [new Series("runs that interpolated", converged.Select(r => r.Eta).ToArray(), converged.Select(r => r.Distance).ToArray(), MarkersOnly: true)],
                LogX: true, LogY: true)], columns: 1);
    }

    /// <summary>
    /// The numbers an independent solver needs besides the instance: the homework run's a, eta and steps, the seed, and
    /// those of the a-sweep, the confirmation and step-size runs and their stopping rule (lists separated by spaces).
    /// </summary>
    private static void WriteSettings(RunContext ctx, ImplicitL1Result result)
    {
        var s = result.Settings;
        string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
        string List(IEnumerable<double> v) => string.Join(" ", v.Select(Csv.Number));
        var values = new (string, string)[]
        {
            ("seed", ctx.Seed.ToString(CultureInfo.InvariantCulture)), ("a", Csv.Number(s.Init)), ("eta", Csv.Number(s.LearningRate)),
            ("steps", Int(s.Steps)), ("match_tolerance", Csv.Number(s.MatchTolerance)),
            ("trials", Int(s.Trials)), ("flow_limit_stopping_rule", "||A w - y|| <= 1e-12 ||y||"),
            ("rows", Int(s.Rows)), ("cols", Int(s.Cols)), ("sparsity", Int(s.Sparsity)), ("record_every", Int(s.RecordEvery)),
            ("sweep_largest_a", Csv.Number(s.SweepLargest)), ("sweep_smallest_a", Csv.Number(s.SweepSmallest)),
            ("sweep_points_per_decade", Int(s.SweepPointsPerDecade)),
            ("confirmation_scales", List(s.ConfirmationScales)), ("confirmation_eta", Csv.Number(s.ConfirmationLearningRate)),
            ("step_size_scale", Csv.Number(s.StepSizeScale)), ("step_size_etas", List(s.StepSizes)),
            ("interpolation_tolerance", Csv.Number(s.InterpolationTolerance)), ("interpolation_step_budget", Int(s.MaxStepsToInterpolate)),
            ("residual_check_every", Int(FactorizedDescent.CheckEvery)),
        };
        Csv.WriteRows(ctx.PathOf("settings.csv"), ["setting", "value"], values.Select(v => (IReadOnlyList<string>)[v.Item1, v.Item2]));
    }

    /// <summary>
    /// The instance an answer rests on, for an independent solver: A, y, x*, and per coordinate the solutions compared
    /// (minimum-l1, exact flow limit, GD's last iterate and where its flow is heading), for both models.
    /// </summary>
    private static void WriteInstance(RunContext ctx, ImplicitL1Trial t)
    {
        string folder = ctx.PathOf(I($"trial{t.Index}"));
        var p = t.Problem;
        var columns = Enumerable.Range(0, p.Cols).Select(j => (IReadOnlyList<double>)Enumerable.Range(0, p.Rows).Select(i => p.A[i * p.Cols + j]).ToArray()).ToList();
        Csv.WriteColumns(Path.Combine(folder, "A.csv"), Enumerable.Range(1, p.Cols).Select(j => $"x{j}").ToArray(), columns);
        Csv.WriteColumns(Path.Combine(folder, "y.csv"), ["y"], [p.Y]);
        Csv.WriteColumns(Path.Combine(folder, "x_star.csv"), ["x_star"], [p.XStar]);
        double[] Or(double[]? w) => w is { } v && v.All(double.IsFinite) ? v : Enumerable.Repeat(double.NaN, p.Cols).ToArray();
        var n = t.Nonnegative;
        var sg = t.Signed;
        var table = new[] { Enumerable.Range(1, p.Cols).Select(j => (double)j).ToArray(), p.XStar, n.MinL1, n.Limit.W, Or(n.Gd.W), Or(n.Heading?.W),
            sg.MinL1, sg.Limit.W, Or(sg.Gd.W), Or(sg.Gd.PriorPlus), Or(sg.Gd.PriorMinus), Or(sg.Heading?.W) };
        // The signed model's last u ⊙ u and v ⊙ v, not only their difference: its flow continues from the pair.
        var header = new[] { "coordinate", "x_star", "min_l1_nonnegative", "w_inf", "gd_final", "flow_from_gd_final",
            "min_l1_signed", "w_inf_signed", "gd_final_signed", "gd_final_u_squared_signed", "gd_final_v_squared_signed", "flow_from_gd_final_signed" };
        // A diverged run has no finite iterate: its columns are left out rather than filled with NaN.
        var keep = Enumerable.Range(0, header.Length).Where(k => table[k].All(double.IsFinite)).ToArray();
        Csv.WriteColumns(Path.Combine(folder, "flow_limit.csv"), keep.Select(k => header[k]).ToArray(), keep.Select(k => (IReadOnlyList<double>)table[k]).ToArray());
    }

    /// <summary>The console summary: the first instance's table, then every answer sentence.</summary>
    public static string Summary(ImplicitL1Result result) => Table(result) + Sentences(result);

    /// <summary>The first instance's run and the distances between its solutions, as a table.</summary>
    public static string Table(ImplicitL1Result result)
    {
        var s = result.Settings;
        var t = result.First;
        var text = new StringBuilder();
        text.AppendLine(I($"A: {s.Rows} x {s.Cols} Gaussian, unit-norm columns; x*: {CountText.Of(s.Sparsity, "nonzero")}; gradient descent: {t.Nonnegative.Gd.StepsDone:N0} of {CountText.Of(s.Steps, "step")}, eta = {s.LearningRate:G3}, x0 = {s.Init:G3}·1, in {t.Nonnegative.Gd.Milliseconds:F1} ms ({t.Nonnegative.Gd.Kernel} kernel)"));
        text.AppendLine(I($"Lasso paths (exact homotopy): signed {CountText.Of(t.SignedPath.Breakpoints, "breakpoint")}, nonnegative {t.PositivePath.Breakpoints}; exact flow limit: {CountText.Of(t.Nonnegative.Limit.Iterations, "Newton step")}, ||Aw - y||/||y|| = {t.Nonnegative.Limit.RelativeResidual:0.0e+0}"));
        text.AppendLine(I($"{"distance (max |difference|)",-52} {"x ⊙ x",12} {"u⊙u - v⊙v",12}"));
        // A distance to a diverged run's iterate is not defined: n/a, as in the other tables (its CSV cell is empty).
        static string Cell(double v) => double.IsFinite(v) ? v.ToString("0.00e+0", CultureInfo.InvariantCulture) : "n/a";
        void Row(string name, Func<ModelOutcome, double> pick) => text.AppendLine(I($"{name,-52} {Cell(pick(t.Nonnegative)),12} {Cell(pick(t.Signed)),12}"));
        Row("gradient descent's last iterate to w_inf(a)", o => o.Convergence);
        Row("flow continued from that iterate to w_inf(a)", o => o.HeadingDistance);
        Row("w_inf(a) to the min-l1 solution (bias of a)", o => o.Bias);
        Row("min-l1 solution to x* (recovery)", o => o.Recovery);
        Row("gradient descent's last iterate to min-l1", o => o.GdToMinL1);
        Row(I($"match tolerance ({s.MatchTolerance:G3} x max|min-l1 solution|)"), o => o.Tolerance);
        // A diverged run's order is not listed: its last recorded rows are not finite, and the table names the divergence.
        string gdOrder = t.Nonnegative.Gd.Diverged ? "diverged, no order" : ImplicitL1Conclusion.Names(t.EntryOrderGd);
        text.AppendLine(I($"order in which coordinates first exceed {t.EntryThreshold:0.0e+0}: gradient descent {gdOrder}; nonnegative Lasso path {ImplicitL1Conclusion.Names(t.EntryOrderLasso)}"));
        return text.ToString();
    }

    /// <summary>The answers: the first instance, all instances, the confirmations, the step sizes and the signed model.</summary>
    public static string Sentences(ImplicitL1Result result)
    {
        var s = result.Settings;
        var t = result.First;
        var text = new StringBuilder();
        text.AppendLine(AnswerOf(result));
        text.AppendLine(ImplicitL1Conclusion.Trials(result.Trials.Select(x => x.Nonnegative.Figures).ToList(), s.Init, ImplicitL1Conclusion.ModelNames.Nonnegative));
        text.AppendLine(ImplicitL1Conclusion.Confirmation(result.Confirmations, s.InterpolationTolerance));
        text.AppendLine(ImplicitL1Conclusion.StepSize(result.StepSizeRuns, result.StepSizeSlope));
        text.AppendLine(SignedAnswer(result));
        return text.ToString();
    }

    private static string AnswerOf(ImplicitL1Result result)
    {
        var (t, s) = (result.First, result.Settings);
        string generality = ImplicitL1Conclusion.Generality(result.Trials.Select(x => x.Nonnegative.Figures).ToList(), s.Init);
        return ImplicitL1Conclusion.Answer(t.Nonnegative.Figures, s.Init, ImplicitL1Conclusion.ModelNames.Nonnegative,
                t.Nonnegative.Gd.Diverged ? ImplicitL1Conclusion.DivergenceCause(t.Problem, s.Init) : "", generality)
            + " " + ImplicitL1Conclusion.MinL1Sentence(t.MinL1Gap, t.Nonnegative.Tolerance);
    }

    private static string SignedAnswer(ImplicitL1Result result)
    {
        var s = result.Settings;
        var signed = result.Trials.Select(x => x.Signed.Figures).ToList();
        string generality = ImplicitL1Conclusion.Generality(signed, s.Init);
        string answer = ImplicitL1Conclusion.Answer(result.First.Signed.Figures, s.Init, ImplicitL1Conclusion.ModelNames.Signed, generality: generality);
        return "For the signed model, " + char.ToLowerInvariant(answer[0]) + answer[1..] + " "
            + ImplicitL1Conclusion.Trials(signed, s.Init, ImplicitL1Conclusion.ModelNames.Signed);
    }

    private static string I(FormattableString s) => ReportFormat.Invariant(s);

    /// <summary>A distance to a diverged run's iterate is not defined: an empty cell (the trials CSV marks the run).</summary>
    private static string Defined(double v) => double.IsFinite(v) ? Csv.Number(v) : "";

    public ReportSection Report(RunContext ctx)
    {
        var s = ctx.Quick ? ImplicitL1Settings.Quick : ImplicitL1Settings.Default;
        var result = ImplicitL1Experiment.Run(ctx.Experiment, s);
        var t = result.First;
        Write(ctx, result);
        if (!ctx.Quiet) ctx.Out.Write(Summary(result));
        var md = new StringBuilder();
        md.AppendLine(I($"**Question (HW3 2(e)).** Gradient descent on the factorized least squares 1/2||A(x⊙x) - y||^2 (A {s.Rows} x {s.Cols} Gaussian with unit-norm columns, x* {s.Sparsity}-sparse and nonnegative, y = Ax*) from x0 = {s.Init:G3}·1 with eta = {s.LearningRate:G3} for {s.Steps:N0} steps: how does its path compare with the Lasso path, and do both end at the same point, the minimum-l1-norm solution?"));
        md.AppendLine();
        md.AppendLine("![paths](implicit-l1/implicit_l1_paths.png)");
        md.AppendLine();
        md.AppendLine("Left: the exact Lasso path (homotopy) against -log10(lambda); right: the coordinates of x⊙x along gradient descent; each coordinate where x* is nonzero has one color in both panels and its name in the legend, the others are grey. "
            + "The nonnegative Lasso path is in `implicit-l1/implicit_l1_paths_positive.png`; every figure has a CSV of the same base name.");
        md.AppendLine();
        md.AppendLine("**Method beyond the homework.** With w = x⊙x the gradient flow is dw/dt = -4 w ⊙ Aᵀ(Aw - y), so w(t) = a² exp(Aᵀν(t)) and its limit w_inf(a) is the exact entropic projection "
            + "argmin Σ w_i log(w_i/a²) - w_i subject to Aw = y, w ≥ 0, computed by Newton's method on its dual to ||Aw - y|| ≤ 1e-12·||y||. The distance between a finite run and the minimum-l1 solution then splits in two: "
            + "the run's distance to w_inf(a) (more steps close it) and w_inf(a)'s distance to the minimum-l1 solution (only a smaller a closes it). The same projection with the run's last iterate as the prior gives where that run is heading.");
        md.AppendLine();
        md.AppendLine("```");
        md.Append(Table(result));
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"**Answer.** {AnswerOf(result)} {ImplicitL1Conclusion.OrderSentence(t)}");
        md.AppendLine();
        md.AppendLine("![a-sweep](implicit-l1/implicit_l1_a_sweep.png)");
        md.AppendLine();
        md.AppendLine(ImplicitL1Conclusion.Trials(result.Trials.Select(x => x.Nonnegative.Figures).ToList(), s.Init, ImplicitL1Conclusion.ModelNames.Nonnegative));
        md.AppendLine();
        md.AppendLine(ImplicitL1Conclusion.Confirmation(result.Confirmations, s.InterpolationTolerance) + " " + ImplicitL1Conclusion.StepSize(result.StepSizeRuns, result.StepSizeSlope));
        md.AppendLine();
        md.AppendLine("![step size](implicit-l1/implicit_l1_step_size.png)");
        md.AppendLine();
        md.AppendLine("**Beyond the homework: the signed model.** Gradient descent on 1/2||A(u⊙u - v⊙v) - y||^2 from u0 = v0 = a·1 has the flow limit 2a² sinh(Aᵀν), the minimizer of the hypentropy potential (Woodworth et al. 2020) subject to Aw = y; it is the factorized counterpart of the signed Lasso path (`implicit-l1/implicit_l1_paths_signed_model.png`).");
        md.AppendLine();
        md.AppendLine(SignedAnswer(result));
        md.AppendLine();
        md.AppendLine("**Files.** Each instance is in `implicit-l1/trial<k>/`: `A.csv`, `y.csv`, `x_star.csv` and `flow_limit.csv` (per coordinate: x*, both minimum-l1 solutions, both flow limits, gradient descent's last iterates, in the signed model also its last u⊙u and v⊙v, and where their flows are heading); "
            + "`implicit-l1/settings.csv` has every setting: the seed, a, eta and steps of the homework's run, the a-sweep's scales, and the a, eta, tolerance, step budget and check interval of the runs to interpolation. Per instance and model, the distances are in `implicit-l1/implicit_l1_trials.csv`; the confirmation and step-size runs in `implicit-l1/implicit_l1_limit_checks.csv`.");
        return new ReportSection("Homework 3, problem 2 (e): implicit l1 regularization of factorized gradient descent (engine implicit-l1)", md.ToString());
    }
}
