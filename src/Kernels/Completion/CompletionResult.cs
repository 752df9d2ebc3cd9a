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
    }

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
}
