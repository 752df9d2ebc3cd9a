namespace Engine.Experiments.ImplicitL1;

/// <summary>The numbers of <c>engine implicit-l1</c>; every one is an option of the command.</summary>
/// <remarks>
/// The first group is the homework's run (2(e) i-iv). The rest go beyond it: the exact limit of the gradient flow is
/// compared over a sweep of initialization scales a, confirmed by runs of gradient descent to interpolation, and set
/// against discrete gradient descent at several step sizes.
/// </remarks>
public sealed record ImplicitL1Settings
{
    /// <summary>n, the rows of A.</summary>
    public int Rows { get; init; } = 20;

    /// <summary>m, the columns of A.</summary>
    public int Cols { get; init; } = 40;

    /// <summary>The nonzeros of x*.</summary>
    public int Sparsity { get; init; } = 10;

    /// <summary>Steps of the homework's run.</summary>
    public int Steps { get; init; } = 300_000;

    /// <summary>eta of the homework's run.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>a, with x0 = a·1 (and u0 = v0 = a·1 in the signed model).</summary>
    public double Init { get; init; } = 1e-3;

    /// <summary>The homework's run records its iterate every this many steps.</summary>
    public int RecordEvery { get; init; } = 10;

    /// <summary>Two solutions are the same point when their largest difference is at most this fraction of the largest coefficient of the minimum-l1 solution.</summary>
    public double MatchTolerance { get; init; } = 1e-2;

    /// <summary>Independent instances; instance t draws from split t of the run's seed.</summary>
    public int Trials { get; init; } = 8;

    /// <summary>The largest initialization scale of the sweep.</summary>
    public double SweepLargest { get; init; } = 1e-1;

    /// <summary>The smallest initialization scale of the sweep.</summary>
    public double SweepSmallest { get; init; } = 1e-40;

    /// <summary>Sweep points per decade of a.</summary>
    public int SweepPointsPerDecade { get; init; } = 4;

    /// <summary>Initialization scales at which gradient descent is run to interpolation to confirm the computed limit (first instance).</summary>
    public IReadOnlyList<double> ConfirmationScales { get; init; } = [1e-1, 1e-2, 1e-3];

    /// <summary>The step of the confirmation runs.</summary>
    public double ConfirmationLearningRate { get; init; } = 1e-2;

    /// <summary>Step sizes whose end is compared with the flow limit at <see cref="StepSizeScale"/> (first instance).</summary>
    public IReadOnlyList<double> StepSizes { get; init; } = [1e-2, 3e-2, 1e-1, 3e-1, 1];

    /// <summary>The initialization scale of the step-size comparison.</summary>
    public double StepSizeScale { get; init; } = 1e-2;

    /// <summary>A run to interpolation stops when <c>||A w - y|| &lt;= this * ||y||</c>.</summary>
    public double InterpolationTolerance { get; init; } = 1e-7;

    /// <summary>The step budget of a run to interpolation.</summary>
    public int MaxStepsToInterpolate { get; init; } = 10_000_000;

    /// <summary>The homework's settings, with the sweep and confirmations at their defaults.</summary>
    public static ImplicitL1Settings Default { get; } = new();

    /// <summary>
    /// The same questions at a fraction of the cost, for smoke runs: two instances, one confirmation scale and three
    /// step sizes (the largest of which does not converge), shorter budgets.
    /// </summary>
    /// <remarks>
    /// A fraction, not a small cost: at the largest size the command allows, 399 x 400 with 100 nonzeros, --quick took
    /// 596 s on two shared cores, of which the two instances took about 335 s (each homework run about 40 s, the
    /// signed a-sweep about 220 s) and the four runs to interpolation, none of which interpolated within 2,000,000
    /// steps, about 260 s; the default settings would run 8 instances and 8 such runs of up to 10,000,000 steps.
    /// </remarks>
    public static ImplicitL1Settings Quick { get; } = new()
    {
        Trials = 2,
        SweepPointsPerDecade = 2,
        ConfirmationScales = [1e-1],
        StepSizes = [1e-1, 3e-1, 1],
        MaxStepsToInterpolate = 2_000_000,
    };

    /// <summary>The sweep's scales, largest first: <see cref="SweepPointsPerDecade"/> per decade from <see cref="SweepLargest"/> down to <see cref="SweepSmallest"/>.</summary>
    public double[] SweepScales()
    {
        double top = Math.Log10(SweepLargest), bottom = Math.Log10(SweepSmallest);
        int count = (int)Math.Floor((top - bottom) * SweepPointsPerDecade + 1e-9) + 1;
        return Enumerable.Range(0, count).Select(k => Math.Pow(10, top - (double)k / SweepPointsPerDecade)).ToArray();
    }
}
