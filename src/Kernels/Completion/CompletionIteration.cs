namespace Engine.Kernels.Completion;

/// <summary>The solver an iteration reported to <see cref="CompletionOptions.OnIteration"/> belongs to.</summary>
public enum CompletionStage
{
    /// <summary>The interior-point method on the face (<see cref="InteriorPointSdp"/>).</summary>
    InteriorPoint,

    /// <summary>Newton's method on the partitioned optimality conditions (<see cref="ComplementarityRefinement"/>), run once per candidate rank.</summary>
    Refinement,

    /// <summary>The ADMM fallback in the full space (<see cref="AdmmCompletion"/>).</summary>
    Admm,
}

/// <summary>One finished iteration of a solver inside <see cref="MinimumTraceCompletion.Solve(CompletionProblem, CompletionOptions?)"/>.</summary>
/// <param name="Stage">Which solver ran it.</param>
/// <param name="Iteration">Iterations of this solver run so far (counted from 0 for the interior point's starting point, from 1 otherwise).</param>
/// <param name="MaxIterations">The solver's iteration budget: it never reports a larger <paramref name="Iteration"/>, and usually stops well before.</param>
/// <param name="Measure">
/// The solver's own measure of how far it is from done: the worst relative measure of the best interior-point iterate
/// so far, the residual of the refinement's optimality conditions, NaN for ADMM (measured only every few iterations).
/// </param>
/// <param name="Target">The measure at which the solver stops (0 for the refinement, which stops at rounding level).</param>
public readonly record struct CompletionIteration(CompletionStage Stage, int Iteration, int MaxIterations, double Measure, double Target);
