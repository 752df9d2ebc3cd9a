using System.Diagnostics;
using System.Globalization;
using System.Text;
using Engine.Experiments.Context;
using Engine.Kernels.Factorized;
using Engine.Kernels.Lasso;
using Engine.Kernels.Random;

namespace Engine.Experiments.ImplicitL1;

/// <summary>The numbers of <c>engine implicit-l1</c>; every field is an option of the command.</summary>
public sealed record ImplicitL1Settings(int Rows = 20, int Cols = 40, int Sparsity = 10, int Steps = 300_000,
    double LearningRate = 1e-3, double Init = 1e-3, int RecordEvery = 10, double MatchTolerance = 1e-2);

/// <summary>How one solution compares with the gradient-descent limit.</summary>
public sealed record Comparison(string Name, double L1Norm, double MaxAbsDifferenceToGd, double Residual);

/// <summary>One run of problem 2(e): the instance, both Lasso paths, the recorded GD iterates and the comparisons.</summary>
public sealed record ImplicitL1Result(
    ImplicitL1Settings Settings, ImplicitL1Problem Problem, HomotopyPath Signed, HomotopyPath Positive,
    double[] Record, int RecordedRows, int StepsDone, double GdMilliseconds, FactorizedLeastSquaresVariant Variant,
    double[] GdLimit, Comparison Gd, Comparison MinL1Signed, Comparison MinL1Positive, Comparison XStar,
    int[] EntryOrderGd, int[] EntryOrderLasso, double EntryThreshold)
{
    /// <summary>How many leading places the two entry orders share.</summary>
    public int SharedEntryPrefix
    {
        get
        {
            int k = 0;
            while (k < Math.Min(EntryOrderGd.Length, EntryOrderLasso.Length) && EntryOrderGd[k] == EntryOrderLasso[k]) k++;
            return k;
        }
    }

    public bool Diverged => StepsDone < Settings.Steps || GdLimit.Any(v => !double.IsFinite(v));

    /// <summary>
    /// The steps between which a diverged run's iterate stopped being finite: the kernels test finiteness once per
    /// recorded chunk, so the first non-finite step is known to a chunk. Null when the run did not diverge.
    /// </summary>
    public (int First, int Last)? DivergenceWindow => Diverged
        ? (Math.Max(0, StepsDone - 1) / Settings.RecordEvery * Settings.RecordEvery + 1, StepsDone)
        : null;

    /// <summary>
    /// The leading recorded rows whose iterate is finite: all rows the run wrote when it did not diverge, the rows
    /// before the first non-finite one when it did (rows after a stop were never written).
    /// </summary>
    public int FiniteRecordedRows
    {
        get
        {
            int written = FactorizedLeastSquaresDescent.RecordRows(StepsDone, Settings.RecordEvery);
            int m = Settings.Cols;
            for (int k = 0; k < written; k++)
                for (int j = 0; j < m; j++)
                    if (!double.IsFinite(Record[k * m + j])) return k;
            return written;
        }
    }

    /// <summary>The scale differences are judged on: the largest coefficient of the nonnegative min-l1 solution.</summary>
    public double Scale => Math.Max(Positive.End.Max(Math.Abs), 1e-300);

    /// <summary>Whether the GD limit is within the match tolerance (relative to <see cref="Scale"/>) of that solution.</summary>
    public bool Matches(Comparison c) => !Diverged && c.MaxAbsDifferenceToGd <= Settings.MatchTolerance * Scale;
}

/// <summary>
/// Homework 3, problem 2(e): does gradient descent on <c>1/2 ||A(x ⊙ x) - y||^2</c> from a small initialization end
/// at the minimum-l1-norm solution, where the Lasso path ends?
/// </summary>
public static class ImplicitL1Experiment
{
    /// <summary>
    /// <paramref name="trials"/> independent instances, trial t drawn from split t of the run's seed, in parallel;
    /// the numbers do not depend on the thread count.
    /// </summary>
    public static ImplicitL1Result[] RunTrials(ExperimentContext ctx, ImplicitL1Settings settings, int trials)
    {
        var results = new ImplicitL1Result[trials];
        var root = ctx.Sampler();
        ctx.Progress.Run("implicit-l1 trials", trials, sink =>
            ctx.ParallelFor(trials, t =>
            {
                results[t] = Run(settings, root.Split((ulong)t));
                sink.Advance(1);
            }));
        return results;
    }

    public static ImplicitL1Result Run(ImplicitL1Settings s, NormalSampler sampler)
    {
        var problem = ImplicitL1Problem.Generate(s.Rows, s.Cols, s.Sparsity, sampler);
        var lasso = LassoProblem.FromRowMajor(problem.A, s.Rows, s.Cols, problem.Y);
        var signed = Homotopy.Path(lasso, positive: false);
        var positive = Homotopy.Path(lasso, positive: true);

        var gd = new FactorizedLeastSquaresDescent(problem.A, s.Rows, s.Cols, problem.Y);
        int recorded = FactorizedLeastSquaresDescent.RecordRows(s.Steps, s.RecordEvery);
        var record = new double[recorded * s.Cols];
        var x = new double[s.Cols];
        Array.Fill(x, s.Init);
        var clock = Stopwatch.StartNew();
        int done = gd.Run(x, s.LearningRate, s.Steps, s.RecordEvery, record);
        double ms = clock.Elapsed.TotalMilliseconds;
        // The regressor gradient descent fits is the effective w = x ⊙ x.
        var limit = x.Select(v => v * v).ToArray();

        // The order in which coordinates first reach the match tolerance of the solution's scale: along gradient
        // descent (x_i^2 over the recorded iterates) and along the nonnegative Lasso path (lambda decreasing).
        double threshold = s.MatchTolerance * Math.Max(positive.End.Max(Math.Abs), 1e-300);
        var gdEntry = new double[s.Cols];
        var lassoEntry = new double[s.Cols];
        Array.Fill(gdEntry, double.PositiveInfinity);
        Array.Fill(lassoEntry, double.PositiveInfinity);
        for (int k = 0; k < recorded; k++)
            for (int j = 0; j < s.Cols; j++)
                if (double.IsPositiveInfinity(gdEntry[j]) && record[k * s.Cols + j] * record[k * s.Cols + j] >= threshold) gdEntry[j] = k;
        const int gridPoints = 2000;
        double top = positive.Alphas[0], bottom = top * 1e-6;
        for (int k = 0; k < gridPoints; k++)
        {
            var w = positive.At(top * Math.Pow(bottom / top, k / (gridPoints - 1.0)));
            for (int j = 0; j < s.Cols; j++)
                if (double.IsPositiveInfinity(lassoEntry[j]) && Math.Abs(w[j]) >= threshold) lassoEntry[j] = k;
        }

        return new ImplicitL1Result(s, problem, signed, positive, record, recorded, done, ms, gd.Fastest, limit,
            Compare("gradient descent x ⊙ x", limit, limit, problem),
            Compare("signed min-l1 (Lasso end)", signed.End, limit, problem),
            Compare("nonnegative min-l1 (positive Lasso end)", positive.End, limit, problem),
            Compare("x*", problem.XStar, limit, problem),
            EntryOrder(gdEntry), EntryOrder(lassoEntry), threshold);
    }

    /// <summary>
    /// The time of each kernel variant for the run's step count, extrapolated from the fastest of 2,000 chunks of
    /// 1,000 steps: a chunk that short usually runs without being preempted, so the minimum is the machine's speed
    /// rather than its load.
    /// </summary>
    public static string KernelTimes(ImplicitL1Result r)
    {
        var s = r.Settings;
        var gd = new FactorizedLeastSquaresDescent(r.Problem.A, s.Rows, s.Cols, r.Problem.Y);
        const int chunk = 1000, repeats = 2000;
        var record = new double[FactorizedLeastSquaresDescent.RecordRows(chunk, s.RecordEvery) * s.Cols];
        var x = new double[s.Cols];
        var text = new StringBuilder();
        foreach (var variant in gd.Available())
        {
            if (variant == FactorizedLeastSquaresVariant.Scalar) continue;
            Array.Fill(x, s.Init);
            double best = double.PositiveInfinity;
            for (int k = 0; k < repeats; k++)
            {
                long start = Stopwatch.GetTimestamp();
                gd.Run(x, s.LearningRate, chunk, s.RecordEvery, record, variant);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"kernel {variant,-12}: {best * 1e6 / chunk:F1} ns per step (best of {repeats} x {chunk} steps), {best * s.Steps / chunk:F2} ms for {s.Steps} steps"));
        }
        return text.ToString();
    }

    private static int[] EntryOrder(double[] entry) =>
        Enumerable.Range(0, entry.Length).Where(j => double.IsFinite(entry[j])).OrderBy(j => entry[j]).ThenBy(j => j).ToArray();

    private static Comparison Compare(string name, double[] w, double[] limit, ImplicitL1Problem problem)
    {
        double diff = 0;
        for (int j = 0; j < w.Length; j++) diff = Math.Max(diff, Math.Abs(w[j] - limit[j]));
        if (limit.Any(v => !double.IsFinite(v))) diff = double.NaN;
        return new Comparison(name, w.Sum(Math.Abs), diff, problem.ResidualNorm(w));
    }
}
