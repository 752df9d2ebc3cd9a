namespace Engine.Experiments.Overparam;

/// <summary>The bonus study's outcome: the plan, the planted network of every seed (and of the tuning seed), and each setting's runs.</summary>
public sealed record LivniBonusResult(LivniBonusPlan Plan, IReadOnlyList<PlantedNetwork> Planted, PlantedNetwork TuningPlanted,
    IReadOnlyList<SettingResult> Settings);
