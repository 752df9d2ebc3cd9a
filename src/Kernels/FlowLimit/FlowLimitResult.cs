namespace Engine.Kernels.FlowLimit;

/// <summary>The limit of a gradient flow on a factorized least-squares problem, with the certificate of its optimality.</summary>
/// <param name="W">
/// The limit w (length m): <c>p ⊙ exp(A^T nu)</c> in the nonnegative model,
/// <c>p+ ⊙ exp(A^T nu) - p- ⊙ exp(-A^T nu)</c> in the signed model; exactly zero on <paramref name="ForcedZeros"/>.
/// </param>
/// <param name="Nu">
/// The dual variable (length n). When A restricted to the free coordinates has dependent rows, the entries of the
/// dropped rows are zero and the others are the unique dual of the kept rows.
/// </param>
/// <param name="Iterations">Newton iterations taken.</param>
/// <param name="RelativeResidual">
/// <c>||A w - y|| / ||y||</c> at the returned point (relative to <c>|| |A| |w| ||</c> when y = 0).
/// </param>
/// <param name="DualityGap">
/// Primal minus dual objective. For a w built from nu it equals <c>nu^T (A w - y)</c> exactly, and it is
/// evaluated in that form, because the difference of the two objectives loses digits to cancellation.
/// </param>
/// <param name="PrimalObjective">
/// The divergence minimized, evaluated from w and the priors alone: <c>sum w log(w/p) - w + p</c> (nonnegative) or
/// <c>sum w s*(w) - sqrt(w^2 + 4 p+ p-)</c> with <c>s*(w) = asinh(w / (2 sqrt(p+ p-))) + log(p- / p+) / 2</c>
/// (signed, the hypentropy potential when <c>p+ = p- = a^2</c>). Over the free coordinates only.
/// </param>
/// <param name="DualObjective">
/// <c>nu^T y - sum (u + v)</c> with the dual's exponentials u and v (plus <c>sum p</c> in the nonnegative model,
/// so that both objectives have the same optimum). Over the free coordinates only.
/// </param>
/// <param name="Converged">Whether <paramref name="RelativeResidual"/> met the tolerance.</param>
/// <param name="ForcedZeros">
/// Coordinates (ascending) that are zero for every feasible w of the nonnegative model: y lies on a face of the cone
/// <c>A R^m_+</c>. Always empty in the signed model.
/// </param>
public sealed record FlowLimitResult(
    double[] W,
    double[] Nu,
    int Iterations,
    double RelativeResidual,
    double DualityGap,
    double PrimalObjective,
    double DualObjective,
    bool Converged,
    int[] ForcedZeros);
