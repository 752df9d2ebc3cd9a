using Engine.Experiments.Context;
using Engine.Experiments.Text;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

// Problem 2 (e), bonus: under which settings (initialization scale, step size per width, batch size, optimizer,
// parameterization) do wider networks train faster and to a lower objective, as in Livni et al.'s Figure 1; and,
// conversely, under which does every width converge fast to near-zero error? Every setting runs on several planted
// networks and initializations, so each answer comes with an interval over seeds.

/// <summary>
/// Runs a <see cref="LivniBonusPlan"/>: first the inner step-size sweeps of the settings whose rule is
/// <see cref="WidthRule.Tuned"/>, then every (setting, seed), in parallel over the cores.
/// </summary>
/// <remarks>
/// <para>Seeds: seed s draws everything from root stream s of the context (<see cref="ExperimentContext.Sampler"/>):
/// split 0 draws the planted network, split 1 is the data stream, split 2 split by r initializes width r, exactly as
/// <see cref="SgdSweep"/> does with stream 0, so seed 0 of the homework setting is the run of (d). Every setting uses
/// the same planted networks, data and initial draws for a seed (the parameterization and scale only rescale the
/// draws): comparisons between settings and between widths are paired. The inner sweeps use a stream of their own,
/// <see cref="TuningStream"/>, so a step size is never chosen on the seeds it is judged on.</para>
/// <para>Schedule: a unit is one (setting, seed), whose widths train side by side on one stream of batches; units are
/// taken longest first from a shared queue by <see cref="ExperimentContext.Threads"/> workers. A unit's numbers
/// depend only on its own indices, so the output is the same bytes whatever the thread count.</para>
/// </remarks>
public static class LivniBonusExperiment
{
    /// <summary>The root stream of the inner step-size sweeps: far from the seeds 0, 1, ... of the evaluation runs.</summary>
    public const ulong TuningStream = 1UL << 32;

    public static LivniBonusResult Run(ExperimentContext ctx, LivniBonusPlan plan)
    {
        ProblemSetting problem = plan.Problem;
        int[] widths = plan.Multiples.Select(problem.WidthOf).ToArray();
        var planted = Enumerable.Range(0, plan.Seeds).Select(s => SgdSweep.Planted(ctx.Sampler((ulong)s), problem)).ToArray();
        PlantedNetwork tuningPlanted = SgdSweep.Planted(ctx.Sampler(TuningStream), problem);

        var tuned = plan.Settings.Select((s, i) => (s, i)).Where(p => p.s.Rule == WidthRule.Tuned).Select(p => p.i).ToArray();
        // Tuning units: one per (tuned setting, candidate factor), its widths side by side.
        var tuningUnits = tuned.SelectMany(i => plan.TuningFactors.Select((f, k) => new Unit(i, k,
            widths.Select(r => plan.Settings[i].Run(problem, r, plan.Settings[i].Eta * f, plan.TuningEpochs)).ToArray()))).ToArray();
        double tuningCost = tuningUnits.Sum(u => u.Cost(problem));
        double mainCost = plan.Settings.Sum(s => plan.Seeds * widths.Sum(r => Cost(problem, s.Run(problem, r, s.Eta, s.Epochs))));

        return ctx.Progress.Run($"livni-bonus ({CountText.Of(plan.Settings.Count, "setting")} x {CountText.Of(plan.Seeds, "seed")} x {CountText.Of(widths.Length, "width")})",
            tuningCost + mainCost, sink =>
        {
            var tuningCurves = RunUnits(ctx, tuningUnits, _ => tuningPlanted, _ => ctx.Sampler(TuningStream), problem, sink);
            var tuning = new Dictionary<int, TuningResult[]>();
            foreach (int i in tuned)
            {
                tuning[i] = widths.Select((r, w) => new TuningResult(plan.Multiples[w], r,
                    plan.TuningFactors.Select(f => plan.Settings[i].Eta * f).ToArray(),
                    plan.TuningFactors.Select((_, k) => tuningCurves[Array.FindIndex(tuningUnits, u => u.Setting == i && u.Seed == k)][w]).ToArray()))
                    .ToArray();
            }

            var etas = plan.Settings.Select((s, i) => widths.Select((r, w) => s.Rule == WidthRule.Tuned
                ? tuning[i][w].Chosen ?? tuning[i][w].Etas.Min()
                : s.Rule.EtaAt(s.Eta, r, problem.R0)).ToArray()).ToArray();
            var units = plan.Settings.SelectMany((s, i) => Enumerable.Range(0, plan.Seeds).Select(seed => new Unit(i, seed,
                widths.Select((r, w) => s.Run(problem, r, etas[i][w], s.Epochs)).ToArray()))).ToArray();
            var curves = RunUnits(ctx, units, u => planted[u.Seed], u => ctx.Sampler((ulong)u.Seed), problem, sink);

            var thresholds = planted.Select(p => plan.NearZeroFraction * p.ExpectedSquaredNorm()).ToArray();
            var settings = plan.Settings.Select((s, i) => new SettingResult(s, plan.Multiples, widths, etas[i],
                tuning.GetValueOrDefault(i) ?? [],
                Enumerable.Range(0, plan.Seeds).Select(seed => curves[Array.FindIndex(units, u => u.Setting == i && u.Seed == seed)]).ToArray(),
                thresholds)).ToArray();
            var replays = units.GroupBy(u => u.Seed).Select(g => new LivniBonusResult.SeedReplay(g.Key,
                SgdSweep.Replay(ctx.Sampler((ulong)g.Key), planted[g.Key], g.SelectMany(u => u.Runs).ToArray()))).ToArray();
            // Every inner sweep trains from the tuning seed's root, so one replay holds them all.
            SweepReplay? tuningReplay = tuningUnits.Length == 0 ? null
                : SgdSweep.Replay(ctx.Sampler(TuningStream), tuningPlanted, tuningUnits.SelectMany(u => u.Runs).ToArray());
            return new LivniBonusResult(plan, planted, tuningPlanted, settings, replays, tuningReplay);
        });
    }

    /// <summary>The relative cost of a run: its floating-point operations (for the schedule and the progress bar).</summary>
    public static double Cost(ProblemSetting problem, TrainingSettings run) =>
        (double)run.Epochs * run.StepsPerEpoch * SgdStep.FlopsPerStep(run.Batch, problem.D, run.R, problem.N);

    /// <summary>One (setting, seed) or, for the inner sweeps, (setting, candidate): runs that share a stream of batches.</summary>
    private sealed record Unit(int Setting, int Seed, TrainingSettings[] Runs)
    {
        public double Cost(ProblemSetting problem) => Runs.Sum(r => LivniBonusExperiment.Cost(problem, r));
    }

    private static TrainingCurve[][] RunUnits(ExperimentContext ctx, Unit[] units, Func<Unit, PlantedNetwork> plantedOf,
        Func<Unit, NormalSampler> rootOf, ProblemSetting problem, IProgressSink sink)
    {
        var results = new TrainingCurve[units.Length][];
        // One job per unit, handed out costliest first (longest-processing-time first, see ExperimentContext.ParallelFor).
        ctx.ParallelFor(units.Length, k => results[k] = Train(plantedOf(units[k]), rootOf(units[k]), units[k].Runs, problem, sink),
            cost: k => units[k].Cost(problem));
        return results;
    }

    /// <summary>Trains the runs of one unit side by side on one stream of batches; each curve equals its run trained alone.</summary>
    public static TrainingCurve[] Train(PlantedNetwork planted, NormalSampler root, IReadOnlyList<TrainingSettings> runs, ProblemSetting problem,
        IProgressSink? sink = null)
    {
        int batch = runs[0].Batch;
        if (runs.Any(r => r.Batch != batch)) throw new ArgumentException("Runs that share batches need one batch size.");
        var states = runs.Select(s =>
        {
            double epochCost = Cost(problem, s) / s.Epochs;
            return new SgdRun(planted, s, SgdSweep.InitSampler(root, s), sink is null ? null : () => sink.Advance(epochCost));
        }).ToArray();
        var stream = SgdSweep.Stream(root, planted, batch);
        for (bool busy = true; busy;)
        {
            stream.Next();
            busy = false;
            foreach (SgdRun state in states)
            {
                state.Train(stream.X, stream.Y);
                busy |= !state.Done;
            }
        }
        // Runs that stopped early (diverged) leave their remaining epochs unreported; the bar still has to end full.
        if (sink is not null)
            foreach (SgdRun state in states)
            {
                int missing = state.Settings.Epochs - state.Curve().Objective.Length;
                if (missing > 0) sink.Advance(Cost(problem, state.Settings) / state.Settings.Epochs * missing);
            }
        return states.Select(s => s.Curve()).ToArray();
    }
}
