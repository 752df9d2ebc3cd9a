using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.Context;
using Engine.Experiments.MinNorm;
using Engine.Experiments.Text;

namespace Engine.Cli.MinNorm;

/// <summary><c>engine min-norm</c>: companions of homework 3, problem 2 (a)-(d), with their figure and report section.</summary>
public sealed class MinNormCommand : IReportedCommand
{
    // Bounds that keep a run within memory and minutes: A is held whole (at most 160 MB), A A^T is factored in
    // O(n^3), and every step costs two products with A.
    public const int MaxRows = 4_000, MaxCols = 1_000_000, MaxSteps = 1_000_000;
    public const long MaxEntries = 20_000_000;

    public string Folder => "min-norm";

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var rows = Options.Int("--rows", MinNormExperiment.DefaultRows, "n, rows of A (samples)", max: MaxRows);
        var cols = Options.Int("--cols", MinNormExperiment.DefaultCols, "m, columns of A (unknowns); must exceed --rows", min: 2, max: MaxCols);
        var steps = Options.Int("--steps", MinNormExperiment.DefaultSteps, "Gradient-descent steps", max: MaxSteps);
        var command = new Command("min-norm", "HW3 2(a)-(d): minimum-l2-norm solution, smoothness constant, and where gradient descent with step 1/L goes from 0 and from a random start");
        common.AddTo(command, CommonOption.Out | CommonOption.Seed | CommonOption.Quiet);
        command.Options.Add(rows);
        command.Options.Add(cols);
        command.Options.Add(steps);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(rows), m = parse.GetValue(cols);
            if (n >= m) throw new UsageException($"--rows ({n}) must be smaller than --cols ({m}) for an under-determined problem.");
            if ((long)n * m > MaxEntries) throw new UsageException($"--rows x --cols = {(long)n * m:N0} entries of A, more than {MaxEntries:N0}.");
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            var result = MinNormExperiment.Run(n, m, parse.GetValue(steps), ctx.Experiment.Sampler(), ctx.Experiment.Progress);
            // A.csv alone is seconds at the largest sizes (20 million entries: 2.3 s on two Zen 4 cores).
            ctx.Experiment.Progress.RunAsOneStep("min-norm: writing files", () => Write(ctx, result));
            ctx.Out.Write(Summary(result));
            return 0;
        });
        return [command];
    }

    public static void Write(RunContext ctx, MinNormResult result)
    {
        // The instance: A (its columns are the coordinates of x), y, and the random start x0.
        Csv.WriteMatrix(ctx.PathOf("A.csv"), result.A, result.Rows, result.Cols, Enumerable.Range(1, result.Cols).Select(j => $"x{j}").ToArray());
        Csv.WriteColumns(ctx.PathOf("y.csv"), ["y"], [result.Y]);
        Csv.WriteColumns(ctx.PathOf("x0.csv"), ["x0"], [result.X0]);
        // A run that diverged is written up to its last finite step; the summary and the answer name it.
        int steps = result.DivergedAtStep ?? result.Steps + 1;
        var k = Enumerable.Range(0, steps).Select(i => (double)i).ToArray();
        var bound = k.Select(i => result.ErrorFromRandom[0] * Math.Pow(result.RateBound, i)).ToArray();
        Csv.WriteColumns(ctx.PathOf("min_norm_convergence.csv"),
            ["iteration", "distance_from_zero_run_to_min_norm", "distance_from_random_run_to_its_limit", "bound_from_random_start"],
            [k, result.ErrorFromZero[..steps], result.ErrorFromRandom[..steps], bound]);
        LinePlot.Save(ctx.PathOf("min_norm_convergence.png"), new Panel(
            $"Gradient descent with eta = 1/L on 1/2||Ax - y||^2 (A {result.Rows} x {result.Cols})", "iteration", "distance to limit",
            [
                new Series("from x0 = 0: ||x_k - x_hat||", k, result.ErrorFromZero[..steps]),
                new Series("from random x0: ||x_k - (x_hat + P_N x0)||", k, result.ErrorFromRandom[..steps]),
                new Series($"bound from random x0: e_0 (1 - lambda_min+/L)^k = e_0 ({MinNormConclusion.RateText(result.RateBound, 4)})^k", k, bound, Dashed: true),
            ], LogY: true, LegendInside: true));
    }

    /// <summary>
    /// The console block, one line per part of the homework in its order: (a) the solutions, (b) the smoothness constant
    /// and step, (c) where gradient descent goes from a random start, (d) from 0; then both runs' rate per step.
    /// </summary>
    public static string Summary(MinNormResult r)
    {
        var s = new System.Text.StringBuilder();
        s.AppendLine(Invariant($"A: {r.Rows} x {r.Cols}, standard Gaussian"));
        s.AppendLine(Invariant($"(a) x_hat = A^T (A A^T)^-1 y: ||A x_hat - y|| = {r.ResidualOfMinimumNorm:0.00e+0}"));
        s.AppendLine(Invariant($"(b) smoothness {MinNormConclusion.SmoothnessCondition} holds with eta = 1/L = {r.Eta:G6}: L = lambda_max(A^T A) = {r.L:G6}; lambda_min+(A A^T) = {r.SmallestPositiveEigenvalue:G6}"));
        s.AppendLine(Invariant($"(c) from a random x0 after {CountText.Of(r.Steps, "step")}: ||x - (x_hat + P_N x0)|| = {r.DistanceRandomRunToPredictedLimit:0.00e+0}, with ||x - x_hat|| = {r.DistanceFromRandomRun:G6} and ||P_N x0|| (null-space part of x0) = {r.NullSpaceNormOfStart:G6}"));
        s.AppendLine(Invariant($"(d) from x0 = 0 after {CountText.Of(r.Steps, "step")}: ||x - x_hat|| = {r.DistanceFromZeroRun:0.00e+0}"));
        string bound = Invariant($"bound 1 - lambda_min+/L = {MinNormConclusion.RateText(r.RateBound, 6)}");
        s.AppendLine(r.DivergedAtStep is not null
            ? $"rate per step: not measured, a run diverged; {bound}"
            : Invariant($"rate per step (geometric mean of e_(k+1)/e_k past the first tenth of the steps with e_k > {ContractionRate.RoundingFraction:0e+0} e_0): from 0 {MinNormConclusion.RateSummary(r.RateFromZero, r.Steps)}; from random {MinNormConclusion.RateSummary(r.RateFromRandom, r.Steps)}; {bound}"));
        if (r.DivergedAtStep is int step) s.AppendLine(Invariant($"DIVERGED: the error of gradient descent is not finite from step {step} on."));
        return s.ToString();
    }

    private static string Invariant(FormattableString s) => ReportFormat.Invariant(s);

    public ReportSection Report(RunContext ctx)
    {
        var r = MinNormExperiment.Run(MinNormExperiment.DefaultRows, MinNormExperiment.DefaultCols, MinNormExperiment.DefaultSteps, ctx.Experiment.Sampler());
        Write(ctx, r);
        if (!ctx.Quiet) ctx.Out.Write(Summary(r));
        var md = new System.Text.StringBuilder();
        md.AppendLine(ReportFormat.Invariant($"**Question (HW3 2(a)-(d)).** For under-determined least squares f(x) = 1/2||Ax - y||^2 (A {r.Rows} x {r.Cols}, full row rank): the solutions, the smoothness constant, and the limit of gradient descent with step 1/L from 0 and from elsewhere."));
        md.AppendLine();
        md.AppendLine("![convergence](min-norm/min_norm_convergence.png) (data: `min-norm/min_norm_convergence.csv`)");
        md.AppendLine();
        md.AppendLine("```");
        md.Append(Summary(r));
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("**Answer.** " + MinNormConclusion.Answer(r));
        md.AppendLine();
        md.AppendLine("**Why.** " + MinNormConclusion.Reasons);
        md.AppendLine();
        md.AppendLine("Instance: `min-norm/A.csv` (A, one row per line, column x<j> the coefficient of x_j), `min-norm/y.csv` and `min-norm/x0.csv` (the random start); `min-norm/min_norm_convergence.csv` holds both runs' distances to their limits and the bound at every step.");
        return new ReportSection("Homework 3, problem 2 (a)-(d): under-determined least squares, the minimum-norm solution and gradient descent (engine min-norm)", md.ToString());
    }
}
