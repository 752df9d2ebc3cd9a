using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Experiments.Overparam;

/// <summary>
/// One setting of the bonus study: everything a run needs besides the width and the seed, so that a row of
/// settings.csv reruns it in another framework. <paramref name="Eta"/> is the base step size, turned into each
/// width's step by <paramref name="Rule"/>; eta is halved every <paramref name="HalvingPeriod"/> epochs.
/// </summary>
public sealed record BonusSetting(string Name, OptimizerKind Optimizer, Parameterization Parameterization, double InitScale,
    double Eta, WidthRule Rule, int Batch, int Epochs, int HalvingPeriod = 50)
{
    /// <summary>The training settings of one run of width <paramref name="r"/> at step size <paramref name="eta"/>.</summary>
    public TrainingSettings Run(ProblemSetting problem, int r, double eta, int epochs) =>
        new(r, eta, Batch, epochs, problem.EpochSize, HalvingPeriod, InitScale, Optimizer: Optimizer, Parameterization: Parameterization);

    /// <summary>A short description for tables and figure titles.</summary>
    public string Describe() =>
        $"{Overparam.Optimizers.Optimizer.Name(Optimizer)}, {Parameterization.Name()}, init x{InitScale:G3}, "
        // A tuned eta is not the base eta: the inner sweep picks each width's from multiples of it.
        + Rule switch
        {
            WidthRule.Tuned => $"eta tuned per width (base {Eta:G3})",
            WidthRule.Constant => $"eta {Eta:G3} at every width",
            _ => $"eta {Eta:G3} ({Rule.Name()})",
        } + $", m = {Batch}";
}
