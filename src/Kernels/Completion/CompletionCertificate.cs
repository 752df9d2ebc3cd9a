using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>How a completion was solved.</summary>
public enum CompletionMethod
{
    /// <summary>Facial reduction, then a primal-dual interior-point method on the face.</summary>
    InteriorPoint,

    /// <summary>ADMM in the full space, for patterns too large for the dense Schur complement.</summary>
    Admm,
}

/// <summary>
/// How close a returned X is to solving <c>min trace(X) s.t. X_ij = Y_ij on Omega, X PSD</c>, measured on the
/// returned primal point and on dual points, in the original space; <see cref="Certified"/> says whether every
/// part met the tolerance.
/// </summary>
/// <remarks>
/// <para>Primal: <see cref="EqualityResidual"/> and <see cref="PsdViolation"/> of X itself.</para>
/// <para>Dual, on the face: the SDP's dual is <c>max &lt;Lambda, Y&gt;_Omega s.t. I - Lambda PSD</c> with Lambda
/// supported on Omega. When facial reduction forced null directions (Slater failed), every feasible X is
/// <c>P W P^T</c>, so weak duality only needs the face slack <c>P^T (I - Lambda) P</c> to be PSD, and that dual
/// (<see cref="FaceDualObjective"/>, <see cref="DualInfeasibility"/>, <see cref="DualityGap"/>) is attained; the
/// bound then rests on the forced directions being exact, which the reduction decides with a stated rank
/// threshold. Without reduction P = I and the face dual is the ordinary one.</para>
/// <para>Dual, in the full space: the result's Lambda is also lifted to a point with <c>I - Lambda</c> PSD in the
/// whole space (<see cref="DualObjective"/>, <see cref="RelativeGap"/>), a bound that needs no rank decision. When
/// Slater fails the full-space dual optimum need not be attained, so this gap may stay above the tolerance; it is
/// reported, not required.</para>
/// </remarks>
public sealed record CompletionCertificate
{
    /// <summary>Iterations of the method (interior-point iterations, or ADMM iterations).</summary>
    public required int Iterations { get; init; }

    public required CompletionMethod Method { get; init; }

    /// <summary>The accuracy asked for: every relative measure below must be at most this for <see cref="Certified"/>.</summary>
    public required double Tolerance { get; init; }

    /// <summary>trace(X) of the returned X.</summary>
    public required double PrimalObjective { get; init; }

    /// <summary><c>||P_Omega(X - Y)||_F / (1 + ||P_Omega(Y)||_F)</c>.</summary>
    public required double EqualityResidual { get; init; }

    /// <summary><c>max(0, -lambda_min(X)) / (1 + ||X||_F)</c>.</summary>
    public required double PsdViolation { get; init; }

    /// <summary><c>&lt;Lambda_face, Y&gt;_Omega</c> of the certifying dual point.</summary>
    public required double FaceDualObjective { get; init; }

    /// <summary><c>max(0, -lambda_min(P^T (I - Lambda_face) P))</c> (C = I, so this is already relative).</summary>
    public required double DualInfeasibility { get; init; }

    /// <summary><c>|trace(X) - FaceDualObjective| / (1 + |trace(X)| + |FaceDualObjective|)</c>.</summary>
    public required double DualityGap { get; init; }

    /// <summary><c>&lt;Lambda, Y&gt;_Omega</c> of the returned full-space Lambda.</summary>
    public required double DualObjective { get; init; }

    /// <summary><c>max(0, -lambda_min(I - Lambda))</c> of the returned full-space Lambda (zero up to rounding: it is scaled to feasibility).</summary>
    public required double FullSpaceDualInfeasibility { get; init; }

    /// <summary><c>|trace(X) - DualObjective| / (1 + |trace(X)| + |DualObjective|)</c>: the gap to the full-space dual point.</summary>
    public required double RelativeGap { get; init; }

    /// <summary>Whether facial reduction forced null directions, i.e. Slater's condition fails for this problem.</summary>
    public required bool FacialReductionApplied { get; init; }

    /// <summary>How many independent directions every feasible X annihilates.</summary>
    public required int ForcedNullDirections { get; init; }

    /// <summary>The larger of <see cref="EqualityResidual"/> and <see cref="PsdViolation"/>.</summary>
    public double PrimalResidual => Math.Max(EqualityResidual, PsdViolation);

    /// <summary>True only when the primal residual, the dual infeasibility and the duality gap are all at most the tolerance.</summary>
    public bool Certified => PrimalResidual <= Tolerance && DualInfeasibility <= Tolerance && DualityGap <= Tolerance;

    /// <summary>The same as <see cref="Certified"/> (the name earlier callers use).</summary>
    public bool Converged => Certified;

    /// <summary>
    /// The largest of the three certified measures, whether or not they met the tolerance. This is a diagnostic,
    /// not a certification: quote it as an accuracy only when <see cref="Certified"/> is true.
    /// </summary>
    public double WorstRelativeMeasure => Math.Max(PrimalResidual, Math.Max(DualInfeasibility, DualityGap));

    /// <summary>
    /// The accuracy this certificate vouches for: <see cref="WorstRelativeMeasure"/> when <see cref="Certified"/>,
    /// and positive infinity otherwise, so that it can never be quoted as a certification that did not happen.
    /// </summary>
    public double Accuracy => Certified ? WorstRelativeMeasure : double.PositiveInfinity;

    /// <summary>
    /// Measures every figure of a certificate for the primal point <paramref name="x"/> and the dual points
    /// <paramref name="faceLambda"/> (checked on <paramref name="face"/>) and <paramref name="lambda"/> (checked in the
    /// full space), all n x n row-major; the dual points must vanish off Omega.
    /// </summary>
    /// <exception cref="ArgumentException">A dual point is nonzero off Omega, or a size is wrong.</exception>
    public static CompletionCertificate Evaluate(CompletionProblem problem, CompletionFace face, ReadOnlySpan<double> x,
        ReadOnlySpan<double> faceLambda, ReadOnlySpan<double> lambda, double tolerance, int iterations = 0,
        CompletionMethod method = CompletionMethod.InteriorPoint)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(face);
        int n = problem.N, r = face.Dimension;
        if (x.Length != n * n || faceLambda.Length != n * n || lambda.Length != n * n)
            throw new ArgumentException($"X and both dual points must be {n} x {n}.");
        if (face.N != n) throw new ArgumentException("The face belongs to a problem of another size.", nameof(face));

        double trace = 0, equality2 = 0, xNorm2 = 0, faceObjective = 0, objective = 0;
        ReadOnlySpan<bool> observed = problem.Observed;
        ReadOnlySpan<double> y = problem.Y;
        var slack = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            trace += x[i * n + i];
            for (int j = 0; j < n; j++)
            {
                int at = i * n + j;
                xNorm2 += x[at] * x[at];
                slack[at] = (i == j ? 1 : 0) - lambda[at];
                if (!observed[at])
                {
                    if (faceLambda[at] != 0 || lambda[at] != 0) throw new ArgumentException("A dual point must vanish off Omega.");
                    continue;
                }
                double d = x[at] - y[at];
                equality2 += d * d;
                faceObjective += faceLambda[at] * y[at];
                objective += lambda[at] * y[at];
            }
        }
        double psd = n == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(x, n).Eigenvalues[0]) / (1 + Math.Sqrt(xNorm2));
        double fullInfeasibility = n == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(slack, n).Eigenvalues[0]);

        var faceSlack = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, faceLambda, faceSlack);
        for (int k = 0; k < r * r; k++) faceSlack[k] = -faceSlack[k];
        for (int i = 0; i < r; i++) faceSlack[i * r + i] += 1;
        double faceInfeasibility = r == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(faceSlack, r).Eigenvalues[0]);

        return new CompletionCertificate
        {
            Iterations = iterations,
            Method = method,
            Tolerance = tolerance,
            PrimalObjective = trace,
            EqualityResidual = Math.Sqrt(equality2) / (1 + problem.ObservedNorm),
            PsdViolation = psd,
            FaceDualObjective = faceObjective,
            DualInfeasibility = faceInfeasibility,
            DualityGap = RelativeDifference(trace, faceObjective),
            DualObjective = objective,
            FullSpaceDualInfeasibility = fullInfeasibility,
            RelativeGap = RelativeDifference(trace, objective),
            FacialReductionApplied = face.SlaterFailed,
            ForcedNullDirections = face.ForcedNullDirections,
        };
    }

    internal static double RelativeDifference(double a, double b) => Math.Abs(a - b) / (1 + Math.Abs(a) + Math.Abs(b));
}
