namespace Engine.Kernels.Completion;

/// <summary>Settings of <see cref="MinimumTraceCompletion.Solve(CompletionProblem, CompletionOptions?)"/>.</summary>
public sealed record CompletionOptions
{
    /// <summary>Every certified measure must be at most this (relative; see <see cref="CompletionCertificate"/>).</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>Interior-point iteration budget (it stops earlier at its target or when it stalls, typically after 15 to 40).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Iteration budget of the ADMM fallback (see <see cref="MaxInteriorPointPairs"/>).</summary>
    public int AdmmMaxIterations { get; init; } = 20000;

    /// <summary>Relative eigenvalue threshold of facial reduction's rank decisions (see <see cref="FacialReduction"/>).</summary>
    public double RankTolerance { get; init; } = FacialReduction.DefaultRankTolerance;

    /// <summary>
    /// Patterns with more observed pairs use ADMM instead of the interior-point method, whose Schur complement is
    /// dense in the observed pairs (8 m^2 bytes and m^3 / 3 flops per iteration).
    /// </summary>
    public int MaxInteriorPointPairs { get; init; } = 3000;

    /// <summary>
    /// Called once per iteration of the interior-point method, the refinement and ADMM, on the solving thread, so
    /// that a caller can show progress through a solve that takes minutes at large sizes; it must not throw, and it
    /// changes nothing in the result. None when null.
    /// </summary>
    public Action<CompletionIteration>? OnIteration { get; init; }
}
