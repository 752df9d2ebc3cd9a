namespace Engine.Experiments.Overparam;

/// <summary>The bonus study's outcome: the plan, the planted network of every seed (and of the tuning seed), and each setting's runs.</summary>
/// <param name="Replays">
/// For each seed, what it takes to replay the first steps of that seed's runs elsewhere (initial weights, mini-batches
/// for each batch size; see <see cref="SweepReplay"/>); empty when not kept.
/// </param>
/// <param name="TuningReplay">The same for the inner step-size sweeps' runs on the tuning seed; null when no setting is tuned or when not kept.</param>
public sealed record LivniBonusResult(LivniBonusPlan Plan, IReadOnlyList<PlantedNetwork> Planted, PlantedNetwork TuningPlanted,
    IReadOnlyList<SettingResult> Settings, IReadOnlyList<LivniBonusResult.SeedReplay>? Replays = null, SweepReplay? TuningReplay = null)
{
    /// <summary>The replay of seed <paramref name="Seed"/>'s runs.</summary>
    public sealed record SeedReplay(int Seed, SweepReplay Replay);
}
