using Engine.Kernels.FlowLimit;

namespace Engine.Experiments.ImplicitL1;

/// <summary>A run of gradient descent to interpolation, set against the exact flow limit from the same start.</summary>
/// <param name="Distance">max|w_GD - w_inf(a)|; NaN when the run diverged.</param>
/// <param name="Tolerance">The absolute match tolerance of the instance.</param>
/// <param name="Interpolated">The run reached <c>||A w - y|| &lt;= tolerance ||y||</c> within its step budget.</param>
public sealed record LimitCheck(double Scale, double Eta, DescentRun Gd, double[] Limit, double Distance, double Tolerance, bool Interpolated)
{
    /// <summary>The run ended within tolerance of the computed limit (whether or not it interpolated to the stopping residual).</summary>
    public bool Confirms => !Gd.Diverged && Distance <= Tolerance;

    /// <summary>
    /// The second half of a run that neither interpolated nor diverged, from its residual checks: the step of the
    /// halfway check, the least and largest residual checked after it, and at how many of those checks the residual was
    /// higher than at the check before (by more than rounding); <c>Flat</c> when every one of them is the same to
    /// rounding, and <c>Moving</c> when, even so, a single step into a check changed it. Null for a run that interpolated
    /// or diverged, or has fewer than four checks.
    /// </summary>
    public (int HalfwayStep, double Low, double High, int Rises, int Checks, bool Flat, bool Moving)? SecondHalf
    {
        get
        {
            double[] checks = Gd.CheckedResiduals ?? [];
            if (Interpolated || Gd.Diverged || checks.Length < 4) return null;
            bool[] moved = Gd.StepMovedAtCheck ?? [];
            int half = checks.Length / 2, rises = 0;
            for (int i = half; i < checks.Length; i++)
                if (checks[i] > checks[i - 1] * (1 + FactorizedDescent.RisingResidual)) rises++;
            double[] after = checks[half..];
            double low = after.Min(), high = after.Max();
            bool flat = high - low <= low * FactorizedDescent.RisingResidual;
            bool moving = moved.Skip(half).Any(m => m);
            return (half * Gd.CheckEvery, low, high, rises, after.Length, flat, moving);
        }
    }

    /// <summary>
    /// The run is not converging at its step size: it did not interpolate, and in the second half of its steps its
    /// residual went up between checks, or came back to the same value at every check while single steps changed it (an
    /// iterate cycling with a period that divides the checks' interval, a 2-cycle at an even one). With a step small
    /// enough for the local curvature every step lowers the loss (the descent lemma), so a slow run only creeps down, and
    /// a rise, or a cycle, which must rise somewhere, says the step is too large where the run is.
    /// </summary>
    public bool Stalled => SecondHalf is { } s && (s.Rises > 0 || (s.Flat && s.Moving));

    /// <summary>
    /// The run sits still away from interpolation: the same residual at every check of its second half, and no single
    /// step into a check changes it; more steps, of any size this small, change nothing there.
    /// </summary>
    public bool Stuck => SecondHalf is { Rises: 0, Flat: true, Moving: false };

    /// <summary>
    /// Runs gradient descent from scale <paramref name="a"/> with step <paramref name="eta"/> to interpolation and
    /// compares it with the limit. <paramref name="progress"/> receives the run's fractions of its step budget, adding
    /// up to 1 (see <see cref="FactorizedDescent.ToInterpolation"/>).
    /// </summary>
    public static LimitCheck Run(ImplicitL1Problem problem, EntropicProjection projection, double a, double eta,
        int maxSteps, double interpolationTolerance, double tolerance, Action<double>? progress = null)
    {
        DescentRun gd = FactorizedDescent.ToInterpolation(FactorizedModel.Nonnegative, problem, a, eta, maxSteps, interpolationTolerance, progress: progress);
        double[] limit = projection.Solve(a).W;
        bool interpolated = !gd.Diverged && gd.RelativeResidual <= interpolationTolerance;
        return new LimitCheck(a, eta, gd, limit, gd.Diverged ? double.NaN : ImplicitL1.Distance.MaxAbs(gd.W, limit), tolerance, interpolated);
    }

    /// <summary>
    /// Distances up to this many machine epsilons of the limit's largest coordinate are rounding, not discretization:
    /// the flow limit itself is solved to a residual of 1e-12 of ||y||, so its coordinates carry errors of that order.
    /// </summary>
    public const double RoundingEpsilons = 1e5;

    /// <summary>The distance below which this run's end cannot be told from the limit: <see cref="RoundingEpsilons"/> epsilons of max|w_inf(a)|.</summary>
    public double RoundingLevel => RoundingEpsilons * Math.Pow(2, -52) * (Limit.Length == 0 ? 0 : Limit.Max(Math.Abs));

    /// <summary>The run interpolated and ended farther from the limit than rounding: its distance can be fitted.</summary>
    public bool Resolved => Interpolated && Distance > RoundingLevel;

    /// <summary>
    /// The slope of <c>log distance</c> against <c>log eta</c> over the runs that interpolated to a distance above
    /// rounding (least squares); NaN with fewer than two such step sizes. A slope near 1 says discrete gradient
    /// descent ends O(eta) from the flow's limit.
    /// </summary>
    public static double Slope(IReadOnlyList<LimitCheck> runs)
    {
        var points = runs.Where(r => r.Resolved).Select(r => (X: Math.Log(r.Eta), Y: Math.Log(r.Distance))).ToArray();
        if (points.Select(p => p.X).Distinct().Count() < 2) return double.NaN;
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        return points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
    }
}
