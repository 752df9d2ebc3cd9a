using System.Globalization;
using Engine.Experiments.Context;
using Engine.Experiments.Overparam;

namespace Engine.Consumer;

/// <summary>
/// Homework 2, problem 2(c) at a small size, through <see cref="LearningRateSweepExperiment"/>: SGD on data from a
/// planted shallow ReLU network lowers the objective at the best step size, and the curves are the same bit for bit
/// on one thread and on several.
/// </summary>
public static class SgdDemo
{
    public static IEnumerable<Check> Run()
    {
        var setting = new ProblemSetting(D: 30, N: 4, R0: 6, Batch: 10, EpochSize: 1_000);
        double[] etas = [1e-3, 1e-2, 1e-1];
        const int epochs = 5;
        LearningRateSweepResult many = Sweep(setting, etas, epochs, threads: Math.Max(2, Environment.ProcessorCount));
        LearningRateSweepResult one = Sweep(setting, etas, epochs, threads: 1);

        TrainingCurve? best = many.Best;
        yield return new Check("SGD lowers the objective at the best step size",
            best is not null && best.Final < best.InitialObjective,
            best is null ? many.Answer() : Text($"{many.Answer()} First mini-batch objective {best.InitialObjective:G4}, last epoch {best.Final:G4}."));

        bool same = many.Curves.Zip(one.Curves).All(pair => pair.First.Objective.SequenceEqual(pair.Second.Objective));
        yield return new Check("the curves do not depend on the thread count", same,
            Text($"{many.Curves.Count} curves of {epochs} epochs, on 1 and on {Math.Max(2, Environment.ProcessorCount)} threads"));
    }

    private static LearningRateSweepResult Sweep(ProblemSetting setting, double[] etas, int epochs, int threads)
    {
        var ctx = new ExperimentContext(seed: 7, threads);
        PlantedNetwork planted = SgdSweep.Planted(ctx.Sampler(), setting);
        return LearningRateSweepExperiment.Run(ctx, setting, planted, etas, setting.WidthOf(2), epochs);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
