using Engine.Experiments.Context;
using Engine.Kernels.Completion;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>Every number the experiment depends on; the command exposes each as an option.</summary>
public sealed record MatrixCompletionSettings(
    int D,
    int Rank,
    IReadOnlyList<double> Fractions,
    IReadOnlyList<double> Alphas,
    IReadOnlyList<double> StepSizes,
    int MaxSteps,
    double Tolerance,
    double SdpTolerance,
    int SdpMaxIterations)
{
    public static MatrixCompletionSettings Default { get; } = new(
        D: 30, Rank: 2, Fractions: [0.2, 0.25, 0.6], Alphas: [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6],
        StepSizes: [0.2, 0.1], MaxSteps: 20_000, Tolerance: 1e-8, SdpTolerance: 1e-9, SdpMaxIterations: 200);

    /// <summary>The same questions at a fraction of the cost: D = 12, three initialization scales, a shorter step budget.</summary>
    public static MatrixCompletionSettings Quick { get; } = Default with { D = 12, Alphas = [1e-1, 1e-3, 1e-5], MaxSteps = 5_000 };
}

/// <summary>One observation regime: the instance, its certified minimum nuclear-norm completion, and the optimal set.</summary>
/// <param name="Nuclear">The solver's completion X_nuc and its certificate.</param>
/// <param name="Probe">Whether the minimum is unique (null when the SDP is not certified or the optimal set too large to describe).</param>
/// <param name="TruthToOptimalSet">
/// <c>dist(Y, optimal set) / ||Y||_F</c>: zero when Y is itself a minimum nuclear-norm completion (NaN when the SDP is
/// not certified or the optimal set too large to describe).
/// </param>
/// <param name="OptimalSetTooLarge">
/// Why the optimal set of a certified optimum was not described (<see cref="OptimalSetTooLargeException"/>), or null;
/// then neither the probe nor any distance to the set was computed.
/// </param>
public sealed record CompletionRegime(CompletionInstance Instance, CompletionResult Nuclear, SpectralSummary NuclearSpectrum,
    SpectralSummary TruthSpectrum, double NuclearToTruth, double NuclearUnobservedError, OptimalSetProbe? Probe, double TruthToOptimalSet,
    string? OptimalSetTooLarge = null)
{
    /// <summary>Whether the certificate vouches for X_nuc (primal residual, dual infeasibility and gap all within tolerance).</summary>
    public bool Certified => Nuclear.Certificate.Certified;

    /// <summary>The probe's lower bound on the optimal set's diameter over <c>||X_nuc||_F</c> (NaN when it was not probed).</summary>
    public double RelativeSpread => Probe is null ? double.NaN : Probe.Diameter / Math.Max(1e-300, Engine.Kernels.Blas.Blas1.Nrm2(Nuclear.X));
}

/// <summary>One gradient descent run and its comparison with the regime's minimum nuclear-norm completions.</summary>
/// <remarks>
/// <c>ObservedResidual</c> is <c>||P_Omega(X_GD - Y)||_F / ||P_Omega(Y)||_F</c>: how well the run fits the data.
/// <c>DistanceToOptimalSet</c> is the distance from X_GD to the nearest minimum nuclear-norm completion over
/// <c>||X_nuc||_F</c>, certified to within <c>DistanceAccuracy</c> (same scale); where the minimum is not unique it is
/// the meaningful distance, and <c>DistanceToNuclear</c> only the distance to the one optimal point the solver
/// returned. <c>NuclearExcess</c> is <c>||X_GD||_* / min trace - 1</c>. The three are NaN when the SDP is not
/// certified or the run diverged, and the two distances also when the optimal set is too large to describe.
/// </remarks>
public sealed record CompletionRun(int Regime, double Alpha, double Eta, SymmetricFactorizationRun Gd, SpectralSummary Spectrum,
    double DistanceToNuclear, double DistanceToTruth, double UnobservedError, double ObservedResidual,
    double DistanceToOptimalSet, double DistanceAccuracy, double NuclearExcess);

/// <summary>Everything the experiment computed; the command writes it out.</summary>
/// <remarks><c>U0</c> is the D x D direction every run starts from (<c>U_0 = alpha U0</c>), shared by every regime.</remarks>
public sealed record MatrixCompletionResult(MatrixCompletionSettings Settings, IReadOnlyList<CompletionRegime> Regimes,
    IReadOnlyList<CompletionRun> Runs, double[] U0);

/// <summary>
/// Homework 3, problem 2 (f): does gradient descent on <c>1/2 sum_Omega ((U U^T)_ij - Y_ij)^2</c> with a small step
/// and an initialization <c>alpha U0</c> near zero converge to the minimum nuclear-norm completion of Y?
/// </summary>
/// <remarks>
/// For each fraction of observed entries (a regime) one instance is drawn and its minimum nuclear-norm completion
/// X_nuc is solved to the SDP tolerance; then gradient descent runs for every (alpha, eta) pair. All regimes share
/// the ground truth Y (from <c>Split(0)</c> of the root sampler) and U0 (from <c>Split(1)</c>), and regime r draws
/// its Omega from <c>Split(2 + r)</c>: the fraction observed, alpha and eta are the only things that change, and
/// the numbers do not depend on the thread count.
/// </remarks>
public static class MatrixCompletionExperiment
{
    /// <summary>
    /// Runs every regime and every (alpha, eta) pair, reporting one step budget per SDP and per run as progress: a run
    /// reports its steps as it takes them, an SDP its solver's iterations (see <see cref="SdpProgress"/>), and each
    /// tops up what it did not report when it is done.
    /// </summary>
    public static MatrixCompletionResult Run(MatrixCompletionSettings settings, ExperimentContext ctx) =>
        ctx.Progress.Run("matrix-completion", ProgressTotal(settings), sink => Run(settings, ctx, sink.Advance));

    private static MatrixCompletionResult Run(MatrixCompletionSettings settings, ExperimentContext ctx, Action<double> progress)
    {
        int d = settings.D;
        NormalSampler root = ctx.Sampler();
        var regimes = new CompletionRegime[settings.Fractions.Count];
        var u0s = new double[settings.Fractions.Count][];
        ctx.ParallelFor(regimes.Length, r =>
        {
            var instance = CompletionInstance.Draw(d, settings.Rank, settings.Fractions[r], root.Split(0), root.Split(2 + (ulong)r));
            u0s[r] = UnitFrobeniusGaussian(d, root.Split(1));
            var sdpProgress = new SdpProgress(settings.MaxSteps, progress);
            CompletionResult nuclear = MinimumTraceCompletion.Solve(new CompletionProblem(instance.Y, instance.Observed, d),
                new CompletionOptions
                {
                    Tolerance = settings.SdpTolerance, MaxIterations = settings.SdpMaxIterations,
                    AdmmMaxIterations = settings.SdpMaxIterations, OnIteration = sdpProgress.Observe,
                });
            bool certified = nuclear.Certificate.Certified;
            // Questions about the optimal set are asked only of a certified optimum, and only where its face is small
            // enough to describe.
            OptimalSetProbe? probe = null;
            double truthToSet = double.NaN;
            string? tooLarge = null;
            if (certified)
                try
                {
                    probe = OptimalCompletionSet.Probe(nuclear);
                    truthToSet = OptimalCompletionSet.Nearest(nuclear, instance.Y).Distance / Frobenius(instance.Y);
                }
                catch (OptimalSetTooLargeException e)
                {
                    tooLarge = e.Message;
                }
            regimes[r] = new CompletionRegime(instance, nuclear, SpectralSummary.Of(nuclear.X, d), SpectralSummary.Of(instance.Y, d),
                MatrixDistance.Relative(nuclear.X, instance.Y),
                MatrixDistance.RelativeOnUnobserved(nuclear.X, instance.Y, instance.Observed), probe, truthToSet, tooLarge);
            progress(settings.MaxSteps - sdpProgress.Reported);
        });

        int perRegime = settings.Alphas.Count * settings.StepSizes.Count;
        var runs = new CompletionRun[regimes.Length * perRegime];
        ctx.ParallelFor(runs.Length, index =>
        {
            int r = index / perRegime;
            double alpha = settings.Alphas[index % perRegime / settings.StepSizes.Count];
            double eta = settings.StepSizes[index % settings.StepSizes.Count];
            CompletionRegime regime = regimes[r];
            var gd = new SymmetricFactorizationDescent(regime.Instance.Y, regime.Instance.Observed, d);
            int reported = 0;
            SymmetricFactorizationRun run = gd.Run(u0s[r], alpha, eta, settings.MaxSteps, settings.Tolerance, steps =>
            {
                reported += steps;
                progress(steps);
            });
            progress(settings.MaxSteps - reported);
            var spectrum = SpectralSummary.OfOrUndefined(run.X, d);
            double toSet = double.NaN, accuracy = double.NaN, excess = double.NaN;
            if (regime.Certified && run.Outcome != DescentOutcome.Diverged && run.X.All(double.IsFinite))
            {
                if (regime.OptimalSetTooLarge is null)
                {
                    NearestOptimalCompletion nearest = OptimalCompletionSet.Nearest(regime.Nuclear, run.X);
                    double scale = Frobenius(regime.Nuclear.X);
                    (toSet, accuracy) = (nearest.Distance / scale, nearest.Accuracy / scale);
                }
                excess = spectrum.NuclearNorm / regime.Nuclear.Certificate.PrimalObjective - 1;
            }
            runs[index] = new CompletionRun(r, alpha, eta, run, spectrum,
                MatrixDistance.Relative(run.X, regime.Nuclear.X), MatrixDistance.Relative(run.X, regime.Instance.Y),
                MatrixDistance.RelativeOnUnobserved(run.X, regime.Instance.Y, regime.Instance.Observed),
                MatrixDistance.RelativeOnObserved(run.X, regime.Instance.Y, regime.Instance.Observed), toSet, accuracy, excess);
        });
        return new MatrixCompletionResult(settings, regimes, runs, u0s[0]);
    }

    /// <summary>The total progress units <see cref="Run(MatrixCompletionSettings, ExperimentContext)"/> reports: one step budget per SDP and per run.</summary>
    public static double ProgressTotal(MatrixCompletionSettings settings) =>
        (double)settings.MaxSteps * settings.Fractions.Count * (1 + settings.Alphas.Count * settings.StepSizes.Count);

    /// <summary>
    /// Turns the iterations of one SDP solve into whole units of its share of the progress, never more than the share:
    /// the interior-point method fills the first half by the fraction of the orders of magnitude between its starting
    /// measure and its target that its best measure has covered (it falls about as many per iteration from start to
    /// end), or by its iterations over its budget where that is more; each refinement step then fills half of what
    /// remains of the second half, since how many steps it takes is not known in advance (a few, at most twelve per
    /// candidate rank); ADMM fills the whole share by its iterations over its budget. The owner tops up the rest
    /// when the regime is done. Whole units keep the sum of every advance exactly the total.
    /// </summary>
    private sealed class SdpProgress(int share, Action<double> progress)
    {
        private double _interiorStart = double.NaN, _interior, _refinement, _admm;

        /// <summary>The units reported so far (at most the share).</summary>
        public int Reported { get; private set; }

        public void Observe(CompletionIteration iteration)
        {
            double budgetFraction = (double)iteration.Iteration / iteration.MaxIterations;
            switch (iteration.Stage)
            {
                case CompletionStage.InteriorPoint:
                    if (iteration.Iteration == 0) _interiorStart = iteration.Measure;
                    _interior = Math.Max(_interior, Math.Max(budgetFraction, OrdersCovered(_interiorStart, iteration.Measure, iteration.Target)));
                    break;
                case CompletionStage.Refinement:
                    _refinement += (1 - _refinement) / 2;
                    break;
                case CompletionStage.Admm:
                    _admm = Math.Max(_admm, budgetFraction);
                    break;
            }
            double fraction = Math.Min(1, Math.Max(_admm, (_interior + _refinement) / 2));
            int units = (int)Math.Floor(share * fraction);
            if (units <= Reported) return;
            progress(units - Reported);
            Reported = units;
        }

        /// <summary><c>log(start / measure) / log(start / target)</c>, clamped to [0, 1]; 0 when it is not defined.</summary>
        private static double OrdersCovered(double start, double measure, double target)
        {
            if (measure <= target) return 1;
            if (!(start > target && target > 0 && measure > 0)) return 0;
            return Math.Clamp(Math.Log(start / measure) / Math.Log(start / target), 0, 1);
        }
    }

    private static double Frobenius(double[] x) => Engine.Kernels.Blas.Blas1.Nrm2(x);

    /// <summary>U0: a D x D standard Gaussian matrix scaled to unit Frobenius norm.</summary>
    public static double[] UnitFrobeniusGaussian(int d, NormalSampler sampler)
    {
        var u0 = new double[d * d];
        sampler.Fill(u0);
        double norm = Engine.Kernels.Blas.Blas1.Nrm2(u0);
        Engine.Kernels.Blas.Blas1.Scal(1 / norm, u0);
        return u0;
    }
}
