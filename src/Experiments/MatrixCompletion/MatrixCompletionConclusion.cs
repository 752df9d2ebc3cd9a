using System.Globalization;
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
    string Sentence);

/// <summary>
/// Turns a regime's runs into a one-sentence answer. The run compared is the one with the smallest alpha and the
/// smallest step size that reached the loss tolerance (closest to gradient flow from zero, the limit the
/// conjecture is about); if none at that alpha did, the smallest step size. Diverged runs take no part.
/// </summary>
/// <remarks>
/// Gradient descent is measured against the whole set of minimum nuclear-norm completions (the nearest member), since
/// the minimum need not be unique. Rules: Y "is optimal" when its distance to the optimal set is below 1e-3 of ||Y||;
/// otherwise GD "converges to the minimum nuclear-norm set" when its distance to the set is below a tenth of both its
/// distance to Y and Y's distance to the set, and "goes to Y" when it is closer to Y than to the set. The gap is
/// "real" when it exceeds 100 times the SDP's worst certified measure, gradient descent's own relative residual on
/// the observed entries and the certified width of the distance, otherwise it is "at the level of the solvers'
/// accuracy". A regime whose SDP is not certified draws no conclusion about X_nuc.
/// </remarks>
public static class MatrixCompletionConclusion
{
    public const double CoincideBelow = 1e-3;

    /// <summary>The verdict of every regime, in the order of the settings' fractions.</summary>
    public static IReadOnlyList<RegimeVerdict> ForEachRegime(MatrixCompletionResult results) =>
        Enumerable.Range(0, results.Regimes.Count).Select(r => For(results, r)).ToList();

    public static RegimeVerdict For(MatrixCompletionResult results, int regime)
    {
        CompletionRegime r = results.Regimes[regime];
        var all = results.Runs.Where(x => x.Regime == regime).ToList();
        // Diverged runs have no meaningful X_GD (often NaN or infinite): they are left out of the comparison and
        // named in the sentence; only when every run diverged is the verdict drawn from them.
        var diverged = all.Where(x => x.Gd.Outcome == DescentOutcome.Diverged).ToList();
        var runs = diverged.Count == all.Count ? all : all.Where(x => x.Gd.Outcome != DescentOutcome.Diverged).ToList();
        double smallestAlpha = runs.Min(x => x.Alpha), largestAlpha = runs.Max(x => x.Alpha);
        var atSmallest = runs.Where(x => x.Alpha == smallestAlpha).ToList();
        var converged = atSmallest.Where(x => x.Gd.Outcome == DescentOutcome.Converged).ToList();
        double eta = (converged.Count > 0 ? converged : atSmallest).Min(x => x.Eta);
        CompletionRun best = atSmallest.Single(x => x.Eta == eta);
        CompletionRun closest = runs.Where(x => x.Eta == eta).MinBy(x => x.DistanceToOptimalSet)!;
        CompletionRun coarse = runs.Single(x => x.Alpha == largestAlpha && x.Eta == eta);
        CompletionCertificate c = r.Nuclear.Certificate;
        double dSet = best.DistanceToOptimalSet, dY = best.DistanceToTruth;

        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        string setting = I($"With {r.Instance.Fraction:P0} of the entry pairs observed (D = {r.Instance.D}, rank {r.Instance.Rank}), ");
        string sdp = Sdp(r);
        bool separates = r.Certified && r.TruthToOptimalSet >= CoincideBelow && best.Gd.Outcome != DescentOutcome.Diverged;
        bool reaches = r.Certified && dSet < 0.1 * dY && dSet < 0.1 * r.TruthToOptimalSet;
        string answer;
        if (best.Gd.Outcome == DescentOutcome.Diverged)
            answer = I($"every gradient descent run diverged ({diverged.Count} of {all.Count}), so this regime says nothing about the conjecture.");
        else if (!r.Certified)
            answer = I($"gradient descent from alpha = {smallestAlpha:G3} ends {dY:E2} from Y, but without a certified minimum nuclear-norm completion this regime draws no conclusion about the conjecture.");
        else if (r.TruthToOptimalSet < CoincideBelow)
            answer = I($"Y is itself a minimum nuclear-norm completion (its distance to the optimal set is {r.TruthToOptimalSet:E1} of ||Y||), and gradient descent from alpha = {smallestAlpha:G3} ends {dSet:E2} from that set: ")
                + (dSet < 0.01 ? "it recovers Y, consistent with the conjecture but not a test that separates the minimum nuclear-norm completions from Y."
                               : "it does not recover Y even though nuclear-norm minimization does.");
        else
        {
            string where = reaches
                ? "it converges to a minimum nuclear-norm completion, not to Y"
                : dY < dSet ? "it is closer to Y than to any minimum nuclear-norm completion, against the conjecture"
                : "it is closer to the minimum nuclear-norm completions than to Y, but not close to either";
            answer = I($"Y is {r.TruthToOptimalSet:E2} (relative) from the nearest minimum nuclear-norm completion, and gradient descent from alpha = {smallestAlpha:G3} (eta = {eta:G3}) ends {dSet:E2} from the nearest one and {dY:E2} from Y: {where}.")
                + I($" Its nuclear norm is {best.Spectrum.NuclearNorm:F6}, {100 * best.NuclearExcess:F2}% above the certified minimum {c.PrimalObjective:F6} (||Y||_* = {r.TruthSpectrum.NuclearNorm:F6}); its effective rank is {best.Spectrum.EffectiveRank} against {r.NuclearSpectrum.EffectiveRank} for the solver's X_nuc and {r.Instance.Rank} for Y.");
        }
        string trend = "";
        if (best.Gd.Outcome != DescentOutcome.Diverged && r.Certified)
        {
            string approach = closest.Alpha == smallestAlpha ? "" : I($" (closest, {closest.DistanceToOptimalSet:E2}, at alpha = {closest.Alpha:G3})");
            double floor = Math.Max(c.WorstRelativeMeasure, Math.Max(best.ObservedResidual, best.DistanceAccuracy));
            trend = I($" Its distance to the optimal set goes from {coarse.DistanceToOptimalSet:E2} at alpha = {largestAlpha:G3} to {dSet:E2} at alpha = {smallestAlpha:G3}{approach}")
                + (dSet > 100 * floor
                    ? I($"; with the SDP certified to {c.WorstRelativeMeasure:E1}, the distance certified to {best.DistanceAccuracy:E1} and gradient descent fitting the observed entries to {best.ObservedResidual:E1}, the remaining gap is real, not solver error.")
                    : I($"; with the SDP certified to {c.WorstRelativeMeasure:E1}, the distance certified to {best.DistanceAccuracy:E1} and gradient descent fitting the observed entries to {best.ObservedResidual:E1}, the remaining gap is at the level of the solvers' accuracy."));
        }
        if (best.Gd.Outcome == DescentOutcome.BudgetExhausted)
            trend += I($" (That run used its whole budget of {best.Gd.Steps} steps without reaching the loss tolerance; its final loss is {best.Gd.FinalLoss:E2}.)");
        if (diverged.Count > 0 && diverged.Count < all.Count)
            trend += I($" ({diverged.Count} of {all.Count} runs diverged and are left out: ")
                + string.Join("; ", diverged.Select(x => I($"alpha = {x.Alpha:G3}, eta = {x.Eta:G3}"))) + ".)";

        return new RegimeVerdict(r.Instance.Fraction, r.NuclearToTruth, r.TruthToOptimalSet, r.Certified, c.WorstRelativeMeasure, smallestAlpha, largestAlpha,
            eta, best.DistanceToNuclear, dSet, dY, coarse.DistanceToOptimalSet, best.Gd.Outcome, best.Gd.Steps,
            best.NuclearExcess, best.Spectrum.EffectiveRank, r.NuclearSpectrum.EffectiveRank,
            separates, reaches, setting + sdp + " " + answer + trend);
    }

    /// <summary>
    /// What the SDP solve established: certified or not (with its figures either way), whether Slater's condition
    /// failed and facial reduction was needed, and whether the minimum is unique.
    /// </summary>
    public static string Sdp(CompletionRegime r)
    {
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        CompletionCertificate c = r.Nuclear.Certificate;
        string figures = I($"primal residual {c.PrimalResidual:E1}, dual infeasibility {c.DualInfeasibility:E1}, duality gap {c.DualityGap:E1}");
        string text = c.Certified
            ? I($"the minimum nuclear-norm completion is certified: trace {c.PrimalObjective:F9} with {figures}, all within the tolerance {c.Tolerance:E0}.")
            : I($"the SDP is NOT certified: {figures} against the tolerance {c.Tolerance:E0} (trace {c.PrimalObjective:F9} unverified).");
        var face = r.Nuclear.Face;
        if (face.SlaterFailed)
        {
            string blocks = string.Join(", ", face.SingularBlocks.Take(3).Select(b => "{" + string.Join(", ", b) + "}"));
            text += I($" Slater's condition fails: {face.SingularBlocks.Count} fully observed principal block(s) of Y are singular (rows and columns {blocks}{(face.SingularBlocks.Count > 3 ? ", ..." : "")}, 0-based), which forces {face.ForcedNullDirections} null direction(s) on every feasible X; the SDP is solved on that face.");
        }
        if (r.Probe is { } probe)
            text += probe.SinglePoint
                ? " The minimum is unique."
                : I($" The minimum is not unique: the optimal set has dimension {probe.AffineDimension} and spans at least {probe.Diameter / Math.Max(1e-300, Engine.Kernels.Blas.Blas1.Nrm2(r.Nuclear.X)):E1} of ||X_nuc||, so gradient descent is measured against the nearest optimal completion, not the one the solver returned.");
        return text;
    }

    /// <summary>One sentence over all regimes: in how many of those that separate X_nuc from Y gradient descent reached X_nuc.</summary>
    public static string Overall(IReadOnlyList<RegimeVerdict> verdicts)
    {
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        var separating = verdicts.Where(v => v.Separates).ToList();
        var uncertified = verdicts.Where(v => !v.Certified).Select(v => v.Fraction.ToString("P0", CultureInfo.InvariantCulture)).ToList();
        string unverified = uncertified.Count == 0 ? "" : I($" (No conclusion where the SDP is not certified: {string.Join(", ", uncertified)} observed.)");
        return OverallOf(verdicts, separating) + unverified;
    }

    private static string OverallOf(IReadOnlyList<RegimeVerdict> verdicts, List<RegimeVerdict> separating)
    {
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        if (verdicts.All(v => v.Outcome == DescentOutcome.Diverged))
            return "Gradient descent diverged in every regime, so this run can not test the conjecture; lower --init-scales or --lrs.";
        if (separating.Count == 0)
            return "No certified regime separated the minimum nuclear-norm completions from Y, so this run can not test the conjecture; lower --fractions.";
        var missed = separating.Where(v => !v.ReachesNuclear).ToList();
        string head = I($"Overall: in {separating.Count - missed.Count} of the {separating.Count} regimes where Y is not a minimum nuclear-norm completion, gradient descent from the smallest initialization converged to one.");
        if (missed.Count == 0) return head + " The conjecture holds on this instance.";
        bool lowerRank = missed.All(v => v.GdEffectiveRank < v.NuclearEffectiveRank);
        string excess = missed.Count == 1 ? I($"{100 * missed[0].NuclearExcess:F1}%")
            : I($"{100 * missed.Min(v => v.NuclearExcess):F1}% to {100 * missed.Max(v => v.NuclearExcess):F1}%");
        string others = missed.Count == separating.Count
            ? (missed.Count == 1 ? "There" : missed.Count == 2 ? "In both" : I($"In all {missed.Count}"))
            : (missed.Count == 1 ? "In the other one" : I($"In the other {missed.Count}"));
        return head + I($" {others} it stopped at a completion with a nuclear norm {excess} above the minimum and effective rank {string.Join(", ", missed.Select(v => $"{v.GdEffectiveRank} (X_nuc: {v.NuclearEffectiveRank})"))}: ")
            + (lowerRank
                ? "gradient descent is biased towards low rank, more strongly than the nuclear norm, and does not find the minimum nuclear-norm solution on this instance."
                : "gradient descent does not find the minimum nuclear-norm solution on this instance.");
    }
}
