using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The minimum nuclear-norm PSD completion by ADMM with a projection onto the PSD cone, in the full space: the
/// fallback of <see cref="MinimumTraceCompletion"/> for patterns whose dense Schur complement would be too large
/// for the interior-point method.
/// </summary>
/// <remarks>
/// <para>Splitting: <c>min trace(X) + [X_Omega = Y_Omega] + [Z PSD] s.t. X = Z</c>, with scaled dual U and penalty
/// rho. The X-step minimizes <c>trace(X) + rho/2 ||X - Z + U||^2</c> over the affine set, which is entrywise:
/// X = Y on Omega and <c>X = Z - U - I / rho</c> elsewhere. The Z-step projects X + U onto the PSD cone, and
/// <c>U += X - Z</c>. The penalty is rebalanced (Boyd et al., section 3.4.1) whenever the relative primal and
/// dual residuals are more than a factor 10 apart.</para>
/// <para>Dual point: after the Z-step, <c>-rho U</c> is PSD and plays the dual slack S of the KKT conditions
/// <c>I - Lambda = S, S PSD, Lambda supported on Omega</c>, so <c>Lambda0 = P_Omega(I + rho U)</c>. Periodically a
/// second candidate is fitted to complementarity with Z (<see cref="DualRefinement"/>, for patterns of at most
/// <see cref="DualRefinement.MaxPairs"/> pairs). A candidate is scaled by <c>1 / (1 + t)</c>, t its
/// infeasibility, which makes it exactly feasible in the full space, and the better of the two is kept. ADMM
/// stops once the full-space measures reach the tolerance; when Slater's condition fails the full-space dual
/// optimum need not be attained and it may never get there, which the returned certificate then says.</para>
/// </remarks>
internal static class AdmmCompletion

{
    private const double Mu = 10, Tau = 2;

    /// <summary>Runs ADMM until the full-space measures reach <paramref name="tolerance"/> or the budget is spent.</summary>
    /// <param name="checkEvery">Iterations between measurements (each costs two extra eigendecompositions;
    /// every fourth also fits the refined dual point).</param>
    /// <param name="onIteration">Called after every iteration (see <see cref="CompletionOptions.OnIteration"/>).</param>
    /// <returns>The PSD iterate Z, the best exactly feasible full-space dual point, and the iterations run.</returns>
    public static (double[] X, double[] Lambda, int Iterations) Solve(CompletionProblem problem, double tolerance,
        int maxIterations, int checkEvery = 25, Action<CompletionIteration>? onIteration = null)
    {
        int n = problem.N;
        ReadOnlySpan<double> y = problem.Y;
        ReadOnlySpan<bool> observed = problem.Observed;
        double observedNorm2 = problem.ObservedNorm * problem.ObservedNorm;
        int observedCount = 0;
        foreach (bool o in observed)
            if (o) observedCount++;

        var work = new Workspace(n, observed);
        double[] x = work.X, z = work.Z, zPrevious = work.ZPrevious, u = work.U, v = work.V;

        // The trace term pulls the diagonal by 1/rho per step; starting rho near 1 / (typical entry) puts both
        // terms of the X-step on the same scale, and the rebalancing corrects the rest.
        double typical = Math.Sqrt(observedNorm2 / Math.Max(1, observedCount));
        double rho = typical > 0 ? 1 / typical : 1;
        double observedNorm = Math.Sqrt(observedNorm2);

        bool converged = Measure(0, y, observed, n, work, rho, refine: false, tolerance, observedNorm);
        int iteration = 0;
        while (iteration < maxIterations && !converged)
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
            work.Z = z;
            work.ZPrevious = zPrevious;
            work.Projector.Project(v, z);

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
            {
                bool refine = iteration % (4 * checkEvery) == 0 || iteration == maxIterations;
                converged = Measure(iteration, y, observed, n, work, rho, refine, tolerance, observedNorm);
            }

            onIteration?.Invoke(new CompletionIteration(CompletionStage.Admm, iteration, maxIterations, double.NaN, tolerance));

            // U is the scaled dual, so it rescales with rho.
            double primalRelative = Math.Sqrt(primal2 / Math.Max(1e-300, Math.Max(xNorm2, zNorm2)));
            double dualRelative = Math.Sqrt(dual2 / Math.Max(1e-300, uNorm2));
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

        return (work.Z, work.Lambda, iteration);
    }

    /// <summary>Every buffer of one solve, allocated once.</summary>
    private sealed class Workspace(int n, ReadOnlySpan<bool> observed)
    {
        public readonly double[] X = new double[n * n];
        public double[] Z = new double[n * n];
        public double[] ZPrevious = new double[n * n];
        public readonly double[] U = new double[n * n];
        public readonly double[] V = new double[n * n];
        public readonly double[] Lambda = new double[n * n];
        public readonly double[] Candidate = new double[n * n];
        public readonly double[] Refined = new double[n * n];
        public readonly PsdConeProjector Projector = new(n);
        public readonly DualRefinement? Refinement = DualRefinement.For(observed, n);
    }

    /// <summary>Measures the primal point Z with the best dual candidate (see the remarks); true when every measure reached the tolerance.</summary>
    private static bool Measure(int iteration, ReadOnlySpan<double> y, ReadOnlySpan<bool> observed, int n,
        Workspace work, double rho, bool refine, double tolerance, double observedNorm)
    {
        double[] z = work.Z;
        double trace = 0, equality2 = 0, zNorm2 = 0;
        for (int i = 0; i < n; i++)
        {
            trace += z[i * n + i];
            for (int j = 0; j < n; j++)
            {
                int at = i * n + j;
                zNorm2 += z[at] * z[at];
                work.Candidate[at] = observed[at] ? (i == j ? 1 : 0) + rho * work.U[at] : 0;
                if (observed[at])
                {
                    double d = z[at] - y[at];
                    equality2 += d * d;
                }
            }
        }
        double psdViolation = Math.Max(0, -work.Projector.MinimumEigenvalue(z)) / (1 + Math.Sqrt(zNorm2));
        double equality = Math.Sqrt(equality2) / (1 + observedNorm);

        (double infeasibility, double dualObjective) = MakeFeasible(work.Candidate, y, observed, n, work);
        double gap = RelativeGap(trace, dualObjective);
        work.Candidate.AsSpan().CopyTo(work.Lambda);
        if (refine && work.Refinement is not null && work.Refinement.Refine(z, work.Candidate, work.Refined))
        {
            (double refinedInfeasibility, double refinedObjective) = MakeFeasible(work.Refined, y, observed, n, work);
            double refinedGap = RelativeGap(trace, refinedObjective);
            if (Math.Max(refinedInfeasibility, refinedGap) < Math.Max(infeasibility, gap))
            {
                (infeasibility, dualObjective, gap) = (refinedInfeasibility, refinedObjective, refinedGap);
                work.Refined.AsSpan().CopyTo(work.Lambda);
            }
        }

        return iteration > 0 && equality <= tolerance && psdViolation <= tolerance && infeasibility <= tolerance && gap <= tolerance;
    }

    /// <summary>Scales <paramref name="lambda"/> in place by 1 / (1 + t), t = max(0, -lambda_min(I - Lambda)); returns t and the dual objective.</summary>
    private static (double Infeasibility, double Objective) MakeFeasible(double[] lambda, ReadOnlySpan<double> y,
        ReadOnlySpan<bool> observed, int n, Workspace work)
    {
        double[] slack = work.V; // free between iterations
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                slack[i * n + j] = (i == j ? 1 : 0) - lambda[i * n + j];
        double infeasibility = Math.Max(0, -work.Projector.MinimumEigenvalue(slack));
        double shrink = 1 / (1 + infeasibility);
        double objective = 0;
        for (int k = 0; k < lambda.Length; k++)
        {
            lambda[k] *= shrink;
            if (observed[k]) objective += lambda[k] * y[k];
        }
        return (infeasibility, objective);
    }

    private static double RelativeGap(double primal, double dual) => Math.Abs(primal - dual) / (1 + Math.Abs(primal) + Math.Abs(dual));
}
