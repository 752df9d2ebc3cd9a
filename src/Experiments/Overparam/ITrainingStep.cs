namespace Engine.Experiments.Overparam;

/// <summary>One optimization step on a mini-batch, as <see cref="SgdRun"/> drives it.</summary>
public interface ITrainingStep
{
    /// <summary>
    /// Evaluates the mini-batch objective (1 / 2m) sum_i ||y_i - f(x_i)||^2 at the current weights, then takes one
    /// step with step size <paramref name="eta"/>. Returns the objective before the step.
    /// </summary>
    double Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float eta);
}
