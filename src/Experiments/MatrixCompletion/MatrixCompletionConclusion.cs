using System.Globalization;
using Engine.Kernels.Factorized;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>What the numbers of one regime say about the conjecture, with the numbers they say it from.</summary>
public sealed record RegimeVerdict(
    double Fraction,
    double NuclearToTruth,
    double SdpAccuracy,
    bool SdpConverged,
    double SmallestAlpha,
    double LargestAlpha,
    double Eta,
    double DistanceToNuclear,
    double DistanceToTruth,
    double DistanceToNuclearAtLargestAlpha,
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
/// Rules: X_nuc and Y "coincide" when <c>||X_nuc - Y|| / ||Y||</c> is below 1e-3; otherwise GD "converges to X_nuc"
/// when its distance to X_nuc is below a tenth of both its distance to Y and the X_nuc-to-Y distance, and "goes
/// to Y" when it is closer to Y than to X_nuc. The gap to X_nuc is "real" when it exceeds 100 times both the
/// SDP's certified accuracy and gradient descent's own relative residual on the observed entries, otherwise it
/// is "at the level of the solvers' accuracy".
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
        CompletionRun closest = runs.Where(x => x.Eta == eta).MinBy(x => x.DistanceToNuclear)!;
        CompletionRun coarse = runs.Single(x => x.Alpha == largestAlpha && x.Eta == eta);
        double accuracy = r.Nuclear.Certificate.Accuracy;
        double dNuc = best.DistanceToNuclear, dY = best.DistanceToTruth;

        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        string setting = I($"With {r.Instance.Fraction:P0} of the entry pairs observed (D = {r.Instance.D}, rank {r.Instance.Rank}), ");
        string answer;
        bool separates = r.NuclearToTruth >= CoincideBelow && best.Gd.Outcome != DescentOutcome.Diverged;
        bool reaches = dNuc < 0.1 * dY && dNuc < 0.1 * r.NuclearToTruth;
        if (best.Gd.Outcome == DescentOutcome.Diverged)
        {
            answer = I($"every gradient descent run diverged ({diverged.Count} of {all.Count}), so this regime says nothing about the conjecture.");
        }
        else if (r.NuclearToTruth < CoincideBelow)
        {
            answer = I($"the minimum nuclear-norm completion equals Y (||X_nuc - Y||/||Y|| = {r.NuclearToTruth:E1}), and gradient descent from alpha = {smallestAlpha:G3} ends {dNuc:E2} from it: ")
                + (dNuc < 0.01 ? "it recovers Y, consistent with the conjecture but not a test that separates X_nuc from Y."
                               : "it does not recover Y even though nuclear-norm minimization does.");
        }
        else
        {
            string where = reaches
                ? "it converges to the minimum nuclear-norm completion, not to Y"
                : dY < dNuc ? "it is closer to Y than to the minimum nuclear-norm completion, against the conjecture"
                : "it is closer to the minimum nuclear-norm completion than to Y, but not close to either";
            answer = I($"X_nuc differs from Y by {r.NuclearToTruth:P1} and gradient descent from alpha = {smallestAlpha:G3} (eta = {eta:G3}) ends {dNuc:E2} from X_nuc and {dY:E2} from Y: {where}.")
                + I($" Its nuclear norm is {best.Spectrum.NuclearNorm:F4} against the minimum {r.NuclearSpectrum.NuclearNorm:F4} ({best.Spectrum.NuclearNorm / r.NuclearSpectrum.NuclearNorm - 1:+0.00%;-0.00%}) and ||Y||_* = {r.TruthSpectrum.NuclearNorm:F4}; its effective rank is {best.Spectrum.EffectiveRank} against {r.NuclearSpectrum.EffectiveRank} for X_nuc and {r.Instance.Rank} for Y.");
        }
        string approach = closest.Alpha == smallestAlpha ? ""
            : I($" (closest, {closest.DistanceToNuclear:E2}, at alpha = {closest.Alpha:G3})");
        string trend = best.Gd.Outcome == DescentOutcome.Diverged ? "" : I($" Its distance to X_nuc goes from {coarse.DistanceToNuclear:E2} at alpha = {largestAlpha:G3} to {dNuc:E2} at alpha = {smallestAlpha:G3}{approach}")
            + (dNuc > 100 * Math.Max(accuracy, best.ObservedResidual)
                ? I($"; the SDP is certified to {accuracy:E1} and gradient descent fits the observed entries to {best.ObservedResidual:E1}, so the remaining gap is real, not solver error.")
                : I($"; the SDP is certified to {accuracy:E1} and gradient descent fits the observed entries to {best.ObservedResidual:E1}, so the remaining gap is at the level of the solvers' accuracy."));
        if (best.Gd.Outcome == DescentOutcome.BudgetExhausted)
            trend += I($" (That run used its whole budget of {best.Gd.Steps} steps without reaching the loss tolerance; its final loss is {best.Gd.FinalLoss:E2}.)");
        if (diverged.Count > 0 && diverged.Count < all.Count)
            trend += I($" ({diverged.Count} of {all.Count} runs diverged and are left out: ")
                + string.Join("; ", diverged.Select(x => I($"alpha = {x.Alpha:G3}, eta = {x.Eta:G3}"))) + ".)";
        if (!r.Nuclear.Certificate.Converged)
            trend += I($" (The SDP did not reach its tolerance {r.Nuclear.Certificate.Tolerance:E0} within {r.Nuclear.Certificate.Iterations} iterations.)");

        return new RegimeVerdict(r.Instance.Fraction, r.NuclearToTruth, accuracy, r.Nuclear.Certificate.Converged, smallestAlpha, largestAlpha,
            eta, dNuc, dY, coarse.DistanceToNuclear, best.Gd.Outcome, best.Gd.Steps,
            best.Spectrum.NuclearNorm / r.NuclearSpectrum.NuclearNorm - 1, best.Spectrum.EffectiveRank, r.NuclearSpectrum.EffectiveRank,
            separates, reaches, setting + answer + trend);
    }

    /// <summary>One sentence over all regimes: in how many of those that separate X_nuc from Y gradient descent reached X_nuc.</summary>
    public static string Overall(IReadOnlyList<RegimeVerdict> verdicts)
    {
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        var separating = verdicts.Where(v => v.Separates).ToList();
        if (verdicts.All(v => v.Outcome == DescentOutcome.Diverged))
            return "Gradient descent diverged in every regime, so this run can not test the conjecture; lower --init-scales or --lrs.";
        if (separating.Count == 0)
            return "No regime separated the minimum nuclear-norm completion from Y, so this run can not test the conjecture; lower --fractions.";
        var missed = separating.Where(v => !v.ReachesNuclear).ToList();
        string head = I($"Overall: in {separating.Count - missed.Count} of the {separating.Count} regimes where the minimum nuclear-norm completion differs from Y, gradient descent from the smallest initialization converged to it.");
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
