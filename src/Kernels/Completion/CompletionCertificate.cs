namespace Engine.Kernels.Completion;

/// <summary>
/// How close a returned X is to solving <c>min trace(X) s.t. X_ij = Y_ij on Omega, X PSD</c>, measured on the
/// returned primal point and on a dual point built from the solver's multipliers.
/// </summary>
/// <param name="Iterations">ADMM iterations run.</param>
/// <param name="Converged">Whether every relative measure below reached <paramref name="Tolerance"/>.</param>
/// <param name="PrimalObjective">trace(X) of the returned X.</param>
/// <param name="DualObjective"><c>&lt;Lambda, Y&gt;_Omega</c> of the dual-feasible Lambda (see <see cref="DualInfeasibility"/>).</param>
/// <param name="EqualityResidual"><c>||P_Omega(X - Y)||_F / (1 + ||P_Omega(Y)||_F)</c>.</param>
/// <param name="PsdViolation"><c>max(0, -lambda_min(X)) / (1 + ||X||_F)</c>.</param>
/// <param name="DualInfeasibility">
/// <c>t = max(0, -lambda_min(I - Lambda0))</c> for the multiplier Lambda0 read off the solver; the reported dual
/// point is <c>Lambda = Lambda0 / (1 + t)</c>, which is exactly feasible (<c>I - Lambda &gt;= 0</c>) by construction.
/// </param>
/// <param name="RelativeGap"><c>|trace(X) - &lt;Lambda, Y&gt;_Omega| / (1 + |trace(X)| + |&lt;Lambda, Y&gt;_Omega|)</c>.</param>
/// <param name="Tolerance">The accuracy asked for.</param>
public sealed record CompletionCertificate(
    int Iterations,
    bool Converged,
    double PrimalObjective,
    double DualObjective,
    double EqualityResidual,
    double PsdViolation,
    double DualInfeasibility,
    double RelativeGap,
    double Tolerance)
{
    /// <summary>The largest of the four relative measures: the accuracy this certificate vouches for.</summary>
    public double Accuracy => Math.Max(Math.Max(EqualityResidual, PsdViolation), Math.Max(DualInfeasibility, RelativeGap));
}
