namespace Engine.Kernels.Completion;

/// <summary>
/// A minimum nuclear-norm PSD completion: the primal X, the dual points that certify it, the face facial reduction
/// found, and the certificate.
/// </summary>
public sealed class CompletionResult
{
    internal CompletionResult(CompletionProblem problem, CompletionFace face, double[] x, double[] lambda, double[] faceLambda,
        CompletionCertificate certificate)
    {
        Problem = problem;
        Face = face;
        X = x;
        Lambda = lambda;
        FaceLambda = faceLambda;
        Certificate = certificate;
        _optimalFace = new Lazy<OptimalFace>(() => Completion.OptimalFace.Of(this));
    }

    private readonly Lazy<OptimalFace> _optimalFace;

    /// <summary>The problem solved.</summary>
    public CompletionProblem Problem { get; }

    /// <summary>The face every feasible X lies in, with the forced null vectors and whether Slater failed.</summary>
    public CompletionFace Face { get; }

    /// <summary>The completion, n x n row-major, symmetric.</summary>
    public double[] X { get; }

    /// <summary>A dual point supported on Omega with <c>I - Lambda</c> PSD in the whole space (n x n row-major).</summary>
    public double[] Lambda { get; }

    /// <summary>The certifying dual point, supported on Omega, with <c>P^T (I - Lambda_face) P</c> PSD on the face.</summary>
    public double[] FaceLambda { get; }

    public CompletionCertificate Certificate { get; }

    /// <summary>
    /// The optimal face (<see cref="Completion.OptimalFace.Of"/>), found once: every question about the optimal set of
    /// this result (the probe, the nearest member to each of many runs) asks it of the same face, which at D = 400 takes
    /// tens of seconds to find. Thread-safe; a failure (an uncertified result) is rethrown to every caller.
    /// </summary>
    internal OptimalFace OptimalFace => _optimalFace.Value;
}
