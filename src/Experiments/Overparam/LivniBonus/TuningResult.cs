namespace Engine.Experiments.Overparam;

/// <summary>
/// The inner step-size sweep of one width of a tuned setting: a short run per candidate eta on the tuning seed.
/// The chosen eta is the one that ends lowest; the largest candidate that did not diverge measures, on this grid,
/// the largest stable step of the width.
/// </summary>
public sealed record TuningResult(double Multiple, int R, IReadOnlyList<double> Etas, IReadOnlyList<TrainingCurve> Curves)
{
    /// <summary>The candidate with the lowest final objective among those that did not diverge; null when all diverged.</summary>
    public double? Chosen
    {
        get
        {
            int best = -1;
            for (int k = 0; k < Etas.Count; k++)
                if (!Curves[k].Diverged && Curves[k].Objective.Length > 0 && (best < 0 || Curves[k].Final < Curves[best].Final)) best = k;
            return best < 0 ? null : Etas[best];
        }
    }

    /// <summary>The largest candidate that did not diverge; null when all diverged.</summary>
    public double? LargestStable => Enumerable.Range(0, Etas.Count).Where(k => !Curves[k].Diverged).Select(k => (double?)Etas[k]).Max();
}
