using Engine.Kernels.FlowLimit;

namespace Engine.Experiments.ImplicitL1;

/// <summary>
/// One factorized model on one instance: where gradient descent ended, the exact limit of its gradient flow, where the
/// flow from its last iterate is heading, and the three distances the answer rests on.
/// </summary>
/// <param name="MinL1">The minimum-l1 solution of the model's sign class (the end of the matching Lasso path).</param>
/// <param name="Scale">The largest |coefficient| of <paramref name="MinL1"/>: distances are judged on this scale.</param>
/// <param name="Tolerance">The absolute match tolerance, the match fraction times <paramref name="Scale"/>.</param>
/// <param name="Limit">w_inf(a), the limit of the gradient flow from the run's initialization.</param>
/// <param name="Gd">The homework's run of gradient descent.</param>
/// <param name="Heading">The limit of the flow from the run's last iterate; null when the run diverged.</param>
/// <param name="Convergence">max|w_GD - w_inf(a)|: did the run reach its limit?</param>
/// <param name="HeadingDistance">max|heading - w_inf(a)|: is the run on its way there?</param>
/// <param name="Bias">max|w_inf(a) - w_l1|: the bias of this initialization scale.</param>
/// <param name="Recovery">max|w_l1 - x*|: does the minimum-l1 solution recover x*?</param>
/// <param name="GdToMinL1">max|w_GD - w_l1|: what a finite run shows directly.</param>
/// <param name="Sweep">The limit's distance to w_l1 over the sweep of a.</param>
public sealed record ModelOutcome(
    FactorizedModel Model, double[] MinL1, double Scale, double Tolerance, FlowLimitResult Limit, DescentRun Gd,
    FlowLimitResult? Heading, double Convergence, double HeadingDistance, double Bias, double Recovery, double GdToMinL1,
    ScaleSweep Sweep)
{
    /// <summary>The run ended within tolerance of its own limit.</summary>
    public bool Converged => Convergence <= Tolerance;

    /// <summary>The flow from the run's last iterate ends within tolerance of w_inf(a).</summary>
    public bool HeadsToLimit => HeadingDistance <= Tolerance;

    /// <summary>w_inf(a) is the minimum-l1 solution, to tolerance.</summary>
    public bool LimitMatches => Bias <= Tolerance;

    /// <summary>The minimum-l1 solution is x*, to tolerance.</summary>
    public bool Recovers => Recovery <= Tolerance;

    /// <summary>
    /// Two interpolants count as having the same l1 norm when their norms differ by at most this fraction: far above
    /// the l1 excess of a flow limit from the sweep's smallest scales (of order m a^2 log(1/a^2)) and the l1 change
    /// its 1e-12 residual allows, far below the excess of an interpolant a match tolerance away from a unique minimizer.
    /// </summary>
    public const double SameL1Norm = 1e-9;

    /// <summary>
    /// Whether the minimum-l1 solution is known not to be unique: the flow limit from the sweep's smallest scale
    /// interpolates, has the same l1 norm as <see cref="MinL1"/> and lies beyond the tolerance from it, so it is a
    /// second minimizer. (When the minimizer is unique, the limit tends to it as a tends to zero.)
    /// </summary>
    public bool MinL1NotUnique => Sweep.Distances[^1] > Tolerance && Sweep.L1Norms[^1] <= MinL1.Sum(Math.Abs) * (1 + SameL1Norm);

    /// <summary>The figures the report sentences are drawn from.</summary>
    public OutcomeFigures Figures => new(Gd.StepsDone, Gd.StepsAsked, Gd.RelativeResidual, Gd.Diverged, Convergence,
        HeadingDistance, Bias, Recovery, Tolerance, Sweep.LargestMatchingScale, Sweep.Scales[^1], Sweep.Scales[0],
        Gd.Diverged ? Gd.DivergenceWindow(RecordEvery).First : 0)
    {
        MinL1NotUnique = MinL1NotUnique, OtherMinimizerDistance = Sweep.Distances[^1], MinL1Norm = MinL1.Sum(Math.Abs), XStarL1Norm = XStarL1Norm,
    };

    /// <summary><c>||x*||_1</c>, for saying whether x* is among several minimum-l1 solutions.</summary>
    public double XStarL1Norm { get; init; }

    /// <summary>How often the run tested its iterate for finiteness (its record interval).</summary>
    public int RecordEvery { get; init; } = 1;

    /// <summary>
    /// Compares the run <paramref name="gd"/> of <paramref name="model"/> on <paramref name="problem"/> with its flow limit
    /// and with <paramref name="minL1"/>, and sweeps the limit over <paramref name="scales"/>. <paramref name="progress"/>
    /// receives the sweep's fractions (see <see cref="ScaleSweep.Run"/>), adding up to 1: the sweep is the slow part.
    /// </summary>
    public static ModelOutcome Of(FactorizedModel model, ImplicitL1Problem problem, double[] minL1, DescentRun gd,
        double matchTolerance, double[] scales, Action<double>? progress = null)
    {
        IFlowLimitProjection projection = model == FactorizedModel.Nonnegative
            ? new EntropicProjection(problem.A, problem.Rows, problem.Cols, problem.Y)
            : new HypentropyProjection(problem.A, problem.Rows, problem.Cols, problem.Y);
        double scale = Math.Max(minL1.Max(Math.Abs), 1e-300);
        double tolerance = matchTolerance * scale;
        FlowLimitResult limit = projection.Solve(gd.Scale);
        FlowLimitResult? heading = gd.Diverged ? null : ContinueFlow(projection, gd, limit.Nu);
        return new ModelOutcome(model, minL1, scale, tolerance, limit, gd, heading,
            Distance.MaxAbs(gd.W, limit.W),
            heading is null ? double.NaN : Distance.MaxAbs(heading.W, limit.W),
            Distance.MaxAbs(limit.W, minL1),
            Distance.MaxAbs(minL1, problem.XStar),
            Distance.MaxAbs(gd.W, minL1),
            ScaleSweep.Run(projection, scales, minL1, tolerance, progress)) { XStarL1Norm = problem.XStar.Sum(Math.Abs) };
    }

    /// <summary>
    /// Where the flow from the run's last iterate ends: the projection with the iterate's own factors as the prior.
    /// A factor that underflowed to zero stays at zero along the flow; 1e-300 stands in for it, since the solver
    /// works with the logarithm of the prior.
    /// </summary>
    private static FlowLimitResult ContinueFlow(IFlowLimitProjection projection, DescentRun gd, double[] nuStart)
    {
        static double[] Positive(double[] p) => p.Select(v => Math.Max(v, 1e-300)).ToArray();
        return projection switch
        {
            EntropicProjection e => e.Solve(Positive(gd.PriorPlus), nuStart),
            HypentropyProjection h => h.Solve(Positive(gd.PriorPlus), Positive(gd.PriorMinus), nuStart),
            _ => throw new InvalidOperationException("Unknown flow-limit projection."),
        };
    }
}

/// <summary>The numbers one model's sentences are drawn from (plain values, so each sentence is testable on its own).</summary>
public sealed record OutcomeFigures(
    int StepsDone, int StepsAsked, double RelativeResidual, bool Diverged, double Convergence, double HeadingDistance,
    double Bias, double Recovery, double Tolerance, double LargestMatchingScale, double SmallestSweptScale, double LargestSweptScale,
    int DivergenceWindowStart = 0)
{
    /// <summary>Another interpolant of the same l1 norm lies beyond the tolerance from the minimum-l1 solution (see <see cref="ModelOutcome.MinL1NotUnique"/>).</summary>
    public bool MinL1NotUnique { get; init; }

    /// <summary>How far that other minimizer (the flow limit from the smallest swept a) is from the minimum-l1 solution.</summary>
    public double OtherMinimizerDistance { get; init; }

    /// <summary>The least l1 norm of an interpolant, and that of x*.</summary>
    public double MinL1Norm { get; init; }

    /// <inheritdoc cref="MinL1Norm"/>
    public double XStarL1Norm { get; init; }
}
