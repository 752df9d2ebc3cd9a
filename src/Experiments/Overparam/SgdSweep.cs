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
/// <para>Because every run sees the same batches, the batches are drawn once per sweep: in chunks of
/// <see cref="ChunkBatches"/> mini-batches, double-buffered, so that the next chunk is drawn as one more
/// parallel job while the runs train on the current one. Each run's curve is exactly what
/// <see cref="SgdTrainer.Train"/> gives for it alone.</para>
/// </remarks>
public static class SgdSweep
{
    /// <summary>Mini-batches per shared chunk: enough work per chunk to hide the synchronization, small enough to stay in cache.</summary>
    public const int ChunkBatches = 32;

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
        int batch = runs[0].Batch;
        if (runs.Any(r => r.Batch != batch)) throw new ArgumentException("Runs that share batches need one batch size.");
        NormalSampler root = ctx.Sampler();
        double totalEpochs = runs.Sum(r => (double)r.Epochs);
        return ctx.Progress.Run(description, totalEpochs, sink =>
        {
            var states = runs.Select(s => new SgdRun(planted, s, root.Split(2).Split((ulong)s.R), () => sink.Advance(1))).ToArray();
            var chunks = new SharedChunks(planted, root.Split(1), batch);
            chunks.Draw(0);
            // Longest runs first, so that a thread that picks them up early is not the one finishing last.
            int[] order = Enumerable.Range(0, states.Length).OrderByDescending(i => runs[i].R).ToArray();
            for (int current = 0; states.Any(s => !s.Done); current ^= 1)
            {
                int next = current ^ 1;
                ctx.ParallelFor(order.Length + 1, job =>
                {
                    if (job == 0) chunks.Draw(next);
                    else chunks.Feed(current, states[order[job - 1]]);
                });
            }
            return states.Select(s => s.Curve()).ToArray();
        });
    }

    /// <summary>Two buffers of <see cref="ChunkBatches"/> consecutive mini-batches of one planted stream.</summary>
    private sealed class SharedChunks(PlantedNetwork planted, NormalSampler sampler, int batch)
    {
        private readonly PlantedStream _stream = new(planted, sampler, batch);
        private readonly float[][] _x = [new float[ChunkBatches * batch * planted.D], new float[ChunkBatches * batch * planted.D]];
        private readonly float[][] _y = [new float[ChunkBatches * batch * planted.N], new float[ChunkBatches * batch * planted.N]];

        public void Draw(int buffer)
        {
            int xs = _stream.X.Length, ys = _stream.Y.Length;
            for (int b = 0; b < ChunkBatches; b++)
            {
                _stream.Next();
                _stream.X.CopyTo(_x[buffer].AsSpan(b * xs, xs));
                _stream.Y.CopyTo(_y[buffer].AsSpan(b * ys, ys));
            }
        }

        public void Feed(int buffer, SgdRun run)
        {
            int xs = _stream.X.Length, ys = _stream.Y.Length;
            for (int b = 0; b < ChunkBatches && !run.Done; b++)
                run.Train(_x[buffer].AsSpan(b * xs, xs), _y[buffer].AsSpan(b * ys, ys));
        }
    }
}
