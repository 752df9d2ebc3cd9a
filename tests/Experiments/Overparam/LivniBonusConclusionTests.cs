using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Tests.Experiments.Overparam;

public class LivniBonusConclusionTests
{
    private static readonly double[] Multiples = [1, 2, 4];

    /// <summary>A geometric decay from 1 that ends at <paramref name="final"/> after <paramref name="epochs"/> epochs.</summary>
    private static double[] Decay(double final, int epochs = 20) =>
        Enumerable.Range(1, epochs).Select(e => Math.Pow(final, (double)e / epochs)).ToArray();

    private static TrainingCurve Curve(int r, double[] objective, int? divergedAt = null) =>
        new(new TrainingSettings(r, 0.01, 10, 20), objective, divergedAt, 1);

    /// <summary>A setting whose seed s, width w ends at finals[w] times (1 + 0.1 s): a consistent order with a little seed spread.</summary>
    private static SettingResult Setting(BonusSetting setting, double[] finals, int seeds = 4, double thresholds = 1e-3,
        Func<int, int, double[]>? curve = null)
    {
        int[] widths = Multiples.Select(k => (int)(6 * k)).ToArray();
        var curves = Enumerable.Range(0, seeds).Select(s => (IReadOnlyList<TrainingCurve>)widths.Select((r, w) =>
            Curve(r, curve?.Invoke(s, w) ?? Decay(finals[w] * (1 + 0.1 * s)))).ToArray()).ToArray();
        return new SettingResult(setting, Multiples, widths, widths.Select(_ => setting.Eta).ToArray(), [], curves,
            Enumerable.Repeat(thresholds, seeds).ToArray());
    }

    private static BonusSetting Sgd(string name, int batch = 10, WidthRule rule = WidthRule.Constant) =>
        new(name, OptimizerKind.Sgd, Parameterization.Standard, 1, 0.01, rule, batch, 20);

    private static LivniBonusResult Result(params SettingResult[] settings) =>
        new(new LivniBonusPlan(settings.Select(s => s.Setting).ToArray(), settings[0].Seeds, Multiples, [1], 1, 1e-3, new ProblemSetting()),
            [], PlantedNetwork.Draw(new Engine.Kernels.Random.NormalSampler(1), 2, 2, 1), settings);

    [Fact]
    public void LowerAndFasterWhenWiderInEverySeedIsThePattern()
    {
        // Wider ends lower; since every curve decays geometrically from 1, it also passes the narrowest one's end sooner.
        SettingResult s = Setting(Sgd("good"), [1e-2, 1e-3, 1e-4]);
        PatternVerdict v = s.Pattern;
        Assert.True(v.LowerWhenWider);
        Assert.True(v.FasterWhenWider);
        Assert.True(v.Holds);
        Assert.Equal(4, v.SeedsOrdered);
        Assert.StartsWith("Yes: the pattern holds with *good*", LivniBonusConclusion.Pattern(Result(s)));
    }

    [Fact]
    public void AWiderWidthThatEndsAboveOnAverageIsSaidToEndAbove()
    {
        // r/r0 = 4 ends above r/r0 = 2 in every seed: "not significantly below" would understate it.
        SettingResult s = Setting(Sgd("above"), [1e-2, 1e-3, 1e-2]);
        Assert.False(s.Pattern.LowerWhenWider);
        Assert.Contains("r/r0 = 4 ends above r/r0 = 2 on average over seeds", s.Pattern.Reason);
        // A second pair above is read the same way: "on average over seeds" is said once.
        SettingResult twice = Setting(Sgd("twice"), [1e-3, 1e-2, 1e-1]);
        Assert.Contains("r/r0 = 2 ends above r/r0 = 1 on average over seeds", twice.Pattern.Reason);
        Assert.Contains("r/r0 = 4 ends above r/r0 = 2", twice.Pattern.Reason);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(twice.Pattern.Reason, "on average over seeds"));
        Assert.DoesNotContain("r/r0 = 2 ends above", s.Pattern.Reason);
    }

    [Fact]
    public void AWidthThatEndsHigherInOneSeedBreaksLowerWhenWider()
    {
        // Seed 2's r/r0 = 4 ends a hundred times above its r/r0 = 2: the paired interval of that step is no longer below zero.
        SettingResult s = Setting(Sgd("noisy"), [1e-2, 1e-3, 1e-4], curve: (seed, w) => Decay(seed == 2 && w == 2 ? 1e-1 : new[] { 1e-2, 1e-3, 1e-4 }[w]));
        Assert.False(s.Pattern.LowerWhenWider);
        Assert.False(s.Pattern.Holds);
        Assert.Contains("r/r0 = 4 does not end significantly below r/r0 = 2", s.Pattern.Reason);
        Assert.Equal(3, s.Pattern.SeedsOrdered);
        Assert.StartsWith("No setting meets the criterion. Closest by the seeds in width order (a description, not the criterion; then the widest network's epochs) is *noisy* (sgd, standard, init x1, eta 0.01 at every width, m = 10): its final objective falls strictly with width in 3 of 4 seeds (0.01 at r/r0 = 1, 0.001 at r/r0 = 2, 0.00056 at r/r0 = 4)",
            LivniBonusConclusion.Pattern(Result(s)));
        Assert.Contains("but r/r0 = 4 does not end significantly below r/r0 = 2", LivniBonusConclusion.Pattern(Result(s)));
        // The speed test fails too (r/r0 = 4 of seed 2 never reaches 0.01): the level it measures against is given, once where
        // every seed has the same one (it read "from 0.01 to 0.01").
        Assert.Contains("but r/r0 = 4 does not end significantly below r/r0 = 2; r/r0 = 4 does not reach the r = r0 final objective in every seed "
            + "(speed is measured to each seed's r = r0 final objective, 0.01 in every seed).", LivniBonusConclusion.Pattern(Result(s)));
        // r/r0 = 2 ends lowest: the settings it is counted among are named for what they are (it said "in 2 of the 5 settings
        // where it fails" of six settings that all fail).
        SettingResult middle = Setting(Sgd("middle"), [1e-2, 1e-4, 1e-3]);
        Assert.EndsWith("With *middle*, in which no run diverged but whose final objective does not fall significantly with width, r/r0 = 2 ends lowest and the wider networks end higher.",
            LivniBonusConclusion.Pattern(Result(middle)));
        Assert.EndsWith("Of the 3 settings in which no run diverged but whose final objective does not fall significantly with width, 2 end lowest at r/r0 = 2, with the wider networks ending higher.",
            LivniBonusConclusion.Pattern(Result(middle, middle with { Setting = middle.Setting with { Name = "middle2" } }, s)));
    }

    [Fact]
    public void TheSpreadOfTheReferenceLevelIsGivenWhereTheSpeedTestFails()
    {
        double[] Slow(double final) => Enumerable.Range(1, 20).Select(e => e < 20 ? 1.0 : final).ToArray();
        // Every seed's r = r0 run ends at 0.01 (printed to two digits alike): said once, not as a range from 0.01 to 0.01.
        SettingResult same = Setting(Sgd("late"), [1e-2, 1e-3, 1e-4], curve: (seed, w) => w == 0 ? Decay(1e-2 * (1 + 1e-4 * seed)) : Slow(w == 1 ? 1e-3 : 1e-4));
        Assert.False(same.Pattern.FasterWhenWider);
        Assert.EndsWith("but the widest network is not significantly faster than r = r0 (speed is measured to each seed's r = r0 final objective, 0.01 in every seed).", LivniBonusConclusion.Pattern(Result(same)));
        SettingResult spread = Setting(Sgd("late"), [1e-2, 1e-3, 1e-4], curve: (seed, w) => w == 0 ? Decay(1e-2 * (1 + 0.1 * seed)) : Slow(w == 1 ? 1e-3 : 1e-4));
        Assert.EndsWith("(speed is measured to each seed's r = r0 final objective, from 0.01 to 0.013 over the seeds).", LivniBonusConclusion.Pattern(Result(spread)));
        SettingResult one = Setting(Sgd("late"), [1e-2, 1e-3, 1e-4], seeds: 1, curve: (seed, w) => w == 0 ? Decay(1e-2) : Slow(w == 1 ? 1e-3 : 1e-4));
        Assert.False(one.Pattern.FasterWhenWider);
        Assert.EndsWith("(speed is measured to the r = r0 run's final objective, 0.01).", LivniBonusConclusion.Pattern(Result(one)));
    }

    [Fact]
    public void ADivergedRunRulesTheSettingOut()
    {
        SettingResult s = Setting(Sgd("diverging"), [1e-2, 1e-3, 1e-4], curve: (seed, w) => seed == 0 && w == 2 ? [] : Decay(new[] { 1e-2, 1e-3, 1e-4 }[w]));
        var curves = s.Curves.Select((seed, k) => (IReadOnlyList<TrainingCurve>)seed.Select((c, w) => k == 0 && w == 2 ? Curve(24, [], 1) : c).ToArray()).ToArray();
        s = s with { Curves = curves };
        Assert.Equal(1, s.Diverged);
        Assert.False(s.Pattern.Holds);
        Assert.Contains("*diverging* (1)", LivniBonusConclusion.Pattern(Result(s)));
    }

    [Fact]
    public void LowerButSlowerIsNotThePattern()
    {
        // The wider networks end lower but only drop in the last epoch, when the r = r0 network reaches its own end too.
        double[] Slow(double final) => Enumerable.Range(1, 20).Select(e => e < 20 ? 1.0 : final).ToArray();
        SettingResult s = Setting(Sgd("late"), [1e-2, 1e-3, 1e-4], curve: (seed, w) => w == 0 ? Decay(1e-2 * (1 + 0.1 * seed)) : Slow(w == 1 ? 1e-3 : 1e-4));
        Assert.True(s.Pattern.LowerWhenWider);
        Assert.False(s.Pattern.FasterWhenWider);
        string answer = LivniBonusConclusion.Pattern(Result(s));
        Assert.Contains("epochs) is *late*", answer);
        Assert.Contains("falls strictly with width in 4 of 4 seeds", answer);
        Assert.Contains("but the widest network is not significantly faster than r = r0", answer);
        // A second such setting is named in the sentence for settings that end lower but are not faster.
        Assert.Contains("The final objective falls significantly from each width to the next with *late2*, but the wider networks do not "
            + "pass the criterion's faster-when-wider test there (the widest network is not significantly faster than r = r0)",
            LivniBonusConclusion.Pattern(Result(s, s with { Setting = s.Setting with { Name = "late2" } })));
    }

    [Fact]
    public void FasterButNotSignificantlyLowerGivesItsOwnReason()
    {
        // "fast": both wider widths pass r0's final level sooner, and r/r0 = 2 ends ten times below r0, but r/r0 = 4
        // ends 0.3 or 1.2 thousandths by seed, not significantly below r/r0 = 2. "late" (every seed in width order)
        // is the closest setting, so "fast" is named in the sentence for settings that are faster but not lower.
        double[] Slow(double final) => Enumerable.Range(1, 20).Select(e => e < 20 ? 1.0 : final).ToArray();
        SettingResult late = Setting(Sgd("late"), [1e-2, 1e-3, 1e-4], curve: (seed, w) => w == 0 ? Decay(1e-2 * (1 + 0.1 * seed)) : Slow(w == 1 ? 1e-3 : 1e-4));
        SettingResult fast = Setting(Sgd("fast"), [1e-2, 1e-3, 1e-3],
            curve: (seed, w) => Decay(w == 2 ? (seed % 2 == 0 ? 3e-4 : 1.2e-3) : new[] { 1e-2, 1e-3 }[w] * (1 + 0.1 * seed)));
        Assert.True(fast.Pattern.FasterWhenWider);
        Assert.False(fast.Pattern.LowerWhenWider);
        string answer = LivniBonusConclusion.Pattern(Result(late, fast));
        Assert.Contains("epochs) is *late*", answer);
        Assert.Contains("Wider networks are significantly faster with *fast*, but the final objective does not fall significantly from each width "
            + "to the next (r/r0 = 4 does not end significantly below r/r0 = 2)", answer);
        Assert.DoesNotContain("do not end lower", answer);
        // Two such settings: each is named with its own reason, the settings apart by semicolons.
        string two = LivniBonusConclusion.Pattern(Result(late, fast, fast with { Setting = fast.Setting with { Name = "fast2" } }));
        Assert.Contains("(*fast*: r/r0 = 4 does not end significantly below r/r0 = 2; *fast2*: r/r0 = 4 does not end significantly below r/r0 = 2)", two);
    }

    [Fact]
    public void NearZeroNeedsEveryRunOfEveryWidthBelowItsSeedsLevel()
    {
        SettingResult all = Setting(Sgd("all"), [1e-4, 1e-5, 1e-6]);
        SettingResult most = Setting(Sgd("most"), [1e-2, 1e-5, 1e-6]);
        Assert.True(all.NearZero.Holds);
        Assert.False(most.NearZero.Holds);
        Assert.Equal(8, most.NearZero.RunsAtNearZero);
        // A constant eta is said once, in the description; a width rule lists each width's.
        Assert.StartsWith("*all* (sgd, standard, init x1, eta 0.01 at every width, m = 10) gets every width", LivniBonusConclusion.Converse(Result(most, all)));
        // Two settings whose slowest width is as fast tie: both are named, with their epochs per width.
        string tie = LivniBonusConclusion.Converse(Result(all, all with { Setting = Sgd("twin") }, most));
        Assert.StartsWith("*all* and *twin* tie as the fastest: each gets every width below 0.001 E||y||^2 in every seed, its slowest width in ", tie);
        Assert.Contains("Mean epochs to get there: *all* ", tie);
        Assert.Contains("; *twin* ", tie);
        SettingResult scaled = all with { Setting = Sgd("scaled", rule: WidthRule.InverseWidth), Etas = [0.01, 0.005, 0.0025] };
        Assert.StartsWith("*scaled* (sgd, standard, init x1, eta 0.01 (eta*r0/r), m = 10, eta per width 0.01, 0.005, 0.0025) gets every width",
            LivniBonusConclusion.Converse(Result(scaled)));
        string none = LivniBonusConclusion.Converse(Result(most));
        Assert.StartsWith("No setting gets every width below 0.001 E||y||^2 in every seed. The closest is *most*, with 8 of 12 runs there; it misses at r/r0 = 1 in 4 of 4 seeds.", none);
        // No run there at all, or two settings with as many runs there: no single closest setting is named.
        SettingResult nowhere = Setting(Sgd("nowhere"), [1e-1, 1e-1, 1e-1]);
        Assert.Equal("No setting gets every width below 0.001 E||y||^2 in every seed. No run of a setting without divergence ends there.",
            LivniBonusConclusion.Converse(Result(nowhere)));
        Assert.EndsWith("The closest are *most*, *most2*, with 8 of 12 runs there each.",
            LivniBonusConclusion.Converse(Result(most, most with { Setting = most.Setting with { Name = "most2" } })));
    }

    private static MechanismEvidence Evidence(double? sgdBatch = 500, double? tunedGain = 100, double?[]? stable = null, double?[]? ntk = null,
        double? adamBatch = null, int adamOrdered = 5, double ntkTop = 0.32, double[]? chosen = null, bool? sgdFaster = false, bool? adamScaledLower = true) =>
        new(sgdBatch, adamBatch, tunedGain, stable ?? [0.08, 0.08, 0.04, 0.02], ntk, chosen ?? [0.08, 0.08, 0.04, 0.02], ("adam-scaled", adamOrdered, 5), ntkTop,
            sgdFaster, adamScaledLower);

    [Fact]
    public void EachStableStepClauseNeedsItsOwnNumbers()
    {
        string full = LivniBonusConclusion.Mechanism(Evidence());
        Assert.Contains("shrinks as r grows (0.08, 0.08, 0.04, 0.02 from r = r0 up), so the widest network cannot take the steps tuned for the narrower ones "
            + "(it is stable only up to 0.02); at the homework's one eta for all widths, which every width runs without diverging, the wider networks "
            + "still do not pass the criterion's faster-when-wider test, which the stable step alone does not explain.", full);
        // Only r/r0 = 4's tuned step is above the widest width's stable step: "some of" them. Tuned steps other than
        // the stable ones are listed; the same list is not printed twice.
        Assert.Contains("cannot take some of the steps tuned for the narrower ones (it is stable only up to 0.02; tuned 0.01, 0.01, 0.04, 0.02",
            LivniBonusConclusion.Mechanism(Evidence(chosen: [0.01, 0.01, 0.04, 0.02])));
        // A stable step that rises before it falls is only smaller at the widest width.
        string bumpy = LivniBonusConclusion.Mechanism(Evidence(stable: [0.04, 0.08, 0.08, 0.02]));
        Assert.Contains("is smaller at the widest width than at r = r0 (0.04, 0.08, 0.08, 0.02 from r = r0 up)", bumpy);
        Assert.DoesNotContain("shrinks as r grows", bumpy);
        // Every width tuned to a step the widest can take, and wider networks that are faster: neither clause.
        string plain = LivniBonusConclusion.Mechanism(Evidence(stable: [0.08, 0.08, 0.04, 0.04], chosen: [0.02, 0.02, 0.02, 0.02], sgdFaster: true));
        Assert.Contains("shrinks as r grows (0.08, 0.08, 0.04, 0.04 from r = r0 up).", plain);
        Assert.DoesNotContain("cannot take", plain);
        Assert.DoesNotContain("faster-when-wider", plain);
        // A homework setting with a diverged run never took the speed test: nothing is said about speed.
        Assert.DoesNotContain("faster-when-wider", LivniBonusConclusion.Mechanism(Evidence(sgdFaster: null)));
    }

    [Fact]
    public void AdamsScaledStepLowersTheFloorOnlyWhenItEndsBelowPlainAdam()
    {
        string higher = LivniBonusConclusion.Mechanism(Evidence(adamBatch: 0.25, adamScaledLower: false));
        Assert.EndsWith("with a step that shrinks with width (*adam-scaled*) the final objective falls with width in 5 of 5 seeds, but it does not end below plain Adam at every wider width.", higher);
        Assert.DoesNotContain("lowers that floor", higher);
        // Nothing compared (a width without a converged run): neither lower nor not lower is said.
        Assert.EndsWith("with a step that shrinks with width (*adam-scaled*) the final objective falls with width in 5 of 5 seeds.",
            LivniBonusConclusion.Mechanism(Evidence(adamBatch: 0.25, adamScaledLower: null)));
    }

    [Fact]
    public void StableStepSentenceNeedsAStepLimitedSgdAndAShrinkingStableStep()
    {
        Assert.StartsWith("What limits SGD here is the largest stable step, and how it changes with width.", LivniBonusConclusion.Mechanism(Evidence()));
        Assert.Contains("ends 500 times higher", LivniBonusConclusion.Mechanism(Evidence()));
        Assert.Contains("ends 13,000 times higher", LivniBonusConclusion.Mechanism(Evidence(sgdBatch: 12_960)));
        Assert.Contains("shrinks as r grows (0.08, 0.08, 0.04, 0.02 from r = r0 up)", LivniBonusConclusion.Mechanism(Evidence()));
        // The same stable step at every width, a tuned step that does not help, or a batch that helps: not this mechanism.
        Assert.DoesNotContain("largest stable step against", LivniBonusConclusion.Mechanism(Evidence(stable: [0.04, 0.04, 0.04, 0.04])));
        Assert.DoesNotContain("largest stable step against", LivniBonusConclusion.Mechanism(Evidence(tunedGain: 0.5)));
        Assert.DoesNotContain("largest stable step against", LivniBonusConclusion.Mechanism(Evidence(sgdBatch: 0.2)));
    }

    [Fact]
    public void NoiseFloorSentenceNeedsATenfoldBatchToEndLower()
    {
        Assert.StartsWith("SGD's noise floor, set by eta/m. The same eta with ten times the batch ends 5 times lower",
            LivniBonusConclusion.Mechanism(Evidence(sgdBatch: 0.2)));
        Assert.StartsWith("The runs single out no mechanism", LivniBonusConclusion.Mechanism(Evidence(sgdBatch: 3, tunedGain: 0.5)));
        Assert.StartsWith("The runs single out no mechanism", LivniBonusConclusion.Mechanism(Evidence(sgdBatch: null)));
    }

    [Fact]
    public void AdamAndNtkClausesAppearOnlyWhenTheirNumbersSaySo()
    {
        Assert.Contains("Adam, whose steps do not shrink", LivniBonusConclusion.Mechanism(Evidence(adamBatch: 0.25)));
        Assert.EndsWith("ends 4 times lower; a step that shrinks with width lowers that floor for the wider networks (*adam-scaled*: the final objective falls with width in 5 of 5 seeds).",
            LivniBonusConclusion.Mechanism(Evidence(adamBatch: 0.25)));
        Assert.EndsWith("ends 4 times lower.", LivniBonusConclusion.Mechanism(Evidence(adamBatch: 0.25, adamOrdered: 2)));
        Assert.DoesNotContain("Adam", LivniBonusConclusion.Mechanism(Evidence(adamBatch: 4)));
        Assert.Contains("(NTK) the largest stable step is the same at every width (0.16)", LivniBonusConclusion.Mechanism(Evidence(ntk: [0.16, 0.16, 0.16, 0.16])));
        // At the top of the grid the stable step is only a lower bound, and the sentence says so.
        Assert.Contains("(NTK) every step on the grid, up to 0.16, is stable at every width", LivniBonusConclusion.Mechanism(Evidence(ntk: [0.16, 0.16, 0.16, 0.16], ntkTop: 0.16)));
        Assert.DoesNotContain("NTK", LivniBonusConclusion.Mechanism(Evidence(ntk: [0.16, 0.16, 0.08, 0.08])));
    }

    [Fact]
    public void EvidenceComparesTheSettingsThatDifferInOneThing()
    {
        // Homework-like SGD at m = 10, the same with m = 100 ten times higher, and a tuned one a hundred times lower.
        SettingResult sgd = Setting(Sgd("homework"), [1e-3, 1e-4, 1e-5]);
        SettingResult big = Setting(Sgd("batch-100", batch: 100), [1e-2, 1e-3, 1e-4]);
        SettingResult tuned = Setting(Sgd("tuned", rule: WidthRule.Tuned), [1e-5, 1e-6, 1e-7]);
        var e = MechanismEvidence.Of(Result(sgd, big, tuned));
        Assert.Equal(10, e.SgdBatchRatio!.Value, 1e-9);
        Assert.Equal(100, e.TunedGain!.Value, 1e-9);
        Assert.Null(e.AdamBatchRatio);
        Assert.Null(e.NtkStableSteps);
    }
}
