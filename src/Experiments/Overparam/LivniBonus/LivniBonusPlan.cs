using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Experiments.Overparam;

/// <summary>
/// What the bonus study runs: the settings, how many seeds (planted networks and initializations) each gets, the
/// widths r / r0, the inner sweep of the tuned settings (candidate factors of the base eta, epochs per candidate) and
/// the near-zero fraction of the converse question.
/// </summary>
public sealed record LivniBonusPlan(IReadOnlyList<BonusSetting> Settings, int Seeds, IReadOnlyList<double> Multiples,
    IReadOnlyList<double> TuningFactors, int TuningEpochs, double NearZeroFraction, ProblemSetting Problem)
{
    /// <summary>The widths of (d).</summary>
    public static readonly double[] DefaultMultiples = [1, 2, 4, 8];

    /// <summary>Candidates of the inner sweep: the base eta times 1/4, 1/2, ..., 16.</summary>
    public static readonly double[] DefaultTuningFactors = [0.25, 0.5, 1, 2, 4, 8, 16];

    public const double DefaultNearZeroFraction = 1e-3;

    /// <summary>The homework's setting, (d): SGD, standard parameterization, eta = 0.01 (the best of (c)) for every width, m = 10.</summary>
    public static BonusSetting Homework(int epochs) =>
        new("homework", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.01, WidthRule.Constant, 10, epochs);

    /// <summary>
    /// The settings of the full study, each for <paramref name="epochs"/> epochs: the homework's; SGD with the step
    /// scaled by r0/r and tuned per width; the NTK parameterization with the step tuned per width; mean-field with the
    /// step scaled by r/r0; a small initialization; ten times the batch at the same eta (eta/m ten times smaller);
    /// momentum at the same effective step eta/(1 - mu); Adam at its customary step, with ten times the batch, and
    /// with the step scaled by r0/r and by sqrt(r0/r).
    /// </summary>
    public static IReadOnlyList<BonusSetting> StudySettings(int epochs) =>
    [
        Homework(epochs),
        new("sgd-eta-r0/r", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.01, WidthRule.InverseWidth, 10, epochs),
        new("sgd-tuned", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.01, WidthRule.Tuned, 10, epochs),
        new("ntk-tuned", OptimizerKind.Sgd, Parameterization.Ntk, 1, 0.01, WidthRule.Tuned, 10, epochs),
        new("mean-field", OptimizerKind.Sgd, Parameterization.MeanField, 1, 0.6, WidthRule.ProportionalToWidth, 10, epochs),
        new("init-0.1", OptimizerKind.Sgd, Parameterization.Standard, 0.1, 0.01, WidthRule.Constant, 10, epochs),
        new("batch-100", OptimizerKind.Sgd, Parameterization.Standard, 1, 0.01, WidthRule.Constant, 100, epochs),
        new("momentum", OptimizerKind.Momentum, Parameterization.Standard, 1, 0.001, WidthRule.Constant, 10, epochs),
        new("adam", OptimizerKind.Adam, Parameterization.Standard, 1, 0.001, WidthRule.Constant, 10, epochs),
        new("adam-batch-100", OptimizerKind.Adam, Parameterization.Standard, 1, 0.001, WidthRule.Constant, 100, epochs),
        new("adam-eta-r0/r", OptimizerKind.Adam, Parameterization.Standard, 1, 0.001, WidthRule.InverseWidth, 10, epochs),
        new("adam-eta-sqrt(r0/r)", OptimizerKind.Adam, Parameterization.Standard, 1, 0.001, WidthRule.InverseSqrtWidth, 10, epochs),
    ];

    /// <summary>The settings of the short form: the homework's, the tuned step, both tenfold batches and Adam with its step scaled by sqrt(r0/r).</summary>
    public static readonly string[] QuickSettings = ["homework", "sgd-tuned", "batch-100", "adam", "adam-batch-100", "adam-eta-sqrt(r0/r)"];

    /// <summary>
    /// The full study (<c>engine livni-bonus</c> and <c>engine all</c>): 12 settings x 5 seeds x 4 widths x 200 epochs. Sized from measured step
    /// times (<c>--time-steps</c> projects 1300 core-seconds from its fastest blocks); a whole run measured 1090 core-seconds,
    /// about 9 minutes on two idle cores.
    /// </summary>
    public static LivniBonusPlan Default { get; } = new(StudySettings(200), 5, DefaultMultiples, DefaultTuningFactors, 20,
        DefaultNearZeroFraction, new ProblemSetting());

    /// <summary>The short form of <c>livni-bonus --quick</c>: the same questions on 6 settings, 3 seeds and 30 epochs (inner sweeps of 5), answered for that budget only (a setting that needs more epochs to reach near-zero error has not yet).</summary>
    public static LivniBonusPlan Quick { get; } = new(StudySettings(30).Where(s => QuickSettings.Contains(s.Name)).ToArray(), 3,
        DefaultMultiples, DefaultTuningFactors, 5, DefaultNearZeroFraction, new ProblemSetting());

    /// <summary>
    /// A smoke test for <c>engine all --quick</c>: the short form's settings for 3 epochs with 2 seeds (the fewest that
    /// give an interval) and inner sweeps of 1 epoch. Its numbers only show that everything runs.
    /// </summary>
    public static LivniBonusPlan Smoke { get; } = Quick.WithEpochs(3) with { Seeds = 2, TuningEpochs = 1 };

    /// <summary>This plan with every setting trained for <paramref name="epochs"/> epochs.</summary>
    public LivniBonusPlan WithEpochs(int epochs) => this with { Settings = Settings.Select(s => s with { Epochs = epochs }).ToArray() };
}
