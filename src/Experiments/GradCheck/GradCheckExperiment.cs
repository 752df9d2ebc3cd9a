using Engine.Experiments.Context;
using Engine.Kernels.Calculus;

namespace Engine.Experiments.GradCheck;

/// <summary>The check of one parameter block of one random instance.</summary>
public sealed record GradientBlockResult(string Gradient, int Trial, string Block, DerivativeCheckResult Result)
{
    public bool Passed => Result.Passed;
}

/// <summary>
/// <c>engine gradcheck</c>: every hand-written gradient of <see cref="GradientChecks.All"/> on random instances,
/// each block checked coordinate by coordinate and along random directions with tolerances derived per probe.
/// </summary>
public static class GradCheckExperiment
{
    /// <summary>
    /// Trial t of check c draws its instance from split t of stream c of the run's seed, so a result depends on the
    /// seed, the check and the trial only.
    /// </summary>
    public static IReadOnlyList<GradientBlockResult> Run(ExperimentContext ctx, int trials)
    {
        var results = new List<GradientBlockResult>();
        for (int c = 0; c < GradientChecks.All.Count; c++)
        {
            IGradientCheck check = GradientChecks.All[c];
            for (int t = 0; t < trials; t++)
                foreach (GradientBlock block in check.Draw(ctx.Sampler((ulong)c).Split((ulong)t)))
                    results.Add(new GradientBlockResult(check.Name, t, block.Name, block.Check()));
        }
        return results;
    }
}
