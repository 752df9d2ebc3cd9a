using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>The completion found and the certificate of its accuracy.</summary>
public sealed record CompletionResult(double[] X, double[] Lambda, CompletionCertificate Certificate);

/// <summary>
/// The minimum nuclear-norm PSD completion: effectively solves the SDP
/// <c>min trace(X) s.t. X_ij = Y_ij for (i, j) in Omega, X PSD</c> (for a PSD X the nuclear norm is the trace),
/// in double precision, by ADMM with a projection onto the PSD cone, to a stated accuracy.
/// </summary>
/// <remarks>
/// <para>Splitting: <c>min trace(X) + [X_Omega = Y_Omega] + [Z PSD] s.t. X = Z</c>, with scaled dual U and penalty
/// rho. The X-step minimizes <c>trace(X) + rho/2 ||X - Z + U||^2</c> over the affine set, which is entrywise:
/// X = Y on Omega and <c>X = Z - U - I / rho</c> elsewhere. The Z-step is the PSD projection of X + U, and
/// <c>U += X - Z</c>. The penalty is rebalanced (Boyd et al., section 3.4.1) when the primal and dual residuals
/// drift more than a factor 10 apart.</para>
/// <para>Certificate: after the Z-step, <c>-rho U</c> is PSD and plays the dual slack S of the KKT conditions
/// <c>I - Lambda = S, S PSD, Lambda supported on Omega</c>. So <c>Lambda0 = P_Omega(I + rho U)</c>; it is scaled
/// by <c>1 / (1 + t)</c> to make it exactly feasible, and the gap to trace(Z) bounds the suboptimality of Z up to
/// its (reported) equality residual. The returned X is the PSD iterate Z.</para>
/// <para>Omega must be symmetric (observed(i, j) == observed(j, i)); the diagonal may or may not be observed.</para>
/// </remarks>
public static class MinimumTraceCompletion
{
    /// <summary>Solves for the n x n row-major <paramref name="y"/> observed where <paramref name="observed"/> is true.</summary>
    /// <param name="tolerance">Stop once every relative measure of the certificate is at most this.</param>
    /// <param name="maxIterations">ADMM iteration budget; the certificate says whether the tolerance was reached.</param>
    /// <param name="checkEvery">Iterations between certificate evaluations (each costs two extra eigendecompositions).</param>
    public static CompletionResult Solve(ReadOnlySpan<double> y, ReadOnlySpan<bool> observed, int n,
        double tolerance = 1e-8, int maxIterations = 20000, int checkEvery = 10)
    {
        if (y.Length != n * n || observed.Length != n * n) throw new ArgumentException($"Y and Omega must both be {n} x {n}.");
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), "The tolerance must be positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(checkEvery, 1);
        double observedNorm2 = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int at = i * n + j;
                if (observed[at] != observed[j * n + i]) throw new ArgumentException("Omega must be symmetric.", nameof(observed));
                if (!observed[at]) continue;
                if (!double.IsFinite(y[at])) throw new ArgumentException("An observed entry of Y is NaN or infinite.", nameof(y));
                observedNorm2 += y[at] * y[at];
            }

        var x = new double[n * n];
        var z = new double[n * n];
        var zPrevious = new double[n * n];
        var u = new double[n * n];
        var v = new double[n * n];
        var lambda = new double[n * n];
        var projector = new PsdConeProjector(n);

        // The trace term pulls the diagonal by 1/rho per step; starting rho near 1 / (typical entry) puts both
        // terms of the X-step on the same scale, and the rebalancing corrects the rest.
        double typical = Math.Sqrt(observedNorm2 / Math.Max(1, CountObserved(observed)));
        double rho = typical > 0 ? 1 / typical : 1;
        const double Mu = 10, Tau = 2;

        CompletionCertificate certificate = Measure(0, y, observed, n, z, u, rho, lambda, v, projector, tolerance, Math.Sqrt(observedNorm2));
        int iteration = 0;
        while (iteration < maxIterations && !certificate.Converged)
        {
            iteration++;
            double inverseRho = 1 / rho;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    int at = i * n + j;
                    x[at] = observed[at] ? y[at] : z[at] - u[at] - (i == j ? inverseRho : 0);
                }

            for (int k = 0; k < v.Length; k++) v[k] = x[k] + u[k];
            (z, zPrevious) = (zPrevious, z);
            projector.Project(v, z);

            double primal2 = 0, dual2 = 0, xNorm2 = 0, zNorm2 = 0, uNorm2 = 0;
            for (int k = 0; k < u.Length; k++)
            {
                double r = x[k] - z[k];
                u[k] += r;
                primal2 += r * r;
                double dz = z[k] - zPrevious[k];
                dual2 += dz * dz;
                xNorm2 += x[k] * x[k];
                zNorm2 += z[k] * z[k];
                uNorm2 += u[k] * u[k];
            }

            if (iteration % checkEvery == 0 || iteration == maxIterations)
                certificate = Measure(iteration, y, observed, n, z, u, rho, lambda, v, projector, tolerance, Math.Sqrt(observedNorm2));

            // Residual balancing on the relative residuals; U is the scaled dual, so it rescales with rho.
            double primalRelative = Math.Sqrt(primal2) / Math.Max(1e-300, Math.Sqrt(Math.Max(xNorm2, zNorm2)));
            double dualRelative = rho * Math.Sqrt(dual2) / Math.Max(1e-300, rho * Math.Sqrt(uNorm2));
            if (primalRelative > Mu * dualRelative)
            {
                rho *= Tau;
                for (int k = 0; k < u.Length; k++) u[k] /= Tau;
            }
            else if (dualRelative > Mu * primalRelative)
            {
                rho /= Tau;
                for (int k = 0; k < u.Length; k++) u[k] *= Tau;
            }
        }

        return new CompletionResult(z, lambda, certificate);
    }

    private static int CountObserved(ReadOnlySpan<bool> observed)
    {
        int count = 0;
        foreach (bool o in observed) if (o) count++;
        return count;
    }

    /// <summary>Evaluates the certificate of the primal point Z with the multiplier read off U (see the remarks).</summary>
    private static CompletionCertificate Measure(int iteration, ReadOnlySpan<double> y, ReadOnlySpan<bool> observed, int n,
        double[] z, double[] u, double rho, double[] lambda, double[] scratch, PsdConeProjector projector,
        double tolerance, double observedNorm)
    {
        double trace = 0, equality2 = 0, zNorm2 = 0;
        for (int i = 0; i < n; i++)
        {
            trace += z[i * n + i];
            for (int j = 0; j < n; j++)
            {
                int at = i * n + j;
                zNorm2 += z[at] * z[at];
                lambda[at] = observed[at] ? (i == j ? 1 : 0) + rho * u[at] : 0;
                if (observed[at])
                {
                    double d = z[at] - y[at];
                    equality2 += d * d;
                }
            }
        }
        double psdViolation = Math.Max(0, -projector.MinimumEigenvalue(z)) / (1 + Math.Sqrt(zNorm2));

        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                scratch[i * n + j] = (i == j ? 1 : 0) - lambda[i * n + j];
        double dualInfeasibility = Math.Max(0, -projector.MinimumEigenvalue(scratch));
        double shrink = 1 / (1 + dualInfeasibility);
        double dualObjective = 0;
        for (int k = 0; k < lambda.Length; k++)
        {
            lambda[k] *= shrink;
            if (observed[k]) dualObjective += lambda[k] * y[k];
        }

        double equality = Math.Sqrt(equality2) / (1 + observedNorm);
        double gap = Math.Abs(trace - dualObjective) / (1 + Math.Abs(trace) + Math.Abs(dualObjective));
        bool converged = iteration > 0 && equality <= tolerance && psdViolation <= tolerance
            && dualInfeasibility <= tolerance && gap <= tolerance;
        return new CompletionCertificate(iteration, converged, trace, dualObjective, equality, psdViolation,
            dualInfeasibility, gap, tolerance);
    }
}
