using System.Globalization;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.FlowLimit;
using Engine.Kernels.Random;

namespace Engine.Consumer;

/// <summary>
/// Homework 3, problem 2(e) on a small instance, through <see cref="ImplicitL1Experiment"/>: the exact limit of the
/// gradient flow on <c>x ⊙ x</c> from <c>x0 = a 1</c> reaches the end of the nonnegative Lasso path (the minimum-l1
/// interpolant) as a shrinks, and gradient descent run to interpolation ends at that computed limit.
/// </summary>
public static class ImplicitL1Demo
{
    public static IEnumerable<Check> Run()
    {
        var settings = new ImplicitL1Settings { Rows = 10, Cols = 20, Sparsity = 3, Steps = 20_000, RecordEvery = 100 };
        ImplicitL1Trial trial = ImplicitL1Experiment.RunTrial(settings, 0, new NormalSampler(seed: 5));
        ModelOutcome outcome = trial.Nonnegative;
        ScaleSweep sweep = outcome.Sweep;

        yield return new Check("the flow limit interpolates", outcome.Limit.Converged,
            Text($"||A w_inf - y|| / ||y|| = {outcome.Limit.RelativeResidual:G3} at a = {settings.Init:G3}, {outcome.Limit.Iterations} Newton iterations"));
        yield return new Check("the flow limit reaches the minimum-l1 interpolant as a shrinks",
            sweep.AllConverged && sweep.Distances[^1] <= sweep.Tolerance,
            Text($"max|w_inf(a) - w_l1| = {sweep.Distances[0]:G3} at a = {sweep.Scales[0]:G3}, {sweep.Distances[^1]:G3} at a = {sweep.Scales[^1]:G3} (tolerance {sweep.Tolerance:G3}); the limit matches from a = {sweep.LargestMatchingScale:G3} down"));

        const double a = 0.1, eta = 0.01;
        var projection = new EntropicProjection(trial.Problem.A, trial.Problem.Rows, trial.Problem.Cols, trial.Problem.Y);
        LimitCheck run = LimitCheck.Run(trial.Problem, projection, a, eta, maxSteps: 2_000_000,
            settings.InterpolationTolerance, outcome.Tolerance);
        yield return new Check("gradient descent ends at the computed flow limit", run.Interpolated && run.Confirms,
            Text($"{run.Gd.StepsDone} steps of eta = {eta:G3} from a = {a:G3}: max|w_GD - w_inf(a)| = {run.Distance:G3} (tolerance {run.Tolerance:G3})"));
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
