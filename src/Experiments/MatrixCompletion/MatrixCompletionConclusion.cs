using System.Globalization;
using Engine.Experiments.Text;
using Engine.Kernels.Completion;
using Engine.Kernels.Factorized;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>What the numbers of one regime say about the conjecture, with the numbers they say it from.</summary>
/// <param name="DistanceToNuclear">||X_GD - X_nuc|| / ||X_nuc|| to the one optimal point the solver returned.</param>
/// <param name="DistanceToOptimalSet">||X_GD - nearest optimal completion|| / ||X_nuc||.</param>
/// <param name="TruthToOptimalSet">dist(Y, optimal set) / ||Y||.</param>
public sealed record RegimeVerdict(
    double Fraction,
    double NuclearToTruth,
    double TruthToOptimalSet,
    bool Certified,
    double SdpWorstMeasure,
    double SmallestAlpha,
    double LargestAlpha,
    double Eta,
    double DistanceToNuclear,
    double DistanceToOptimalSet,
    double DistanceToTruth,
    double DistanceToSetAtLargestAlpha,
    DescentOutcome Outcome,
    int Steps,
    double NuclearExcess,
    int GdEffectiveRank,
    int NuclearEffectiveRank,
    bool Separates,
    bool ReachesNuclear,
    string Sentence,
    bool Fits = true,
    bool? UniqueOptimum = null,
    bool OptimalSetDescribed = true,
    bool LargestAlphaOutOfSteps = false,
    double NuclearToTruthNorm = 1);

/// <summary>What the SDP solve of a regime established, as plain numbers.</summary>
/// <param name="UniqueOptimum">Whether the probe found the minimum unique; null when it was not probed (no certificate).</param>
/// <param name="RelativeSpread">The probe's lower bound on the optimal set's diameter over ||X_nuc||.</param>
/// <param name="ProbeAccuracy">The probe's worst measure; infinite when the optimal face could not be decided.</param>
/// <param name="ObservedSingularBlocks">The singular principal blocks of Y whose entries are all observed.</param>
/// <param name="DeterminedSingularBlocks">How many more singular blocks facial reduction found that hold entries it determined rather than observed ones.</param>
/// <param name="FullSpaceRelativeGap">The relative gap of the face's dual point lifted to the whole space (NaN when not computed).</param>
/// <param name="Search">How far facial reduction's search for singular blocks went: the block counts are all of them only when it is complete.</param>
/// <param name="OptimalSetTooLarge">Why the optimal set of a certified optimum was not described, or null.</param>
/// <param name="ObservedBlockDirections">How many of the forced null directions the fully observed blocks force by themselves (0 when not known).</param>
public sealed record SdpFigures(bool Certified, double Trace, double PrimalResidual, double DualInfeasibility, double DualityGap,
    double Tolerance, bool SlaterFailed, IReadOnlyList<int[]> ObservedSingularBlocks, int ForcedNullDirections, bool? UniqueOptimum,
    int AffineDimension, double RelativeSpread, double ProbeAccuracy = 0, int DeterminedSingularBlocks = 0, double FullSpaceRelativeGap = double.NaN,
    SingularBlockSearch Search = SingularBlockSearch.Complete, string? OptimalSetTooLarge = null, int ObservedBlockDirections = 0)
{
    /// <summary>The most a probe may be off and still decide whether the minimum is unique.</summary>
    public const double ProbeTolerance = 1e-8;

    /// <summary>Whether the probe decided the optimal set: it ran on a certified optimum and reached its accuracy.</summary>
    public bool ProbeDecided => UniqueOptimum is not null && ProbeAccuracy <= ProbeTolerance;

    /// <summary>Whether the minimum is unique, as far as the probe decided it: null when it did not.</summary>
    public bool? DecidedUnique => ProbeDecided ? UniqueOptimum : null;
}

/// <summary>The numbers one regime's sentence is drawn from (plain values, so the sentence is testable on its own).</summary>
public sealed record RegimeFigures(
    double Fraction, int D, int Rank, SdpFigures Sdp, double TruthToOptimalSet, int Runs, IReadOnlyList<(double Alpha, double Eta)> DivergedRuns,
    bool BestDiverged, double SmallestAlpha, double LargestAlpha, double Eta, double DistanceToNuclear, double DistanceToOptimalSet,
    double DistanceToTruth, double DistanceAtLargestAlpha, double ClosestDistance, double ClosestAlpha, double NuclearNorm, double NuclearExcess,
    double TruthNuclearNorm, int GdRank, int NuclearRank, double SdpWorst, double DistanceAccuracy, double ObservedResidual,
    DescentOutcome Outcome, int Steps, double FinalLoss, double NuclearToTruthNorm = 1, double AccuracyAtLargestAlpha = 0, double ClosestAccuracy = 0,
    bool LargestAlphaOutOfSteps = false, bool ClosestOutOfSteps = false,
    double NextAlpha = double.NaN, double DistanceAtNextAlpha = double.NaN, double OtherEta = double.NaN, double OtherEtaDistance = double.NaN)
{
    /// <summary>
    /// <see cref="DistanceToOptimalSet"/> over ||Y||_F instead of ||X_nuc||_F (<see cref="NuclearToTruthNorm"/> is
    /// ||X_nuc||_F / ||Y||_F): the scale of <see cref="DistanceToTruth"/> and <see cref="TruthToOptimalSet"/>, so the
    /// three can be compared.
    /// </summary>
    public double DistanceToOptimalSetOverTruth => DistanceToOptimalSet * NuclearToTruthNorm;
}

/// <summary>
/// Turns a regime's runs into a one-sentence answer. The run compared is the one with the smallest alpha and, of the
/// step sizes run there, the smallest (closest to gradient flow from zero, the limit the conjecture is about) among
/// those that fit the observed entries (<see cref="FitsBelow"/>) and reached the loss tolerance; failing that, among
/// those that fit (a run out of steps may still have found a completion); then among those that reached the
/// tolerance; then the smallest of all. Diverged runs take no part.
/// </summary>
/// <remarks>
/// Gradient descent is measured against the whole set of minimum nuclear-norm completions (the nearest member), since
/// the minimum need not be unique. Rules: Y "is optimal" when its distance to the optimal set is below 1e-3 of ||Y||;
/// otherwise GD "converges to the minimum nuclear-norm set" when its distance to the set is below a tenth of both its
/// distance to Y and Y's distance to the set, and "goes to Y" when it is closer to Y than to the set. The gap is
/// "real" when it exceeds 100 times the SDP's worst certified measure, gradient descent's own relative residual on
/// the observed entries and the certified width of the distance, otherwise it is "at the level of the solvers'
/// accuracy". A regime whose SDP is not certified draws no conclusion about X_nuc, nor does one where gradient descent
/// has not fit the observed entries to <see cref="FitsBelow"/>: it has then reached no completion at all.
/// </remarks>
public static class MatrixCompletionConclusion
{
    public const double CoincideBelow = 1e-3;

    /// <summary>
    /// The relative residual on the observed entries below which gradient descent counts as having found a completion:
    /// short of it, its distances say where the run stopped, not where it converges, and its nuclear norm may lie below
    /// the minimum (a matrix that does not fit the entries is not bound by it).
    /// </summary>
    public const double FitsBelow = 1e-2;

    /// <summary>The verdict of every regime, in the order of the settings' fractions.</summary>
    public static IReadOnlyList<RegimeVerdict> ForEachRegime(MatrixCompletionResult results) =>
        Enumerable.Range(0, results.Regimes.Count).Select(r => For(results, r)).ToList();

    public static RegimeVerdict For(MatrixCompletionResult results, int regime)
    {
        RegimeFigures f = FiguresOf(results, regime);
        bool fits = Fits(f);
        bool described = f.Sdp.OptimalSetTooLarge is null;
        bool separates = f.Sdp.Certified && described && f.TruthToOptimalSet >= CoincideBelow && !f.BestDiverged && fits;
        bool reaches = f.Sdp.Certified && described && fits && Reaches(f);
        return new RegimeVerdict(f.Fraction, results.Regimes[regime].NuclearToTruth, f.TruthToOptimalSet, f.Sdp.Certified, f.SdpWorst, f.SmallestAlpha,
            f.LargestAlpha, f.Eta, f.DistanceToNuclear, f.DistanceToOptimalSet, f.DistanceToTruth, f.DistanceAtLargestAlpha, f.Outcome, f.Steps,
            f.NuclearExcess, f.GdRank, f.NuclearRank, separates, reaches, Sentence(f), fits, f.Sdp.DecidedUnique, described, f.LargestAlphaOutOfSteps, f.NuclearToTruthNorm);
    }

    /// <summary>The numbers a regime's sentence is drawn from, read off the results (see the class remarks for the run chosen).</summary>
    public static RegimeFigures FiguresOf(MatrixCompletionResult results, int regime)
    {
        CompletionRegime r = results.Regimes[regime];
        var all = results.Runs.Where(x => x.Regime == regime).ToList();
        // Diverged runs have no meaningful X_GD (often NaN or infinite): they are left out of the comparison and
        // named in the sentence; only when every run diverged is the verdict drawn from them.
        var diverged = all.Where(x => x.Gd.Outcome == DescentOutcome.Diverged).ToList();
        var runs = diverged.Count == all.Count ? all : all.Where(x => x.Gd.Outcome != DescentOutcome.Diverged).ToList();
        double smallestAlpha = runs.Min(x => x.Alpha), largestAlpha = runs.Max(x => x.Alpha);
        var atSmallest = runs.Where(x => x.Alpha == smallestAlpha).ToList();
        // A run that fits answers the question and one that does not can not, so fitting comes before converging.
        var fitting = atSmallest.Where(x => x.ObservedResidual < FitsBelow).ToList();
        var candidates = new[]
        {
            fitting.Where(x => x.Gd.Outcome == DescentOutcome.Converged).ToList(), fitting,
            atSmallest.Where(x => x.Gd.Outcome == DescentOutcome.Converged).ToList(), atSmallest,
        }.First(c => c.Count > 0);
        double eta = candidates.Min(x => x.Eta);
        CompletionRun best = atSmallest.Single(x => x.Eta == eta);
        CompletionRun closest = runs.Where(x => x.Eta == eta).MinBy(x => double.IsNaN(x.DistanceToOptimalSet) ? double.PositiveInfinity : x.DistanceToOptimalSet)!;
        CompletionRun coarse = runs.Single(x => x.Alpha == largestAlpha && x.Eta == eta);
        // The run at the next larger alpha (same eta) says whether the distance has levelled off as alpha shrinks, and
        // the other step size's converged run at the smallest alpha whether the step matters.
        CompletionRun? next = runs.Where(x => x.Eta == eta && x.Alpha > smallestAlpha).MinBy(x => x.Alpha);
        CompletionRun? other = atSmallest.Where(x => x.Eta != eta && x.Gd.Outcome == DescentOutcome.Converged).MinBy(x => x.Eta);
        CompletionCertificate c = r.Nuclear.Certificate;
        var face = r.Nuclear.Face;
        var sdp = new SdpFigures(c.Certified, c.PrimalObjective, c.PrimalResidual, c.DualInfeasibility, c.DualityGap, c.Tolerance,
            face.SlaterFailed, face.ObservedSingularBlocks, face.ForcedNullDirections, r.Probe is null ? null : r.Probe.SinglePoint,
            r.Probe?.AffineDimension ?? 0, r.RelativeSpread,
            r.Probe?.ProbeAccuracy ?? double.PositiveInfinity, face.SingularBlocks.Count - face.ObservedSingularBlocks.Count, c.RelativeGap,
            face.Search, r.OptimalSetTooLarge, face.ObservedBlockDirections);
        return new RegimeFigures(r.Instance.Fraction, r.Instance.D, r.Instance.Rank, sdp, r.TruthToOptimalSet, all.Count,
            diverged.Select(x => (x.Alpha, x.Eta)).ToList(), best.Gd.Outcome == DescentOutcome.Diverged, smallestAlpha, largestAlpha, eta,
            best.DistanceToNuclear, best.DistanceToOptimalSet, best.DistanceToTruth, coarse.DistanceToOptimalSet, closest.DistanceToOptimalSet, closest.Alpha,
            best.Spectrum.NuclearNorm, best.NuclearExcess, r.TruthSpectrum.NuclearNorm, best.Spectrum.EffectiveRank, r.NuclearSpectrum.EffectiveRank,
            c.WorstRelativeMeasure, best.DistanceAccuracy, best.ObservedResidual, best.Gd.Outcome, best.Gd.Steps, best.Gd.FinalLoss,
            Engine.Kernels.Blas.Blas1.Nrm2(r.Nuclear.X) / Math.Max(1e-300, Engine.Kernels.Blas.Blas1.Nrm2(r.Instance.Y)),
            coarse.DistanceAccuracy, closest.DistanceAccuracy,
            coarse.Gd.Outcome == DescentOutcome.BudgetExhausted, closest.Gd.Outcome == DescentOutcome.BudgetExhausted,
            next?.Alpha ?? double.NaN, next?.DistanceToOptimalSet ?? double.NaN, other?.Eta ?? double.NaN, other?.DistanceToOptimalSet ?? double.NaN);
    }

    /// <summary>
    /// A distance to the optimal set as the run's certified interval allows: the distance of a member of the set (an
    /// upper bound) to three digits where the interval's width is below half a unit of the third, and otherwise the
    /// interval itself, so no printed digit claims more than the certificate.
    /// </summary>
    public static string SetDistance(double distance, double accuracy)
    {
        string text = ReportFormat.Invariant($"{distance:0.00e+0}");
        if (!(distance > 0) || !double.IsFinite(distance) || double.IsNaN(accuracy)) return text;
        double thirdDigit = Math.Pow(10, Math.Floor(Math.Log10(distance)) - 2);
        return accuracy < thirdDigit / 2 ? text
            : ReportFormat.Invariant($"[{Math.Max(0, distance - accuracy):0.00e+0}, {text}] (its certified interval)");
    }

    /// <summary>The run ends ten times closer to the optimal set than to Y, and than Y is to the set (all over ||Y||_F).</summary>
    private static bool Near(RegimeFigures f) =>
        f.DistanceToOptimalSetOverTruth < 0.1 * f.DistanceToTruth && f.DistanceToOptimalSetOverTruth < 0.1 * f.TruthToOptimalSet;

    /// <summary>
    /// The run's distance to the optimal set is within a hundred times the worst of the solvers' accuracies (the SDP's
    /// certificate, the distance's interval, the fit of the observed entries): what is left could be their error.
    /// </summary>
    private static bool AtSolverAccuracy(RegimeFigures f) =>
        f.DistanceToOptimalSet <= 100 * Math.Max(f.SdpWorst, Math.Max(f.ObservedResidual, f.DistanceAccuracy));

    /// <summary>The run converged to a minimum nuclear-norm completion: <see cref="Near"/> it, and the rest of the gap at the solvers' accuracy.</summary>
    private static bool Reaches(RegimeFigures f) => Near(f) && AtSolverAccuracy(f);

    /// <summary>Whether the compared run fits the observed entries well enough to count as a completion (<see cref="FitsBelow"/>).</summary>
    public static bool Fits(RegimeFigures f) => f.ObservedResidual < FitsBelow;

    /// <summary>An observed fraction as a percentage to three significant digits ("20 %", "0.1 %"): whole percentages would print a small fraction as 0 %.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("G3", CultureInfo.InvariantCulture) + " %";

    /// <summary>How a run ended, in words: "converged after 8,118 steps", "used its whole budget of 5,000 steps", "diverged at step 12".</summary>
    public static string OutcomeText(DescentOutcome outcome, int steps) => outcome switch
    {
        DescentOutcome.Converged => "converged after " + CountText.Of(steps, "step"),
        DescentOutcome.BudgetExhausted => "used its whole budget of " + CountText.Of(steps, "step"),
        _ => string.Create(ReportFormat.Provider, $"diverged at step {steps:N0}"),
    };

    /// <summary>How a run ended, in one or two words for a table column: "converged", "out of steps", "diverged".</summary>
    public static string OutcomeWord(DescentOutcome outcome) => outcome switch
    {
        DescentOutcome.Converged => "converged",
        DescentOutcome.BudgetExhausted => "out of steps",
        _ => "diverged",
    };

    /// <summary>The SDP method in words: "the interior-point method" or "ADMM".</summary>
    public static string MethodText(CompletionMethod method) => method == CompletionMethod.Admm ? "ADMM" : "the interior-point method";

    /// <summary>
    /// A nuclear-norm excess as a table cell ("4.67 %", "-0.02 %"), with an excess that rounds to zero printed as
    /// "0.00 %" rather than "-0.00 %"; NaN as n/a.
    /// </summary>
    public static string ExcessCell(double excess)
    {
        if (!double.IsFinite(excess)) return "n/a";
        double shown = ShownPercent(excess);
        return (shown == 0 ? 0 : shown).ToString("F2", CultureInfo.InvariantCulture) + " %";
    }

    /// <summary>Whether <see cref="ExcessCell"/> prints the excess as negative.</summary>
    public static bool ShownNegative(double excess) => double.IsFinite(excess) && ShownPercent(excess) < 0;

    // The excess as ExcessCell prints it, in percent to two decimals.
    private static double ShownPercent(double excess) => Math.Round(100 * excess, 2);

    /// <summary>Why an excess over a certified minimum can be negative: said wherever one is printed.</summary>
    public const string NegativeExcessNote =
        "a negative excess is no contradiction: gradient descent fits the observed entries only to its residual, not exactly, and a matrix that does not fit them exactly is not bound by the minimum over exact completions";

    /// <summary>"2.62% above" or "98.20% below": a relative excess over the minimum nuclear norm, by its sign.</summary>
    public static string ExcessText(double excess, string format = "F2") =>
        (100 * Math.Abs(excess)).ToString(format, CultureInfo.InvariantCulture) + (excess >= 0 ? " % above" : " % below");

    /// <summary>A regime's answer from its figures: the setting, what the SDP established, where gradient descent ended and why the gap is real.</summary>
    public static string Sentence(RegimeFigures f)
    {
        string setting = I($"With {Percent(f.Fraction)} of the entry pairs observed (D = {f.D}, rank {f.Rank}), ");
        bool reaches = f.Sdp.Certified && Reaches(f);
        double dSet = f.DistanceToOptimalSet, dY = f.DistanceToTruth;
        string answer;
        if (f.BestDiverged)
            answer = I($"every gradient descent run diverged ({f.DivergedRuns.Count} of {f.Runs}), so this regime says nothing about the conjecture.");
        else if (!f.Sdp.Certified)
            answer = I($"gradient descent from alpha = {f.SmallestAlpha:G3} ends {dY:0.00e+0} from Y, but without a certified minimum nuclear-norm completion this regime draws no conclusion about the conjecture.");
        else if (f.Sdp.OptimalSetTooLarge is not null)
            answer = I($"gradient descent from alpha = {f.SmallestAlpha:G3} ends {dY:0.00e+0} from Y, but without a description of the set of minimum nuclear-norm completions this regime draws no conclusion about the conjecture.");
        else if (!Fits(f))
            answer = I($"gradient descent from alpha = {f.SmallestAlpha:G3} (eta = {f.Eta:G3}) has not fit the observed entries after {CountText.Of(f.Steps, "step")} (relative residual {f.ObservedResidual:0.00e+0}, loss {f.FinalLoss:0.00e+0}): ")
                + I($"it has reached no completion yet, so this regime draws no conclusion about the conjecture (it stopped ")
                + (double.IsFinite(dSet) ? I($"{SetDistance(dSet, f.DistanceAccuracy)} from the nearest minimum nuclear-norm completion and ") : "")
                + I($"{dY:0.00e+0} from Y, ")
                + (f.Outcome == DescentOutcome.BudgetExhausted
                    ? I($"having used its whole budget of {CountText.Of(f.Steps, "step")}).")
                    : I($"its loss below the tolerance yet the observed entries not fit to {FitsBelow:0e+0}: the loss tolerance is too loose for this test)."));
        else if (f.TruthToOptimalSet < CoincideBelow)
            // Recovering Y is read off the distance to Y; the optimal set may hold other completions besides Y, and
            // only a unique minimum means nuclear-norm minimization itself recovers Y.
            answer = I($"Y is itself a minimum nuclear-norm completion (its distance to the optimal set is {f.TruthToOptimalSet:0.0e+0} of ||Y||), and gradient descent from alpha = {f.SmallestAlpha:G3} ends {SetDistance(dSet, f.DistanceAccuracy)} (of ||X_nuc||) from that set and {dY:0.00e+0} (of ||Y||) from Y: ")
                + (dY < 0.01 ? "it recovers Y, consistent with the conjecture but not a test that separates the minimum nuclear-norm completions from Y."
                    : f.Sdp.DecidedUnique == true ? "it does not recover Y even though nuclear-norm minimization does (the minimum is unique)."
                    : f.DistanceToOptimalSetOverTruth < 0.01
                        ? "it ends at a minimum nuclear-norm completion other than Y, consistent with the conjecture; " + (f.Sdp.DecidedUnique == false
                            ? "the optimal set holds more than Y, so nuclear-norm minimization does not single Y out either."
                            : "whether the optimal set holds more than Y was not decided.")
                    : "it recovers neither Y nor any other minimum nuclear-norm completion.");
        else
        {
            // A run out of steps away from the optimal set stopped where its budget ended, not where gradient descent goes.
            bool unfinished = !reaches && f.Outcome == DescentOutcome.BudgetExhausted;
            string where = reaches
                ? "it converges to a minimum nuclear-norm completion, not to Y"
                : Near(f) ? "it ends ten times closer to a minimum nuclear-norm completion than to Y, but the gap to it is above the solvers' accuracy, so it has not converged to one"
                : dY < f.DistanceToOptimalSetOverTruth ? "it is closer to Y than to any minimum nuclear-norm completion" + (unfinished ? "" : ", against the conjecture")
                : "it is closer to the minimum nuclear-norm completions than to Y, but not close to either";
            if (unfinished)
                where += "; that is where its budget of steps ran out, not a limit, so this regime draws no conclusion about the conjecture until a run converges";
            answer = I($"Y is {f.TruthToOptimalSet:0.00e+0} (of ||Y||) from the nearest minimum nuclear-norm completion, and gradient descent from alpha = {f.SmallestAlpha:G3} (eta = {f.Eta:G3}) ends {SetDistance(dSet, f.DistanceAccuracy)} (of ||X_nuc||; {f.DistanceToOptimalSetOverTruth:0.00e+0} of ||Y||, the scale of Y's own distance) from the nearest one and {dY:0.00e+0} (of ||Y||) from Y: {where}.")
                + I($" Its nuclear norm is {f.NuclearNorm:F6}, {ExcessText(f.NuclearExcess)} the certified minimum {f.Sdp.Trace:F6} (||Y||_* = {f.TruthNuclearNorm:F6})")
                + (f.NuclearExcess < 0 ? I($" (below it because it fits the observed entries to {f.ObservedResidual:0.0e+0}, not exactly, and only exact completions are bound by that minimum)") : "")
                + I($"; its effective rank is {f.GdRank} against {f.NuclearRank} for the solver's X_nuc and {f.Rank} for Y.");
        }
        string trend = "";
        if (!f.BestDiverged && f.Sdp.Certified && f.Sdp.OptimalSetTooLarge is null && Fits(f))
        {
            // A run out of steps is quoted where it stopped, and said to be: its distance is not where it was going.
            const string outOfSteps = ", out of steps";
            string approach = f.ClosestAlpha == f.SmallestAlpha ? "" : I($" (closest, {SetDistance(f.ClosestDistance, f.ClosestAccuracy)}, at alpha = {f.ClosestAlpha:G3}{(f.ClosestOutOfSteps ? outOfSteps : "")})");
            trend = (f.LargestAlpha == f.SmallestAlpha
                    ? I($" Its distance to the optimal set is {SetDistance(dSet, f.DistanceAccuracy)} (one alpha was run)")
                    : I($" Its distance to the optimal set goes from {SetDistance(f.DistanceAtLargestAlpha, f.AccuracyAtLargestAlpha)} at alpha = {f.LargestAlpha:G3}{(f.LargestAlphaOutOfSteps ? " (out of steps)" : "")} to {SetDistance(dSet, f.DistanceAccuracy)} at alpha = {f.SmallestAlpha:G3}{approach}"))
                + LevelsOff(f)
                + (!AtSolverAccuracy(f)
                    ? I($"; with the SDP certified to {f.SdpWorst:0.0e+0}, the distance certified to {f.DistanceAccuracy:0.0e+0} and gradient descent fitting the observed entries to {f.ObservedResidual:0.0e+0}, the remaining gap is real, not solver error.")
                    : I($"; with the SDP certified to {f.SdpWorst:0.0e+0}, the distance certified to {f.DistanceAccuracy:0.0e+0} and gradient descent fitting the observed entries to {f.ObservedResidual:0.0e+0}, the remaining gap is at the level of the solvers' accuracy."));
        }
        if (f.Outcome == DescentOutcome.BudgetExhausted && Fits(f))
            trend += I($" (That run used its whole budget of {CountText.Of(f.Steps, "step")} without reaching the loss tolerance; its final loss is {f.FinalLoss:0.00e+0}.)");
        if (f.DivergedRuns.Count > 0 && !f.BestDiverged)
            trend += I($" ({f.DivergedRuns.Count} of {f.Runs} runs diverged and are left out: ")
                + string.Join("; ", f.DivergedRuns.Select(x => I($"alpha = {x.Alpha:G3}, eta = {x.Eta:G3}"))) + ".)";
        // The SDP's sentence ends with a full stop, so the answer starts a sentence of its own.
        return setting + SdpSentence(f.Sdp) + " " + char.ToUpperInvariant(answer[0]) + answer[1..] + trend;
    }

    /// <summary>
    /// Whether the distance to the optimal set has stopped moving as alpha shrinks (within 5 % from the next larger alpha
    /// to the smallest), and what the other step size's converged run ends at there: the conjecture is about alpha going to
    /// 0 with a small step, so a distance that has levelled off and does not depend on the step is the limit's.
    /// </summary>
    private static string LevelsOff(RegimeFigures f)
    {
        string text = "";
        double d = f.DistanceToOptimalSet, prev = f.DistanceAtNextAlpha;
        if (double.IsFinite(prev) && d > 0 && Math.Abs(d - prev) <= 0.05 * d)
            text += I($", where it has levelled off ({prev:0.00e+0} at alpha = {f.NextAlpha:G3})");
        if (double.IsFinite(f.OtherEtaDistance))
            text += I($"; with eta = {f.OtherEta:G3} the run from alpha = {f.SmallestAlpha:G3} ends {f.OtherEtaDistance:0.00e+0} from the set");
        return text;
    }

    /// <summary>
    /// What the SDP solve established: certified or not (with its figures either way), whether Slater's condition
    /// failed and facial reduction was needed, and whether the minimum is unique.
    /// </summary>
    public static string SdpSentence(SdpFigures s)
    {
        string figures = I($"primal residual {s.PrimalResidual:0.0e+0}, dual infeasibility {s.DualInfeasibility:0.0e+0}, duality gap {s.DualityGap:0.0e+0}");
        string text = s.Certified
            ? I($"the minimum nuclear-norm completion is certified: trace {s.Trace:F9} with {figures}, all within the tolerance {s.Tolerance:0e+0}.")
            : I($"the SDP is NOT certified: {figures} against the tolerance {s.Tolerance:0e+0} (trace {s.Trace:F9} unverified).");
        if (s.SlaterFailed)
        {
            IReadOnlyList<int[]> observed = s.ObservedSingularBlocks;
            string blocks = string.Join(", ", observed.Take(3).Select(b => "{" + string.Join(", ", b) + "}"));
            // A search that stopped early listed only the blocks it examined: their counts are lower bounds.
            string atLeast = s.Search == SingularBlockSearch.Complete ? "" : "at least ";
            int more = s.DeterminedSingularBlocks;
            string fullyObserved = observed.Count == 0 ? ""
                : I($"{atLeast}{observed.Count} fully observed principal {(observed.Count == 1 ? "block of Y is" : "blocks of Y are")} singular (rows and columns {blocks}{(observed.Count > 3 ? ", ..." : "")}, 0-based)");
            string search = s.Search switch
            {
                SingularBlockSearch.Saturated => " (the search for singular blocks stopped there: no block can force more)",
                SingularBlockSearch.Truncated => " (the search for singular blocks stopped at its work limit, so more directions may be forced)",
                _ => "",
            };
            string all = I($"{CountText.Of(s.ForcedNullDirections, "null direction")} on every feasible X{search}");
            string found;
            if (more == 0)
                found = I($"{fullyObserved}, which forces {all}");
            else if (observed.Count == 0)
                found = I($"{atLeast}{CountText.Of(more, "principal block")} of Y, complete only with unobserved entries that the observed ones determine, {(more == 1 ? "is" : "are")} singular, which forces {all}");
            else
            {
                // The blocks that hold determined entries are found in later rounds: each is said to force only the
                // directions its round added, so a block that adds none is not read as one of the causes.
                string further = I($"{atLeast}{more} more {(more == 1 ? "block" : "blocks")}, fully known only once the unobserved entries that the observed ones fix are filled in, {(more == 1 ? "is" : "are")} singular too");
                int first = s.ObservedBlockDirections, rest = s.ForcedNullDirections - first;
                found = first <= 0 ? I($"{fullyObserved}, and {further}, which forces {all}")
                    : rest <= 0 ? I($"{fullyObserved}, which forces {all}; {further} but {(more == 1 ? "adds" : "add")} no null direction")
                    : I($"{fullyObserved}, which forces {CountText.Of(first, "null direction")}, and {further} and {(more == 1 ? "forces" : "force")} {rest} more: {all}");
            }
            text += I($" Slater's condition fails: {found}; the SDP is solved on that face");
            // The certificate is the face's: said so with the whole space's figure, which need not close without Slater.
            text += s.Certified && double.IsFinite(s.FullSpaceRelativeGap)
                ? I($", and the certificate is the face's: its dual point, lifted to the whole space, leaves a relative gap of {s.FullSpaceRelativeGap:0.0e+0} there (reported in sdp_certificate.csv, not required: without Slater's condition that gap need not close).")
                : ".";
        }
        else if (s.Search == SingularBlockSearch.Truncated)
            text += " Facial reduction's search for singular blocks stopped at its work limit before it found one, so Slater's condition may fail unseen (which would show as a certificate that misses its tolerance).";
        if (s.Certified && s.OptimalSetTooLarge is not null)
            text += I($" The optimal set is not described: {s.OptimalSetTooLarge}.");
        if (s.UniqueOptimum is not null && !s.ProbeDecided)
            text += double.IsFinite(s.ProbeAccuracy)
                ? I($" Whether the minimum is unique is not decided: the probe of the optimal set reached only {s.ProbeAccuracy:0.0e+0} (it needs {SdpFigures.ProbeTolerance:0e+0}).")
                : " Whether the minimum is unique is not decided: the optimal face could not be told apart from rounding.";
        else if (s.UniqueOptimum is bool unique)
            text += unique
                ? " The minimum is unique."
                : I($" The minimum is not unique: the optimal set has dimension {s.AffineDimension} and spans at least {BoundText.AtLeast(s.RelativeSpread, "E1")} of ||X_nuc||, so gradient descent is measured against the nearest optimal completion, not the one the solver returned.");
        return text;
    }

    /// <summary>One sentence over all regimes: in how many of those that separate X_nuc from Y gradient descent reached X_nuc.</summary>
    /// <param name="ownOptions">
    /// Whether the running command takes this experiment's options (<c>engine matrix-completion</c> does, <c>engine
    /// all</c> does not): a remedy names an option only as one of the command that takes it.
    /// </param>
    public static string Overall(IReadOnlyList<RegimeVerdict> verdicts, bool ownOptions = true)
    {
        string Remedy(string advice) => ownOptions ? advice : "run engine matrix-completion and " + advice;
        var separating = verdicts.Where(v => v.Separates).ToList();
        var uncertified = verdicts.Where(v => !v.Certified).Select(v => Percent(v.Fraction)).ToList();
        var undescribed = verdicts.Where(Undescribed).Select(v => Percent(v.Fraction)).ToList();
        var unfit = verdicts.Where(Unfit).Select(v => Percent(v.Fraction)).ToList();
        string unverified = (uncertified.Count == 0 ? "" : I($" (No conclusion where the SDP is not certified: {string.Join(", ", uncertified)} observed.)"))
            + (undescribed.Count == 0 ? "" : I($" (No conclusion where the optimal set was too large to describe: {string.Join(", ", undescribed)} observed; {Remedy("lower --rank")}.)"));
        // The remedy follows how the unfit runs ended: out of steps, or stopped by a loss tolerance looser than the fit test.
        var unfitRuns = verdicts.Where(Unfit).ToList();
        string remedy = Remedy(string.Join(" or ", new[]
        {
            unfitRuns.Any(v => v.Outcome == DescentOutcome.BudgetExhausted) ? "raise --steps or --lrs" : null,
            unfitRuns.Any(v => v.Outcome == DescentOutcome.Converged) ? "lower --tol" : null,
        }.Where(x => x is not null)));
        string notFit = unfit.Count == 0 ? "" : I($" (No conclusion where gradient descent did not fit the observed entries: {string.Join(", ", unfit)} observed; {remedy}.)");
        return OverallOf(verdicts, separating, Remedy) + unverified + notFit;
    }

    /// <summary>A certified regime whose gradient descent ran without diverging yet did not fit the observed entries: it draws no conclusion.</summary>
    private static bool Unfit(RegimeVerdict v) => v.Certified && v.OptimalSetDescribed && !v.Fits && v.Outcome != DescentOutcome.Diverged;

    /// <summary>A certified regime whose optimal set was too large to describe: it draws no conclusion.</summary>
    private static bool Undescribed(RegimeVerdict v) => v.Certified && !v.OptimalSetDescribed;

    private static string OverallOf(IReadOnlyList<RegimeVerdict> verdicts, List<RegimeVerdict> separating, Func<string, string> remedy)
    {
        if (verdicts.All(v => v.Outcome == DescentOutcome.Diverged))
            return "Gradient descent diverged in every regime, so this run can not test the conjecture; " + remedy("lower --init-scales or --lrs") + ".";
        if (separating.Count == 0 && verdicts.Any(Unfit))
            return "No certified regime where gradient descent fit the observed entries separated the minimum nuclear-norm completions from Y, so this run can not test the conjecture.";
        if (verdicts.All(v => !v.Certified))
            return "No regime's SDP was certified, so this run can not test the conjecture; " + remedy("raise --sdp-iterations (or loosen --sdp-tol)") + ".";
        if (separating.Count == 0 && verdicts.Where(v => v.Certified).All(Undescribed))
            return "No certified regime's optimal set was small enough to describe, so this run can not test the conjecture; " + remedy("lower --rank") + ".";
        if (separating.Count == 0)
            return "No certified regime separated the minimum nuclear-norm completions from Y, so this run can not test the conjecture; " + remedy("lower --fractions") + ".";
        // A run that used its whole budget away from the optimal set stopped where the budget ran out, not at a
        // completion it converged to: its regime tests nothing until a longer run ends.
        var unfinished = separating.Where(v => !v.ReachesNuclear && v.Outcome == DescentOutcome.BudgetExhausted).ToList();
        string unfinishedNote = unfinished.Count == 0 ? ""
            : I($" (No conclusion where gradient descent used its whole budget of steps away from the optimal set: {string.Join(", ", unfinished.Select(v => Percent(v.Fraction)))} observed; {remedy("raise --steps or --lrs")}.)");
        if (unfinished.Count == separating.Count)
            return I($"In {(separating.Count == 1 ? "the one regime" : separating.Count == 2 ? "both regimes" : $"all {separating.Count} regimes")} where Y is not a minimum nuclear-norm completion, gradient descent from the smallest initialization used its whole budget of steps before converging, so this run can not test the conjecture; {remedy("raise --steps or --lrs")}.");
        separating = separating.Except(unfinished).ToList();
        return OverallOfFinished(separating, unfinished.Count == 0) + unfinishedNote;
    }

    /// <summary>The sentence over the regimes whose runs ended (<paramref name="every"/>: all the separating ones did).</summary>
    private static string OverallOfFinished(List<RegimeVerdict> separating, bool every)
    {
        var missed = separating.Where(v => !v.ReachesNuclear).ToList();
        string head = separating.Count == 1
            ? I($"Overall: in the one regime where Y is not a minimum nuclear-norm completion, gradient descent from the smallest initialization {(missed.Count == 0 ? "converged" : "did not converge")} to one.")
            : I($"Overall: in {separating.Count - missed.Count} of the {separating.Count} regimes where Y is not a minimum nuclear-norm completion, gradient descent from the smallest initialization converged to one.");
        if (missed.Count == 0) return head + (every ? " The conjecture holds on this instance." : " The conjecture holds in every regime that tests it.");
        bool lowerRank = missed.All(v => v.GdEffectiveRank < v.NuclearEffectiveRank);
        // X_nuc stands for the nuclear norm's preference only where it is the one optimal completion; where the minimum
        // is not unique (or that is undecided), a rank below X_nuc's may still be the rank of another optimal completion.
        var unique = missed.Where(v => v.UniqueOptimum == true).ToList();
        var open = missed.Where(v => v.UniqueOptimum != true).ToList();
        // Said as decided where every such regime decided it: "not unique", "not decided", or both.
        string openWords = open.All(v => v.UniqueOptimum == false) ? "not unique" : open.All(v => v.UniqueOptimum is null) ? "not decided" : "not unique or not decided";
        string Observed(List<RegimeVerdict> vs) => string.Join(", ", vs.Select(v => Percent(v.Fraction))) + " observed";
        string excess = missed.Count == 1 ? ExcessText(missed[0].NuclearExcess, "F1")
            : missed.All(v => v.NuclearExcess >= 0)
                ? I($"{100 * missed.Min(v => v.NuclearExcess):F1} % to {ExcessText(missed.Max(v => v.NuclearExcess), "F1")}")
                : I($"from {ExcessText(missed.Min(v => v.NuclearExcess), "F1")} to {ExcessText(missed.Max(v => v.NuclearExcess), "F1")}");
        string others = missed.Count == separating.Count
            ? (missed.Count == 1 ? "There" : missed.Count == 2 ? "In both" : I($"In all {missed.Count}"))
            : (missed.Count == 1 ? "In the other one" : I($"In the other {missed.Count}"));
        // Said of the regimes it missed, not of the instance: where Y is the minimum, gradient descent may well find it.
        string where = missed.Count == 1 ? "in that regime" : "in those regimes";
        string notFound = $"gradient descent does not find the minimum nuclear-norm solution {where}.";
        return head + I($" {others} it stopped at a completion with a nuclear norm {excess} the minimum and effective rank {(missed.Count == 1 ? $"{missed[0].GdEffectiveRank} (X_nuc: {missed[0].NuclearEffectiveRank})" : string.Join(", ", missed.Select(v => $"{v.GdEffectiveRank} at {Percent(v.Fraction)} (X_nuc: {v.NuclearEffectiveRank})")))}: ")
            + (!lowerRank ? notFound
                : open.Count == 0 ? $"gradient descent is biased towards low rank, more strongly than the nuclear norm, and does not find the minimum nuclear-norm solution {where}."
                : unique.Count > 0
                    ? $"where the minimum is unique ({Observed(unique)}) gradient descent is biased towards low rank more strongly than the nuclear norm; where it is {openWords} ({Observed(open)}) X_nuc may be only one optimal completion, so X_nuc's higher rank there is no evidence of such a bias. G{notFound[1..]}"
                    : $"gradient descent ends at a lower effective rank than the solver's X_nuc, but the minimum is {openWords} there ({Observed(open)}), so X_nuc may be only one optimal completion and this shows no stronger bias towards low rank than the nuclear norm's; {notFound}");
    }

    private static string I(FormattableString s) => ReportFormat.Invariant(s);
}
