using Engine.Experiments.Context;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// Independent SGD runs on one planted network, in parallel over the cores. Every run's randomness is a function
/// of the seed and of its own settings only, so curves are identical bit for bit whatever the thread count.
/// </summary>
/// <remarks>
/// <para>Streams of the root sampler: 0 draws the planted weights; 1 is the data stream, which every run consumes
/// from its start (so runs differ only in width and step size: a paired comparison); 2 is split by the width r
/// to initialize a network, so runs of the same width start from the same weights.</para>
/// <para>Because every run sees the same batches, the batches are drawn once per sweep, in chunks, into a ring of
/// buffers that the runs take from at their own pace (<see cref="SharedBatchRing"/>): drawing is one more piece of
/// work for whichever thread is free. Each run's curve is exactly what <see cref="SgdTrainer.Train"/> gives for it
/// alone.</para>
/// </remarks>
public static class SgdSweep
{
    /// <summary>Mini-batches a sweep holds in memory at once (the shared ring's chunk buffers) for batches of m samples of D inputs and n labels.</summary>
    public static long BufferedBatches(int m, int d, int n)
    {
        var (chunkBatches, slots) = SharedBatchRing.Geometry(BatchBytes(m, d, n));
        return (long)chunkBatches * slots;
    }

    private static double BatchBytes(int m, int d, int n) => (double)m * ((double)d + n) * sizeof(float);

    /// <summary>The planted network of <paramref name="setting"/>, drawn from split 0 of <paramref name="root"/> (the weights every sweep of a seed shares).</summary>
    public static PlantedNetwork Planted(NormalSampler root, ProblemSetting setting) =>
        PlantedNetwork.Draw(root.Split(0), setting.D, setting.R0, setting.N);

    /// <summary>
    /// Trains every run of <paramref name="runs"/> (one batch size for all) on the same stream of mini-batches and
    /// returns their curves in the order given; <paramref name="description"/> names the work for the progress reporter.
    /// </summary>
    public static TrainingCurve[] Run(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description)
    {
        if (runs.Count == 0) return [];
        var (chunkBatches, slots) = SharedBatchRing.Geometry(BatchBytes(runs[0].Batch, planted.D, planted.N));
        return Run(ctx, planted, runs, description, chunkBatches, slots);
    }

    /// <summary><see cref="Run(ExperimentContext, PlantedNetwork, IReadOnlyList{TrainingSettings}, string)"/> with a ring of <paramref name="slots"/> chunks of <paramref name="chunkBatches"/> mini-batches (tests and tuning).</summary>
    internal static TrainingCurve[] Run(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description,
        int chunkBatches, int slots)
    {
        if (runs.Count == 0) return [];
        int batch = runs[0].Batch;
        if (runs.Any(r => r.Batch != batch)) throw new ArgumentException("Runs that share batches need one batch size.");
        NormalSampler root = ctx.Sampler();
        double totalEpochs = runs.Sum(r => (double)r.Epochs);
        return ctx.Progress.Run(description, totalEpochs, sink =>
        {
            var states = runs.Select(s => new SgdRun(planted, s, root.Split(2).Split((ulong)s.R), () => sink.Advance(1))).ToArray();
            // A step's cost grows with the width: among runs equally far along, the widest is fed first.
            using var ring = new SharedBatchRing(new PlantedStream(planted, root.Split(1), batch), states, s => s.Settings.R, chunkBatches, slots);
            ctx.ParallelWorkers(states.Length + 1, ring.Work);
            return states.Select(s => s.Curve()).ToArray();
        });
    }
}
