using Engine.Experiments.Context;

namespace Engine.Experiments.Theory;

/// <summary>The Monte Carlo checks of problem 1 (a), one per (instance, m), and the gradient bias of problem 1 (b), one per m.</summary>
/// <remarks>
/// <c>Instances</c> are the Monte Carlo instances (instance i of every check row with that index), <c>BiasInstance</c>
/// the one the gradient bias is enumerated on: the data each answer rests on, so it can be checked elsewhere.
/// </remarks>
public sealed record DropoutVariantResult(IReadOnlyList<DropoutVariantCheck> Checks, IReadOnlyList<(int M, double Bias)> Bias,
    IReadOnlyList<DropoutVariantInstance> Instances, DropoutVariantInstance BiasInstance);

/// <summary>Homework 3, problem 1: the expectation in (3) against (4) by Monte Carlo, and the bias of the naive stochastic gradient.</summary>
public static class DropoutVariantExperiment
{
    public static readonly int[] DefaultMs = [2, 3, 5, 10];
    public const int DefaultInstances = 3;
    public const int DefaultSamples = 200_000;

    /// <summary>Both parts: the Monte Carlo checks, then the gradient bias.</summary>
    public static DropoutVariantResult Run(ExperimentContext ctx, int[] ms, int instances, int samples) =>
        new(MonteCarlo(ctx, ms, instances, samples), GradientBias(ctx),
            Enumerable.Range(0, instances).Select(i => MonteCarloInstance(ctx, i)).ToList(), BiasInstance(ctx));

    /// <summary>Instance i of the Monte Carlo checks, drawn afresh (the checks draw their own copy, so nothing is shared between threads).</summary>
    public static DropoutVariantInstance MonteCarloInstance(ExperimentContext ctx, int i) =>
        new(d: 12, n: 10, r: 6, ctx.Sampler(31).Split((ulong)i));

    /// <summary>The small instance of problem 1 (b), where every draw can be enumerated.</summary>
    public static DropoutVariantInstance BiasInstance(ExperimentContext ctx) => new(d: 4, n: 3, r: 3, ctx.Sampler(32));

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
                var instance = MonteCarloInstance(ctx, jobs[j].Instance);
                results[j] = DropoutVariant.Check(instance, jobs[j].M, samples, root.Split(1000 + (ulong)j)) with { Instance = jobs[j].Instance };
                sink.Advance(1);
            }));
        return results;
    }

    /// <summary>Problem 1 (b): the relative bias of the draws-held-fixed gradient, on a small instance where every draw can be enumerated.</summary>
    public static IReadOnlyList<(int M, double Bias)> GradientBias(ExperimentContext ctx)
    {
        var instance = BiasInstance(ctx);
        return new[] { 2, 3, 4 }.Select(m => (m, DropoutVariant.PathwiseGradientBias(instance, m))).ToList();
    }
}
