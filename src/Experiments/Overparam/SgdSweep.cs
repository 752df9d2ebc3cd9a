using Engine.Experiments.Cli;
using Engine.Experiments.Output;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// Independent SGD runs on one planted network, in parallel over the cores. Every run's randomness is a function
/// of the seed and of its own settings only, so curves are identical bit for bit whatever the thread count.
/// </summary>
/// <remarks>
/// Streams of the root sampler: 0 draws the planted weights; 1 is the data stream, which every run replays from
/// its start (so runs differ only in width and step size: a paired comparison); 2 is split by the width r to
/// initialize a network, so runs of the same width start from the same weights.
/// </remarks>
public static class SgdSweep
{
    public static PlantedNetwork Planted(NormalSampler root, ProblemSetting setting) =>
        PlantedNetwork.Draw(root.Split(0), setting.D, setting.R0, setting.N);

    public static TrainingCurve[] Run(RunContext ctx, PlantedNetwork planted, IReadOnlyList<TrainingSettings> runs, string description)
    {
        NormalSampler root = ctx.Sampler();
        var curves = new TrainingCurve[runs.Count];
        double totalEpochs = runs.Sum(r => (double)r.Epochs);
        Progress.Run(ctx, description, totalEpochs, sink =>
            ctx.ParallelFor(runs.Count, i =>
                curves[i] = SgdTrainer.Train(planted, runs[i], root.Split(2).Split((ulong)runs[i].R), root.Split(1),
                    () => sink.Advance(1))));
        return curves;
    }
}
