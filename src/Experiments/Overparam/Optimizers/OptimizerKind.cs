using Engine.Kernels.Optimizers;

namespace Engine.Experiments.Overparam.Optimizers;

/// <summary>
/// The optimizers of the bonus study, with PyTorch's conventions so a setting can be rerun there unchanged:
/// plain SGD; heavy-ball momentum (buffer b = mu b + g, then p -= eta b, as <c>torch.optim.SGD(momentum=mu)</c>);
/// Adam with bias correction (p -= eta m_hat / (sqrt(v_hat) + eps), as <c>torch.optim.Adam</c>).
/// </summary>
public enum OptimizerKind
{
    Sgd,
    Momentum,
    Adam,
}

/// <summary>The constants of the optimizers (PyTorch's defaults for Adam, the customary 0.9 for momentum) and their names.</summary>
public static class Optimizer
{
    /// <summary>The momentum coefficient mu of heavy-ball SGD.</summary>
    public const float Momentum = 0.9f;

    /// <summary>Adam's decay rate of the first-moment estimate.</summary>
    public const float Beta1 = AdamUpdate.DefaultBeta1;

    /// <summary>Adam's decay rate of the second-moment estimate.</summary>
    public const float Beta2 = AdamUpdate.DefaultBeta2;

    /// <summary>Adam's epsilon, added to sqrt(v_hat).</summary>
    public const float Epsilon = AdamUpdate.DefaultEpsilon;

    /// <summary>The name used in files and tables: "sgd", "momentum" or "adam".</summary>
    public static string Name(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => "sgd",
        OptimizerKind.Momentum => "momentum",
        OptimizerKind.Adam => "adam",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
