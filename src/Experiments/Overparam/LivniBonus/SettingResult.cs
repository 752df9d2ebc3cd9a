using Engine.Experiments.Statistics;

namespace Engine.Experiments.Overparam;

/// <summary>
/// What one setting gave across widths and seeds: the step size each width used, the inner sweeps (tuned settings
/// only), every curve (indexed [seed][width]) and each seed's near-zero threshold.
/// </summary>
public sealed record SettingResult(BonusSetting Setting, IReadOnlyList<double> Multiples, IReadOnlyList<int> Widths,
    IReadOnlyList<double> Etas, IReadOnlyList<TuningResult> Tuning, IReadOnlyList<IReadOnlyList<TrainingCurve>> Curves,
    IReadOnlyList<double> NearZeroThresholds)
{
    public int Seeds => Curves.Count;

    /// <summary>Runs of this setting that diverged, over all seeds and widths.</summary>
    public int Diverged => Curves.Sum(seed => seed.Count(c => c.Diverged));

    /// <summary>The r = r0 network's final objective of seed <paramref name="seed"/>: the level the wider networks race to.</summary>
    public double ReferenceLevel(int seed) => Curves[seed][0].Final;

    /// <summary>The summary of width <paramref name="w"/> over the seeds (see <see cref="WidthSummary"/>).</summary>
    public WidthSummary Summary(int w)
    {
        var runs = Curves.Select(seed => seed[w]).ToArray();
        var finals = runs.Where(c => !c.Diverged).Select(c => Math.Log10(c.Final)).ToArray();
        var toReference = Enumerable.Range(0, Seeds).Select(s => double.IsNaN(ReferenceLevel(s)) ? null : runs[s].EpochsToReach(ReferenceLevel(s)))
            .Where(e => e is not null).Select(e => (double)e!.Value).ToArray();
        var toNearZero = Enumerable.Range(0, Seeds).Select(s => runs[s].EpochsToReach(NearZeroThresholds[s]))
            .Where(e => e is not null).Select(e => (double)e!.Value).ToArray();
        int nearZeroAtEnd = Enumerable.Range(0, Seeds).Count(s => !runs[s].Diverged && runs[s].Final <= NearZeroThresholds[s]);
        return new WidthSummary(Multiples[w], Widths[w], Etas[w], Seeds, runs.Count(c => c.Diverged),
            MeanInterval.Of(finals), MeanInterval.Of(toReference), MeanInterval.Of(toNearZero), nearZeroAtEnd);
    }

    /// <summary>
    /// The curve of width <paramref name="w"/> over the seeds: per epoch, the geometric mean of the objective and its
    /// 95 % t-interval (on log10), from the seeds whose run did not diverge; empty when every seed diverged.
    /// </summary>
    public IReadOnlyList<MeanInterval> Band(int w)
    {
        var runs = Curves.Select(seed => seed[w]).Where(c => !c.Diverged).ToArray();
        int epochs = runs.Length == 0 ? 0 : runs.Min(c => c.Objective.Length);
        return Enumerable.Range(0, epochs)
            .Select(e => MeanInterval.Of(runs.Select(c => Math.Log10(c.Objective[e])).ToArray()).Map(v => Math.Pow(10, v)))
            .ToArray();
    }

    /// <summary>Every width's summary, narrowest first.</summary>
    public IReadOnlyList<WidthSummary> Summaries => Enumerable.Range(0, Widths.Count).Select(Summary).ToArray();

    /// <summary>
    /// This setting as if it had been trained for <paramref name="epochs"/> epochs (at most its own): every curve cut
    /// there. The step-size schedule depends only on the epoch, so a cut run is exactly the shorter run.
    /// </summary>
    public SettingResult At(int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        if (epochs >= Setting.Epochs) return this;
        static TrainingCurve Cut(TrainingCurve c, int e) => new(c.Settings with { Epochs = e }, c.Objective[..Math.Min(e, c.Objective.Length)],
            c.DivergedAtEpoch is int d && d <= e ? d : null, c.InitialObjective);
        return this with
        {
            Setting = Setting with { Epochs = epochs },
            Curves = Curves.Select(seed => (IReadOnlyList<TrainingCurve>)seed.Select(c => Cut(c, epochs)).ToArray()).ToArray(),
        };
    }

    /// <summary>The verdict of the pattern criterion stated before the runs (<see cref="LivniPattern"/>).</summary>
    public PatternVerdict Pattern => LivniPattern.Evaluate(this);

    /// <summary>The verdict of the near-zero criterion (<see cref="NearZeroCriterion"/>).</summary>
    public NearZeroVerdict NearZero => NearZeroCriterion.Evaluate(this);
}

/// <summary>
/// One width of a setting over the seeds. <see cref="FinalLog10"/> is the 95 % t-interval over the seeds of
/// log10 of the final objective (so its back-transform <see cref="Final"/> is the geometric mean and its interval);
/// the epoch counts are the 95 % t-intervals over the seeds that reached the level, with <c>Count</c> saying how many did.
/// </summary>
public sealed record WidthSummary(double Multiple, int R, double Eta, int Seeds, int Diverged, MeanInterval FinalLog10,
    MeanInterval EpochsToReference, MeanInterval EpochsToNearZero, int NearZeroAtEnd)
{
    /// <summary>The geometric mean of the final objective over the seeds that did not diverge, with its interval.</summary>
    public MeanInterval Final => FinalLog10.Map(v => Math.Pow(10, v));
}
