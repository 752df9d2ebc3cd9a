using System.Globalization;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.MatrixCompletion;
using Engine.Experiments.Text;
using Engine.Kernels.Completion;
using Engine.Kernels.Factorized;

namespace Engine.Cli.MatrixCompletion;

/// <summary>Writes the experiment's CSVs and figure, and formats its console summary and report section.</summary>
public static class MatrixCompletionFiles
{
    public const string Figure = "relative_distance.png";

    private static string F(double v) => Csv.Number(v);
    /// <summary>
    /// The effective rank, or <paramref name="undefined"/> for the <see cref="SpectralSummary.Undefined"/> summary of a
    /// diverged run: NaN in the CSV's diverged row, n/a in the console table like its other undefined cells.
    /// </summary>
    private static string Rank(SpectralSummary s, string undefined) =>
        double.IsNaN(s.NuclearNorm) ? undefined : s.EffectiveRank.ToString(CultureInfo.InvariantCulture);

    /// <summary>An error on the unobserved entries, or an empty cell when every entry is observed and there is none to measure.</summary>
    private static string Unobserved(CompletionRegime g, double error) =>
        g.Instance.ObservedPairs == g.Instance.D * (g.Instance.D + 1) / 2 ? "" : F(error);

    /// <summary>A quantity that is not defined for this run (no certified optimum, or a diverged run) is an empty cell.</summary>
    private static string Defined(double value) => double.IsFinite(value) ? F(value) : "";

    /// <summary>A console table cell: the value in <paramref name="format"/>, or n/a where it is not defined (NaN or infinite).</summary>
    private static string Cell(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Tag(double fraction) => "fraction" + fraction.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Writes every file into <c>ctx.OutputDirectory</c>; <paramref name="verdicts"/> name the run each regime's answer quotes.</summary>
    /// <param name="ownOptions">Whether the running command takes matrix-completion's options (see <see cref="MatrixCompletionConclusion.Overall"/>).</param>
    public static void Write(RunContext ctx, MatrixCompletionResult results, IReadOnlyList<RegimeVerdict> verdicts, bool ownOptions = true)
    {
        var s = results.Settings;
        int d = s.D;

        Csv.WriteRows(ctx.PathOf("runs.csv"),
            ["fraction", "alpha", "eta", "outcome", "steps", "final_loss", "rel_dist_to_optimal_set", "rel_dist_accuracy", "rel_dist_to_Xnuc", "rel_dist_to_Y",
             "rel_err_unobserved", "rel_residual_observed", "nuclear_norm_Xgd", "min_trace", "nuclear_norm_excess", "effective_rank_Xgd", "effective_rank_Xnuc"],
            results.Runs.Select(r =>
            {
                CompletionRegime g = results.Regimes[r.Regime];
                return (IReadOnlyList<string>)[F(g.Instance.Fraction), F(r.Alpha), F(r.Eta), r.Gd.Outcome.ToString(), r.Gd.Steps.ToString(CultureInfo.InvariantCulture),
                    F(r.Gd.FinalLoss), Defined(r.DistanceToOptimalSet), Defined(r.DistanceAccuracy), F(r.DistanceToNuclear), F(r.DistanceToTruth), Unobserved(g, r.UnobservedError), F(r.ObservedResidual),
                    F(r.Spectrum.NuclearNorm), F(g.Nuclear.Certificate.PrimalObjective), Defined(r.NuclearExcess), Rank(r.Spectrum, "NaN"),
                    g.NuclearSpectrum.EffectiveRank.ToString(CultureInfo.InvariantCulture)];
            }), divergedColumn: "outcome");

        Csv.WriteRows(ctx.PathOf("sdp_certificate.csv"),
            ["fraction", "observed_pairs", "method", "iterations", "certified", "tolerance", "trace_Xnuc", "face_dual_objective", "equality_residual",
             "psd_violation", "dual_infeasibility", "duality_gap", "slater_failed", "forced_null_directions", "full_space_dual_objective",
             "full_space_dual_infeasibility", "full_space_relative_gap", "optimal_set_dimension", "optimal_set_diameter_lower_bound", "optimal_set_probe_accuracy", "rel_dist_Y_to_optimal_set",
             "rel_dist_Xnuc_to_Y", "rel_err_unobserved_Xnuc", "nuclear_norm_Y", "effective_rank_Xnuc"],
            results.Regimes.Select(g =>
            {
                CompletionCertificate c = g.Nuclear.Certificate;
                string I(int v) => v.ToString(CultureInfo.InvariantCulture);
                return (IReadOnlyList<string>)[F(g.Instance.Fraction), I(g.Instance.ObservedPairs), c.Method.ToString(),
                    I(c.Iterations), c.Certified ? "1" : "0", F(c.Tolerance), F(c.PrimalObjective), F(c.FaceDualObjective),
                    F(c.EqualityResidual), F(c.PsdViolation), F(c.DualInfeasibility), F(c.DualityGap), g.Nuclear.Face.SlaterFailed ? "1" : "0",
                    I(g.Nuclear.Face.ForcedNullDirections), F(c.DualObjective), F(c.FullSpaceDualInfeasibility), F(c.RelativeGap),
                    g.Probe is null ? "" : I(g.Probe.AffineDimension), g.Probe is null ? "" : F(g.Probe.Diameter),
                    g.Probe is null ? "" : Defined(g.Probe.ProbeAccuracy),
                    double.IsFinite(g.TruthToOptimalSet) ? F(g.TruthToOptimalSet) : "", F(g.NuclearToTruth),
                    Unobserved(g, g.NuclearUnobservedError), F(g.TruthSpectrum.NuclearNorm), I(g.NuclearSpectrum.EffectiveRank)];
            }));

        // The instance and both solutions, so the comparison can be checked independently of this program; U0 is the
        // direction every gradient descent run starts from (U_0 = alpha U0).
        Csv.WriteMatrix(ctx.PathOf("U0.csv"), results.U0, d, d);
        WriteSettings(ctx, results, verdicts);
        for (int r = 0; r < results.Regimes.Count; r++)
        {
            CompletionRegime g = results.Regimes[r];
            string tag = Tag(g.Instance.Fraction);
            Csv.WriteMatrix(ctx.PathOf($"Y_{tag}.csv"), g.Instance.Y, d, d);
            Csv.WriteMatrix(ctx.PathOf($"omega_{tag}.csv"), g.Instance.Observed.Select(o => o ? 1.0 : 0.0).ToArray(), d, d);
            Csv.WriteMatrix(ctx.PathOf($"X_nuc_{tag}.csv"), g.Nuclear.X, d, d);
            CompletionRun best = results.Runs.Single(x => x.Regime == r && x.Alpha == verdicts[r].SmallestAlpha && x.Eta == verdicts[r].Eta);
            Csv.WriteMatrix(ctx.PathOf($"X_gd_{tag}.csv"), best.Gd.X, d, d, fromDivergedRun: best.Gd.Outcome == DescentOutcome.Diverged);
            // The directions every feasible X must annihilate, one per row, when Slater's condition fails.
            var forced = g.Nuclear.Face.ForcedNullVectors;
            if (forced.Count > 0) Csv.WriteMatrix(ctx.PathOf($"forced_null_vectors_{tag}.csv"), forced.SelectMany(v => v).ToArray(), forced.Count, d);
            // The dual certificate, so that 'certified' can be checked without this program: Lambda (D x D, zero off
            // Omega) with P^T (I - Lambda) P PSD for the face basis P (D x r, orthonormal columns; the identity where
            // Slater holds), whose <Lambda, Y> bounds every feasible trace from below on the face.
            Csv.WriteMatrix(ctx.PathOf($"dual_lambda_{tag}.csv"), g.Nuclear.FaceLambda, d, d);
            Csv.WriteMatrix(ctx.PathOf($"face_basis_{tag}.csv"), g.Nuclear.Face.Basis, d, g.Nuclear.Face.Dimension);
            // Where Slater fails, the same point lifted to the whole space (I - Lambda PSD everywhere): the dual point of
            // sdp_certificate.csv's full_space_* columns, so that gap too can be checked without this program.
            if (forced.Count > 0) Csv.WriteMatrix(ctx.PathOf($"dual_lambda_full_space_{tag}.csv"), g.Nuclear.Lambda, d, d);
        }

        var panels = new List<Panel>();
        var curveRows = new List<IReadOnlyList<string>>();
        double smallestEta = s.StepSizes.Min();
        for (int r = 0; r < results.Regimes.Count; r++)
        {
            CompletionRegime g = results.Regimes[r];
            // Plotted against 1 / alpha so that smaller initializations lie to the right.
            var curves = new List<Series>();
            for (int e = 0; e < s.StepSizes.Count; e++)
            {
                double eta = s.StepSizes[e];
                var runs = results.Runs.Where(x => x.Regime == r && x.Eta == eta).OrderBy(x => x.Alpha).ToList();
                // Diverged runs stay in the CSV but not in the figure: their distances are NaN or meaningless.
                var plotted = runs.Where(x => x.Gd.Outcome != DescentOutcome.Diverged).ToList();
                var inverse = plotted.Select(x => 1 / x.Alpha).ToList();
                // One color per step size: solid for the distance to X_nuc, dashed for the distance to Y.
                if (plotted.Count > 0)
                {
                    curves.Add(new Series($"to the optimal set, eta = {eta:G3}", inverse, plotted.Select(x => x.DistanceToOptimalSet).ToList(), ColorIndex: e));
                    curves.Add(new Series($"to Y, eta = {eta:G3}", inverse, plotted.Select(x => x.DistanceToTruth).ToList(), Dashed: true, ColorIndex: e));
                }
                foreach (var x in runs)
                    curveRows.Add([F(g.Instance.Fraction), F(eta), F(x.Alpha), Defined(x.DistanceToOptimalSet), F(x.DistanceToNuclear), F(x.DistanceToTruth), F(x.ObservedResidual), x.Gd.Outcome.ToString()]);
            }
            var floor = results.Runs.Where(x => x.Regime == r && x.Eta == smallestEta && x.Gd.Outcome != DescentOutcome.Diverged).OrderBy(x => x.Alpha).ToList();
            if (floor.Count > 0)
                curves.Add(new Series($"GD misfit on Omega, eta = {smallestEta:G3}", floor.Select(x => 1 / x.Alpha).ToList(),
                    floor.Select(x => x.ObservedResidual).ToList(), Dashed: true, ColorIndex: s.StepSizes.Count));
            panels.Add(new Panel(string.Create(ReportFormat.Provider,
                    $"{MatrixCompletionConclusion.Percent(g.Instance.Fraction)} observed: dist(Y, optimal set) = {Cell(g.TruthToOptimalSet, "0.0e+0")}, SDP {(g.Certified ? "certified" : "NOT certified")}"),
                "1 / alpha (smaller initialization to the right)", "relative distance", curves, LogX: true, LogY: true));
        }
        LinePlot.SaveGrid(ctx.PathOf(Figure), panels, columns: panels.Count, panelWidth: 900, panelHeight: 620);
        Csv.WriteRows(ctx.PathOf("relative_distance.csv"), ["fraction", "eta", "alpha", "rel_dist_to_optimal_set", "rel_dist_to_Xnuc", "rel_dist_to_Y", "rel_residual_observed", "outcome"], curveRows,
            divergedColumn: "outcome");

        AtomicFile.WriteAllText(ctx.PathOf("conclusion.txt"),
            string.Join("\n", verdicts.Select(v => v.Sentence)) + "\n" + MatrixCompletionConclusion.Overall(verdicts, ownOptions) + "\n");
    }

    /// <summary>
    /// The settings and the conventions a rerun of gradient descent elsewhere needs beyond the matrices: the loss sums
    /// over ordered pairs, so an observed off-diagonal entry counts twice (a sum over the pairs the console counts gives
    /// other step counts), the update, the stop rule, and which run each X_gd file holds.
    /// </summary>
    private static void WriteSettings(RunContext ctx, MatrixCompletionResult results, IReadOnlyList<RegimeVerdict> verdicts)
    {
        var s = results.Settings;
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        string List(IEnumerable<double> values) => string.Join(";", values.Select(F));
        var rows = new List<(string, string)>
        {
            ("seed", ctx.Seed.ToString(CultureInfo.InvariantCulture)), ("D", I(s.D)), ("rank", I(s.Rank)), ("fractions", List(s.Fractions)),
            ("alphas", List(s.Alphas)), ("step_sizes", List(s.StepSizes)), ("max_steps", I(s.MaxSteps)), ("stop_below_loss", F(s.Tolerance)),
            ("loss", "f(U) = 1/2 sum over ordered (i, j) with omega_ij = 1 of ((U U^T)_ij - Y_ij)^2: an observed off-diagonal pair counts twice"),
            ("initialization", "U_0 = alpha U0 (U0.csv), U in R^(D x D)"),
            ("update", "U_(t+1) = U_t - eta grad f(U_t) = U_t - 2 eta S U_t with S = omega .* (U_t U_t^T - Y)"),
            ("outcome", "Converged when f < stop_below_loss; BudgetExhausted after max_steps; Diverged when f is not finite or above 1e6 max(f(U_0), 1)"),
            ("sdp_tolerance", F(s.SdpTolerance)), ("sdp_max_iterations", I(s.SdpMaxIterations)),
        };
        for (int r = 0; r < results.Regimes.Count; r++)
            rows.Add(($"X_gd_{Tag(results.Regimes[r].Instance.Fraction)}.csv",
                // A sentence, not a number a program reads: in the reports' number style.
                ReportFormat.Invariant($"gradient descent at alpha = {verdicts[r].SmallestAlpha:R} and eta = {verdicts[r].Eta:R}, the run the answer quotes")));
        Csv.WriteRows(ctx.PathOf("settings.csv"), ["setting", "value"], rows.Select(v => (IReadOnlyList<string>)[v.Item1, v.Item2]));
    }

    /// <summary>The console summary: the SDP certificate of each regime, every run, and the conclusions.</summary>
    public static string Summary(MatrixCompletionResult results, IReadOnlyList<RegimeVerdict> verdicts, bool ownOptions = true)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (CompletionRegime g in results.Regimes)
        {
            CompletionCertificate c = g.Nuclear.Certificate;
            string I(FormattableString f) => f.ToString(inv);
            string face = g.Nuclear.Face.SlaterFailed
                ? I($" on a face of dimension {g.Nuclear.Face.Dimension} (Slater fails: {CountText.Of(g.Nuclear.Face.ForcedNullDirections, "forced null direction")})") : "";
            string set = g.Probe is { } p ? (p.SinglePoint ? "unique minimum" : I($"optimal set of dimension {p.AffineDimension}, spanning at least {BoundText.AtLeast(g.RelativeSpread, "E1")} of ||X_nuc||")) : "optimal set not probed";
            string truth = double.IsFinite(g.TruthToOptimalSet) ? g.TruthToOptimalSet.ToString("0.00e+0", inv) : "n/a";
            text.AppendLine(I($"fraction {g.Instance.Fraction:G3} ({g.Instance.ObservedPairs} of {g.Instance.D * (g.Instance.D + 1) / 2} pairs): X_nuc by {MatrixCompletionConclusion.MethodText(c.Method)} in {CountText.Of(c.Iterations, "iteration")}{face}, {(c.Certified ? "certified" : "NOT certified")}: ")
                + I($"primal residual {c.PrimalResidual:0.0e+0}, dual infeasibility {c.DualInfeasibility:0.0e+0}, duality gap {c.DualityGap:0.0e+0} (tol {c.Tolerance:0e+0}); ")
                + I($"trace {c.PrimalObjective:F9} vs ||Y||_* {g.TruthSpectrum.NuclearNorm:F6}; {set}; dist(Y, optimal set)/||Y|| = {truth}, effective rank of X_nuc {g.NuclearSpectrum.EffectiveRank}"));
        }
        text.AppendLine();
        text.AppendLine(string.Create(ReportFormat.Provider, $"{"fraction",8} {"alpha",8} {"eta",6} {"outcome",-15} {"steps",7} {"to opt set",10} {"within",8} {"to X_nuc",10} {"to Y",10} {"unobs err",10} {"||X_gd||*",10} {"excess",9} {"rank gd",7} {"rank nuc",8}"));
        foreach (CompletionRun r in results.Runs)
        {
            CompletionRegime g = results.Regimes[r.Regime];
            text.AppendLine(string.Create(ReportFormat.Provider,
                $"{g.Instance.Fraction,8:G3} {r.Alpha,8:G2} {r.Eta,6:G3} {MatrixCompletionConclusion.OutcomeWord(r.Gd.Outcome),-15} {r.Gd.Steps,7} {Cell(r.DistanceToOptimalSet, "0.00e+0"),10} {Cell(r.DistanceAccuracy, "0.0e+0"),8} {Cell(r.DistanceToNuclear, "0.00e+0"),10} {Cell(r.DistanceToTruth, "0.00e+0"),10} {Cell(r.UnobservedError, "0.00e+0"),10} "
                + $"{Cell(r.Spectrum.NuclearNorm, Math.Abs(r.Spectrum.NuclearNorm) < 1e5 ? "F5" : "0.000e+0"),10} {MatrixCompletionConclusion.ExcessCell(r.NuclearExcess),9} {Rank(r.Spectrum, "n/a"),7} {g.NuclearSpectrum.EffectiveRank,8}"));
        }
        text.AppendLine("(to opt set: the distance to the nearest minimum nuclear-norm completion, an upper bound, the width of its interval in the next column; n/a where a figure is not defined: no certified SDP, a diverged run, or no unobserved entries; "
            + "to opt set and to X_nuc are over ||X_nuc||_F, to Y over ||Y||_F, unobs err is the error on the unobserved entries over Y's norm there; "
            + string.Create(ReportFormat.Provider, $"effective ranks count eigenvalues above {SpectralSummary.RankThreshold:G} times the largest")
            + (results.Runs.Any(r => MatrixCompletionConclusion.ShownNegative(r.NuclearExcess)) ? "; " + MatrixCompletionConclusion.NegativeExcessNote : "") + ")");
        foreach (CompletionRun r in results.Runs.Where(r => r.Gd.Outcome == DescentOutcome.Diverged))
            text.AppendLine(string.Create(ReportFormat.Provider,
                $"diverged: fraction {results.Regimes[r.Regime].Instance.Fraction:G3}, alpha = {r.Alpha:G3}, eta = {r.Eta:G3}, at step {r.Gd.Steps} ({(double.IsFinite(r.Gd.FinalLoss) ? "the loss passed 1e6 times max(its start, 1)" : "the loss is not finite")})"));
        text.AppendLine();
        foreach (RegimeVerdict v in verdicts)
        {
            string sdp = v.Certified
                ? string.Create(ReportFormat.Provider, $"(SDP certified, worst measure {v.SdpWorstMeasure:0.0e+0}; dist(Y, optimal set) {Cell(v.TruthToOptimalSet, "0.00e+0")})") : "(SDP NOT certified)";
            text.AppendLine(string.Create(ReportFormat.Provider,
                $"fraction {v.Fraction:G3}: at alpha = {v.SmallestAlpha:G3}, eta = {v.Eta:G3}{(v.Outcome == DescentOutcome.Diverged ? " (diverged)" : "")}: distance to the optimal set {Cell(v.DistanceToOptimalSet, "0.00e+0")}, to the solver's X_nuc {Cell(v.DistanceToNuclear, "0.00e+0")}  {sdp}"));
        }
        text.AppendLine();
        foreach (RegimeVerdict v in verdicts) text.AppendLine(v.Sentence);
        text.AppendLine(MatrixCompletionConclusion.Overall(verdicts, ownOptions));
        return text.ToString();
    }

    /// <summary>
    /// The report section of <c>engine all</c>, which takes none of matrix-completion's options: the question, the
    /// figure, the key numbers and the answer, all from this run.
    /// </summary>
    public static ReportSection Report(MatrixCompletionResult results, IReadOnlyList<RegimeVerdict> verdicts, string folder)
    {
        var s = results.Settings;
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("**Question (homework 3, problem 2 (f)).** Gunasekar et al. conjecture that gradient descent on "
            + "`1/2 sum_{(i,j) in Omega} ((U U^T)_ij - Y_ij)^2` (Omega holds both (i, j) and (j, i) of an observed pair, so an off-diagonal pair counts twice), "
            + "with `U` square, a small step and an initialization near zero, "
            + "converges to the minimum nuclear-norm completion of `Y`. We test it by solving that completion as an SDP "
            + "(`min trace(X) s.t. X_Omega = Y_Omega, X PSD`): facial reduction first (every fully observed singular principal block of Y "
            + "forces null directions on every feasible X, and then no X is positive definite: Slater's condition fails), then a primal-dual "
            + "interior-point method on the face, certified only when the primal residual, dual infeasibility and duality gap are all within "
            + "tolerance. Where the minimum is not unique, gradient descent started at `alpha * U0` (decreasing `alpha`) is measured against "
            + "the nearest minimum nuclear-norm completion, beside the nuclear-norm excess.");
        md.AppendLine();
        md.AppendLine(string.Create(ReportFormat.Provider, $"Setup: D = {s.D}, Y = W W^T of rank {s.Rank} scaled to largest eigenvalue 1, Omega symmetric with the given fraction of the "
            + $"{s.D * (s.D + 1) / 2} pairs i <= j (diagonal included) drawn uniformly, independently per regime; U0 Gaussian with unit Frobenius norm; Y and U0 are shared by every run; "
            + $"every alpha is run with each step size {string.Join(", ", s.StepSizes.Select(x => x.ToString("G3", inv)))}, and each regime's answer quotes, at the smallest alpha, the smaller step size among the runs that converged and fit the observed entries (if none did, among those that fit; the table's eta); stop when the loss is below {s.Tolerance:0e+0} or after {s.MaxSteps:N0} steps. "
            + $"Effective rank counts eigenvalues above {SpectralSummary.RankThreshold:G} times the largest. "
            + $"The certificate's measures: the primal residual is the larger of ||P_Omega(X - Y)||_F / (1 + ||P_Omega(Y)||_F) "
            + $"and max(0, -lambda_min(X)) / (1 + ||X||_F), the dual infeasibility max(0, -lambda_min(P^T (I - Lambda) P)) on the face P "
            + $"(the objective's matrix is I, so it needs no scaling), and the duality gap |trace(X) - <Lambda, Y>| / (1 + |trace(X)| + |<Lambda, Y>|)."));
        md.AppendLine();
        md.AppendLine($"![relative distance against alpha]({folder}/{Figure})");
        md.AppendLine();
        md.AppendLine("| observed | SDP (worst measure) | dist(Y, optimal set)/‖Y‖ | alpha | eta | dist(X_GD, optimal set)/‖Y‖ | ‖X_GD − Y‖/‖Y‖ | nuclear-norm excess | dist(X_GD, optimal set)/‖Y‖ at the largest alpha | GD outcome |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (RegimeVerdict v in verdicts)
            md.AppendLine(string.Create(ReportFormat.Provider, $"| {MatrixCompletionConclusion.Percent(v.Fraction)} | {(v.Certified ? $"certified ({v.SdpWorstMeasure:0.0e+0})" : "NOT certified")} | {Cell(v.TruthToOptimalSet, "0.00e+0")} | {v.SmallestAlpha:G3} | {v.Eta:G3} | {Cell(v.DistanceToOptimalSet * v.NuclearToTruthNorm, "0.00e+0")} | {Cell(v.DistanceToTruth, "0.00e+0")} | {MatrixCompletionConclusion.ExcessCell(v.NuclearExcess)} | {Cell(v.DistanceToSetAtLargestAlpha * v.NuclearToTruthNorm, "0.00e+0")}{(v.LargestAlphaOutOfSteps ? " (out of steps)" : "")} | {MatrixCompletionConclusion.OutcomeText(v.Outcome, v.Steps)} |"));
        if (verdicts.Any(v => MatrixCompletionConclusion.ShownNegative(v.NuclearExcess)))
        {
            md.AppendLine();
            md.AppendLine("In the excess column, " + MatrixCompletionConclusion.NegativeExcessNote + ".");
        }
        md.AppendLine();
        md.AppendLine("Every distance in the table is divided by ||Y||_F, so the columns compare directly (the sentences below and `runs.csv` "
            + "give gradient descent's distance to the optimal set over ||X_nuc||_F as well). Each distance of gradient descent to the optimal set "
            + "is its distance to the nearest optimal completion found, an upper bound; the true distance is at most `runs.csv`'s "
            + "`rel_dist_accuracy` (over ||X_nuc||_F) below it. The SDP column's figure is the certificate's worst measure. A run marked out of "
            + "steps used its whole budget: its distance is where it stopped, not where it was going.");
        md.AppendLine();
        md.AppendLine("**Answer.** " + MatrixCompletionConclusion.Overall(verdicts, ownOptions: false));
        md.AppendLine();
        foreach (RegimeVerdict v in verdicts) md.AppendLine("- " + v.Sentence);
        md.AppendLine();
        md.AppendLine($"Files: `{folder}/runs.csv` (every run), `{folder}/sdp_certificate.csv` (the certificate on the face; its `full_space_*` columns are the same dual point lifted to the whole space, "
            + "a bound that needs no rank decision but whose gap need not close where Slater's condition fails, so they are reported, not required), "
            + $"`{folder}/relative_distance.csv` (the figure's data), "
            + $"`{folder}/conclusion.txt`, and per regime the instance `Y_*.csv`, `omega_*.csv`, the solutions `X_nuc_*.csv`, `X_gd_*.csv` "
            + "(gradient descent at the smallest alpha, the run the answer quotes), the certificate's dual point `dual_lambda_*.csv` and face basis `face_basis_*.csv` "
            + "(P^T (I - Lambda) P is PSD and <Lambda, Y> is the lower bound the duality gap compares with trace(X_nuc)) and, where Slater's condition fails, `forced_null_vectors_*.csv` and the lifted dual point `dual_lambda_full_space_*.csv` (I - Lambda PSD in the whole space); "
            + "`U0.csv` is the direction every run starts from (U_0 = alpha U0); "
            + $"`{folder}/settings.csv` has the seed, every setting, the loss (over ordered pairs: an observed off-diagonal entry counts twice), the update, the stop rule and which run each `X_gd_*.csv` holds.");
        return new ReportSection("Homework 3, problem 2 (f), bonus: implicit regularization in matrix completion (engine matrix-completion)", md.ToString());
    }
}
