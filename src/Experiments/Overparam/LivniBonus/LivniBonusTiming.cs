using System.Diagnostics;
using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>A measured time per step of one kind of run (optimizer, parameterization, batch, width), and of drawing a batch.</summary>
/// <param name="Microseconds">The median over the timed blocks.</param>
/// <param name="FastestMicroseconds">The fastest block: the time on an otherwise idle core.</param>
public sealed record StepTime(OptimizerKind Optimizer, Parameterization Parameterization, int Batch, int R, double Microseconds, double FastestMicroseconds);

/// <summary>Measured step times and what a plan costs at those times.</summary>
/// <param name="Draws">The time to draw a batch of each size (R = 0).</param>
public sealed record LivniBonusTimingResult(IReadOnlyList<StepTime> Steps, IReadOnlyList<StepTime> Draws)
{
    /// <summary>
    /// Single-core seconds of the plan at these step times (the medians, or the fastest blocks when
    /// <paramref name="fastest"/>): every run's steps plus every unit's batch draws.
    /// </summary>
    public double CoreSeconds(LivniBonusPlan plan, bool fastest = false)
    {
        ProblemSetting problem = plan.Problem;
        int[] widths = plan.Multiples.Select(problem.WidthOf).ToArray();
        double total = 0;
        foreach (BonusSetting s in plan.Settings)
        {
            int steps = s.Run(problem, widths[0], s.Eta, 1).StepsPerEpoch;
            double Of(StepTime t) => fastest ? t.FastestMicroseconds : t.Microseconds;
            double draw = Of(Draws.First(d => d.Batch == s.Batch));
            double perStep = draw + widths.Sum(r => Of(Steps.First(t => t.Optimizer == s.Optimizer && t.Batch == s.Batch && t.R == r)));
            total += perStep * steps * (double)s.Epochs * plan.Seeds;
            if (s.Rule == WidthRule.Tuned) total += perStep * steps * (double)plan.TuningEpochs * plan.TuningFactors.Count;
        }
        return total * 1e-6;
    }
}

/// <summary>
/// Measures, on one thread, the time of a training step for every (optimizer, batch, width) a plan uses and of drawing
/// a batch, so that the number of settings, seeds and epochs can be chosen from measured numbers.
/// </summary>
/// <remarks>
/// Each kind is warmed up for <see cref="WarmUp"/> (so the JIT has reached its optimized tier), then timed in
/// <see cref="Blocks"/> blocks; the median block is what a run on this machine takes now, the fastest block what it
/// takes when nothing else runs. On a shared machine the two differ, and the projection uses the median.
/// </remarks>
public static class LivniBonusTiming
{
    public static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(250);
    public const int Blocks = 7;

    public static LivniBonusTimingResult Measure(LivniBonusPlan plan, int stepsPerBlock = 100)
    {
        ProblemSetting problem = plan.Problem;
        var planted = SgdSweep.Planted(new NormalSampler(1), problem);
        int[] widths = plan.Multiples.Select(problem.WidthOf).ToArray();
        var kinds = plan.Settings.Select(s => (s.Optimizer, s.Batch)).Distinct().ToArray();
        var times = new List<StepTime>();
        foreach (var (optimizer, batch) in kinds)
            foreach (int r in widths)
            {
                // One epoch longer than the measurement, so that no epoch ends (and no bookkeeping runs) while it is timed.
                var settings = new TrainingSettings(r, 1e-4, batch, 1, int.MaxValue / 2, Optimizer: optimizer,
                    Parameterization: optimizer == OptimizerKind.Sgd ? Parameterization.Standard : Parameterization.Ntk);
                var run = new SgdRun(planted, settings, new NormalSampler(2));
                var stream = new PlantedStream(planted, new NormalSampler(3), batch);
                stream.Next();
                var (median, fastest) = Time(() => run.Train(stream.X, stream.Y), stepsPerBlock);
                times.Add(new StepTime(optimizer, settings.Parameterization, batch, r, median, fastest));
            }
        var draws = new List<StepTime>();
        foreach (int batch in kinds.Select(k => k.Batch).Distinct())
        {
            var stream = new PlantedStream(planted, new NormalSampler(3), batch);
            var (median, fastest) = Time(stream.Next, stepsPerBlock);
            draws.Add(new StepTime(OptimizerKind.Sgd, Parameterization.Standard, batch, 0, median, fastest));
        }
        return new LivniBonusTimingResult(times, draws);
    }

    /// <summary>The median and the fastest of <see cref="Blocks"/> timed blocks, in microseconds per call.</summary>
    private static (double Median, double Fastest) Time(Action step, int perBlock)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < WarmUp) step();
        var blocks = new double[Blocks];
        for (int b = 0; b < Blocks; b++)
        {
            clock.Restart();
            for (int i = 0; i < perBlock; i++) step();
            blocks[b] = clock.Elapsed.TotalMicroseconds / perBlock;
        }
        Array.Sort(blocks);
        return (blocks[Blocks / 2], blocks[0]);
    }
}
