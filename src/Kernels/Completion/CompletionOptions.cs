namespace Engine.Kernels.Completion;

/// <summary>Settings of <see cref="MinimumTraceCompletion.Solve(CompletionProblem, CompletionOptions?)"/>.</summary>
public sealed record CompletionOptions
{
    /// <summary>Every certified measure must be at most this (relative; see <see cref="CompletionCertificate"/>).</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>Iteration budget of the method (interior-point iterations; ADMM iterations for the fallback).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Relative eigenvalue threshold of facial reduction's rank decisions (see <see cref="FacialReduction"/>).</summary>
    public double RankTolerance { get; init; } = FacialReduction.DefaultRankTolerance;

    /// <summary>
    /// Patterns with more observed pairs use ADMM instead of the interior-point method, whose Schur complement is
    /// dense in the observed pairs (8 m^2 bytes and m^3 / 3 flops per iteration).
    /// </summary>
    public int MaxInteriorPointPairs { get; init; } = 3000;
}
