using System.Diagnostics;
using System.Text;
using Engine.Experiments.Context;
using Engine.Experiments.Text;
using Engine.Kernels.Factorized;
using Engine.Kernels.FlowLimit;
using Engine.Kernels.Lasso;
using Engine.Kernels.Random;

namespace Engine.Experiments.ImplicitL1;

/// <summary>One instance of problem 2(e): the data, both exact Lasso paths and both factorized models against them.</summary>
/// <param name="EntryOrderGd">The order in which coordinates of the nonnegative run first reach <paramref name="EntryThreshold"/>.</param>
/// <param name="EntryOrderLasso">The same along the nonnegative Lasso path, lambda decreasing.</param>
public sealed record ImplicitL1Trial(
    int Index, ImplicitL1Problem Problem, HomotopyPath SignedPath, HomotopyPath PositivePath,
    ModelOutcome Nonnegative, ModelOutcome Signed, int[] EntryOrderGd, int[] EntryOrderLasso, double EntryThreshold)
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

    /// <summary>max|w_l1(nonnegative) - w_l1(signed)|: whether the two Lasso paths end at the same point.</summary>
    public double MinL1Gap => Distance.MaxAbs(Nonnegative.MinL1, Signed.MinL1);
}

/// <summary>Everything <c>engine implicit-l1</c> computed: every instance, and on the first the runs that check the flow limit.</summary>
/// <param name="Confirmations">Gradient descent run to interpolation at each confirmation scale (first instance).</param>
/// <param name="StepSizeRuns">Gradient descent run to interpolation at each step size, one scale (first instance).</param>
public sealed record ImplicitL1Result(ImplicitL1Settings Settings, IReadOnlyList<ImplicitL1Trial> Trials,
    IReadOnlyList<LimitCheck> Confirmations, IReadOnlyList<LimitCheck> StepSizeRuns)
{
    /// <summary>The instance the figures show.</summary>
    public ImplicitL1Trial First => Trials[0];

    /// <summary>The fitted exponent of the distance between discrete gradient descent and the flow limit in eta.</summary>
    public double StepSizeSlope => LimitCheck.Slope(StepSizeRuns);
}

/// <summary>
/// Homework 3, problem 2(e): does gradient descent on <c>1/2 ||A(x ⊙ x) - y||^2</c> from a small initialization end
/// at the minimum-l1-norm solution, where the Lasso path ends? Answered with the exact limit of the gradient flow
/// (<see cref="EntropicProjection"/>), so that a finite run's distance to the answer splits into the steps still to
/// go and the bias of the initialization scale; and the same for the signed model <c>u ⊙ u - v ⊙ v</c>.
/// </summary>
public static class ImplicitL1Experiment
{
    /// <summary>
    /// Every instance (instance t from split t of the run's seed, in parallel), then the confirmation and step-size
    /// runs on the first; the numbers do not depend on the thread count.
    /// </summary>
    public static ImplicitL1Result Run(ExperimentContext ctx, ImplicitL1Settings settings)
    {
        var trials = new ImplicitL1Trial[settings.Trials];
        var root = ctx.Sampler();
        var checks = settings.ConfirmationScales.Select(a => (Scale: a, Eta: settings.ConfirmationLearningRate))
            .Concat(settings.StepSizes.Select(eta => (Scale: settings.StepSizeScale, Eta: eta))).ToArray();
        var runs = new LimitCheck[checks.Length];
        ctx.Progress.Run("implicit-l1", trials.Length + checks.Length, sink =>
        {
            ctx.ParallelFor(trials.Length, t =>
            {
                trials[t] = RunTrial(settings, t, root.Split((ulong)t), sink.Advance);
            });
            ImplicitL1Problem first = trials[0].Problem;
            double tolerance = trials[0].Nonnegative.Tolerance;
            // The runs to interpolation differ in length by orders of magnitude; the slowest (smallest a and eta) go first.
            int[] order = Enumerable.Range(0, checks.Length).OrderBy(k => checks[k].Scale * checks[k].Eta).ThenBy(k => k).ToArray();
            ctx.ParallelFor(order.Length, q =>
            {
                int k = order[q];
                var projection = new EntropicProjection(first.A, first.Rows, first.Cols, first.Y);
                // One unit per run, reported as its steps go: a run at the largest sizes takes minutes.
                runs[k] = LimitCheck.Run(first, projection, checks[k].Scale, checks[k].Eta, settings.MaxStepsToInterpolate,
                    settings.InterpolationTolerance, tolerance, sink.Advance);
            });
        });
        int confirmations = settings.ConfirmationScales.Count;
        return new ImplicitL1Result(settings, trials, runs[..confirmations], runs[confirmations..]);
    }

    /// <summary>
    /// One instance: its Lasso paths, both models' homework runs, their flow limits and sweeps. It reports one unit of
    /// <paramref name="progress"/> in all, a sixth per stage; the four slow stages (the two runs and the two sweeps,
    /// each up to minutes at the largest sizes) report their sixth in parts as they go, so a long instance shows it is alive.
    /// </summary>
    public static ImplicitL1Trial RunTrial(ImplicitL1Settings s, int index, NormalSampler sampler, Action<double>? progress = null)
    {
        const double stages = 6;
        void Stage() => progress?.Invoke(1 / stages);
        Action<double>? part = progress is null ? null : fraction => progress(fraction / stages);
        var problem = ImplicitL1Problem.Generate(s.Rows, s.Cols, s.Sparsity, sampler);
        var lasso = LassoProblem.FromRowMajor(problem.A, s.Rows, s.Cols, problem.Y);
        var signedPath = Homotopy.Path(lasso, positive: false);
        Stage();
        var positivePath = Homotopy.Path(lasso, positive: true);
        Stage();
        double[] scales = s.SweepScales();

        DescentRun gd = FactorizedDescent.Recorded(FactorizedModel.Nonnegative, problem, s.Init, s.LearningRate, s.Steps, s.RecordEvery, part);
        DescentRun signedGd = FactorizedDescent.Recorded(FactorizedModel.Signed, problem, s.Init, s.LearningRate, s.Steps, s.RecordEvery, part);
        var nonnegative = ModelOutcome.Of(FactorizedModel.Nonnegative, problem, positivePath.End, gd, s.MatchTolerance, scales, part) with { RecordEvery = s.RecordEvery };
        var signed = ModelOutcome.Of(FactorizedModel.Signed, problem, signedPath.End, signedGd, s.MatchTolerance, scales, part) with { RecordEvery = s.RecordEvery };

        // The order in which coordinates first reach the match tolerance: along gradient descent (the recorded w) and
        // along the nonnegative Lasso path (lambda decreasing).
        double threshold = nonnegative.Tolerance;
        int m = s.Cols;
        var gdEntry = new double[m];
        var lassoEntry = new double[m];
        Array.Fill(gdEntry, double.PositiveInfinity);
        Array.Fill(lassoEntry, double.PositiveInfinity);
        // A diverged run's rows after its last finite one order nothing.
        int finiteRows = gd.FiniteRows;
        for (int k = 0; k < finiteRows; k++)
            for (int j = 0; j < m; j++)
                if (double.IsPositiveInfinity(gdEntry[j]) && gd.Record[k * m + j] >= threshold) gdEntry[j] = k;
        const int gridPoints = 2000;
        double top = positivePath.Alphas[0], bottom = top * 1e-6;
        for (int k = 0; k < gridPoints; k++)
        {
            var w = positivePath.At(top * Math.Pow(bottom / top, k / (gridPoints - 1.0)));
            for (int j = 0; j < m; j++)
                if (double.IsPositiveInfinity(lassoEntry[j]) && Math.Abs(w[j]) >= threshold) lassoEntry[j] = k;
        }
        return new ImplicitL1Trial(index, problem, signedPath, positivePath, nonnegative, signed,
            EntryOrder(gdEntry), EntryOrder(lassoEntry), threshold);
    }

    /// <summary>
    /// The time of each kernel variant for the run's step count, extrapolated from the fastest of 2,000 chunks of
    /// 1,000 steps: a chunk that short usually runs without being preempted, so the minimum is the machine's speed
    /// rather than its load.
    /// </summary>
    public static string KernelTimes(ImplicitL1Settings s, ImplicitL1Problem problem)
    {
        var gd = new FactorizedLeastSquaresDescent(problem.A, s.Rows, s.Cols, problem.Y);
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
            text.AppendLine(string.Create(ReportFormat.Provider,
                $"kernel {variant,-12}: {best * 1e6 / chunk:F1} ns per step (best of {repeats:N0} x {chunk:N0} steps), {best * s.Steps / chunk:F2} ms for {CountText.Of(s.Steps, "step")}"));
        }
        return text.ToString();
    }

    private static int[] EntryOrder(double[] entry) =>
        Enumerable.Range(0, entry.Length).Where(j => double.IsFinite(entry[j])).OrderBy(j => entry[j]).ThenBy(j => j).ToArray();
}
