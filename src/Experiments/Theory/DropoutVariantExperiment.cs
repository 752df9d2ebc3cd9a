using Engine.Experiments.Context;

namespace Engine.Experiments.Theory;

/// <summary>The Monte Carlo checks of problem 1 (a), one per (instance, m), and the gradient bias of problem 1 (b), one per m.</summary>
public sealed record DropoutVariantResult(IReadOnlyList<DropoutVariantCheck> Checks, IReadOnlyList<(int M, double Bias)> Bias);

/// <summary>Homework 3, problem 1: the expectation in (3) against (4) by Monte Carlo, and the bias of the naive stochastic gradient.</summary>
public static class DropoutVariantExperiment
{
    public static readonly int[] DefaultMs = [2, 3, 5, 10];
    public const int DefaultInstances = 3;
    public const int DefaultSamples = 200_000;

    /// <summary>Both parts: the Monte Carlo checks, then the gradient bias.</summary>
    public static DropoutVariantResult Run(ExperimentContext ctx, int[] ms, int instances, int samples) =>
        new(MonteCarlo(ctx, ms, instances, samples), GradientBias(ctx));

    /// <summary>Each row: one random (U, V) instance and one m.</summary>
    public static IReadOnlyList<DropoutVariantCheck> MonteCarlo(ExperimentContext ctx, int[] ms, int instances, int samples)
    {
        var jobs = (from i in Enumerable.Range(0, instances) from m in ms select (Instance: i, M: m)).ToArray();
        var results = new DropoutVariantCheck[jobs.Length];
        var root = ctx.Sampler(31);
        ctx.Progress.Run("dropout variant Monte Carlo", jobs.Length, sink =>
            ctx.ParallelFor(jobs.Length, j =>
            {
                // The instance depends only on its index; the Monte Carlo draws only on (instance, m).
                var instance = new DropoutVariantInstance(d: 12, n: 10, r: 6, root.Split((ulong)jobs[j].Instance));
                results[j] = DropoutVariant.Check(instance, jobs[j].M, samples, root.Split(1000 + (ulong)j));
                sink.Advance(1);
            }));
        return results;
    }

    /// <summary>Problem 1 (b): the relative bias of the draws-held-fixed gradient, on a small instance where every draw can be enumerated.</summary>
    public static IReadOnlyList<(int M, double Bias)> GradientBias(ExperimentContext ctx)
    {
        var instance = new DropoutVariantInstance(d: 4, n: 3, r: 3, ctx.Sampler(32));
        return new[] { 2, 3, 4 }.Select(m => (m, DropoutVariant.PathwiseGradientBias(instance, m))).ToList();
    }
}
