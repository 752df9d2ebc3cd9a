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
    /// A run that can go on from one of <paramref name="from"/>'s (see <see cref="SweepRuns.StartFor"/>) starts where
    /// that one stopped, with the same curve it would give from the start.
    /// </summary>
    public static TrainingCurve[] Run(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description,
        SweepRuns? from = null) =>
        Train(ctx, planted, runs, description, from).Curves();

    /// <summary><see cref="Run(ExperimentContext, PlantedNetwork, IReadOnlyList{TrainingSettings}, string, SweepRuns?)"/>, returning the trained runs, from which a later sweep can go on.</summary>
    public static SweepRuns Train(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description,
        SweepRuns? from = null)
    {
        if (runs.Count == 0) return new SweepRuns(ctx.Seed, planted, []);
        var (chunkBatches, slots) = SharedBatchRing.Geometry(BatchBytes(runs[0].Batch, planted.D, planted.N));
        return Train(ctx, planted, runs, description, chunkBatches, slots, from);
    }

    /// <summary><see cref="Run(ExperimentContext, PlantedNetwork, IReadOnlyList{TrainingSettings}, string, SweepRuns?)"/> with a ring of <paramref name="slots"/> chunks of <paramref name="chunkBatches"/> mini-batches (tests and tuning).</summary>
    internal static TrainingCurve[] Run(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description,
        int chunkBatches, int slots, SweepRuns? from = null) =>
        Train(ctx, planted, runs, description, chunkBatches, slots, from).Curves();

    /// <summary>
    /// What it takes to replay the first steps of the runs of <paramref name="runs"/> in a sweep of this context's seed on
    /// <paramref name="planted"/> (see <see cref="Replay(NormalSampler, PlantedNetwork, IReadOnlyList{TrainingSettings})"/>).
    /// </summary>
    public static SweepReplay Replay(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs) =>
        Replay(ctx.Sampler(), planted, runs);

    /// <summary>The samples whose steps a replay keeps: 50 steps of the homework's batch of 10, 5 of a batch of 100, one of a larger one.</summary>
    public const int ReplaySamples = 500;

    /// <summary>
    /// How many first steps of runs with batch size <paramref name="batch"/> a replay holds: <see cref="ReplaySamples"/>
    /// samples' worth, at least one step and at most <see cref="SgdRun.RecordedSteps"/>, so that the batches' file stays a
    /// few megabytes whatever the batch size.
    /// </summary>
    public static int ReplaySteps(int batch) => Math.Clamp((ReplaySamples + batch - 1) / batch, 1, SgdRun.RecordedSteps);

    /// <summary>
    /// The replay of runs that train from <paramref name="root"/> as a sweep does (initial weights from split 2 by width,
    /// batches from split 1), drawn again from those splits: the initial weights of each distinct (width,
    /// parameterization, initialization scale), and for each batch size the first <see cref="ReplaySteps"/> mini-batches.
    /// </summary>
    public static SweepReplay Replay(NormalSampler root, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs)
    {
        var initial = runs.DistinctBy(s => (s.R, s.Parameterization, s.InitScale)).Select(s =>
        {
            var network = SgdRun.InitialNetwork(planted, s, InitSampler(root, s));
            return new SweepReplay.Weights(s.R, s.Parameterization, s.InitScale, network.U.ToArray(), network.V.ToArray());
        }).ToArray();
        var streams = runs.Select(s => s.Batch).Distinct().Select(batch =>
        {
            int steps = ReplaySteps(batch);
            PlantedStream stream = Stream(root, planted, batch);
            float[] x = new float[steps * stream.X.Length], y = new float[steps * stream.Y.Length];
            for (int k = 0; k < steps; k++)
                stream.NextInto(x.AsSpan(k * stream.X.Length, stream.X.Length), y.AsSpan(k * stream.Y.Length, stream.Y.Length));
            return new SweepReplay.Batches(batch, steps, x, y);
        }).ToArray();
        return new SweepReplay(initial, streams);
    }

    /// <summary>The stream of mini-batches every run of a sweep takes, from its start.</summary>
    internal static PlantedStream Stream(NormalSampler root, PlantedNetwork planted, int batch) => new(planted, root.Split(1), batch);

    /// <summary>The draws of a run's initial weights: runs of one width start from the same weights.</summary>
    internal static NormalSampler InitSampler(NormalSampler root, TrainingSettings s) => root.Split(2).Split((ulong)s.R);

    private static SweepRuns Train(ExperimentContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description,
        int chunkBatches, int slots, SweepRuns? from)
    {
        if (runs.Count == 0) return new SweepRuns(ctx.Seed, planted, []);
        int batch = runs[0].Batch;
        if (runs.Any(r => r.Batch != batch)) throw new ArgumentException("Runs that share batches need one batch size.");
        NormalSampler root = ctx.Sampler();
        var starts = runs.Select(s => from?.StartFor(ctx.Seed, planted, s)).ToArray();
        double totalEpochs = runs.Select((s, i) => (double)s.Epochs - (starts[i]?.CompletedEpochs ?? 0)).Sum();
        return ctx.Progress.Run(description, totalEpochs, sink =>
        {
            var states = runs.Select((s, i) => starts[i] is SgdRun start
                ? start.ContinueAs(s, () => sink.Advance(1))
                : new SgdRun(planted, s, InitSampler(root, s), () => sink.Advance(1))).ToArray();
            // A step's cost grows with the width: among runs equally far along, the widest is fed first.
            using var ring = new SharedBatchRing(Stream(root, planted, batch), states, s => s.Settings.R, chunkBatches, slots);
            ctx.ParallelWorkers(states.Length + 1, ring.Work);
            return new SweepRuns(ctx.Seed, planted, states);
        });
    }
}

/// <summary>
/// The runs of one sweep as it left them, with what they trained on (the seed and the planted network), so that a later
/// sweep can go on from them instead of repeating their batches: problem 2 (d)'s run at the width and step size that (c)
/// found best repeats, for its first 20 epochs, exactly (c)'s run.
/// </summary>
public sealed class SweepRuns
{
    private readonly ulong _seed;
    private readonly PlantedNetwork _planted;
    private readonly SgdRun[] _runs;

    internal SweepRuns(ulong seed, PlantedNetwork planted, SgdRun[] runs)
    {
        _seed = seed;
        _planted = planted;
        _runs = runs;
    }

    /// <summary>The curve of every run, in the sweep's order.</summary>
    public TrainingCurve[] Curves() => _runs.Select(r => r.Curve()).ToArray();

    /// <summary>
    /// The run of this sweep, if any, that a run of <paramref name="settings"/> in a sweep of <paramref name="seed"/> on
    /// <paramref name="planted"/> can go on from: trained on the same stream of batches from the same initial weights
    /// (the same seed and planted network), with the same settings but no more epochs (<see cref="SgdRun.CanContinueAs"/>);
    /// the one furthest along among several.
    /// </summary>
    public SgdRun? StartFor(ulong seed, PlantedNetwork planted, TrainingSettings settings) =>
        seed == _seed && ReferenceEquals(planted, _planted)
            ? _runs.Where(r => r.CanContinueAs(settings)).MaxBy(r => r.Batches)
            : null;
}
