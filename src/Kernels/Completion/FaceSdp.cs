using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>The solution of an SDP on a face and its measures in the reduced space (see <see cref="FaceSdp"/>).</summary>
/// <param name="Z">Primal point, r x r.</param>
/// <param name="Y">Multipliers, one per constraint.</param>
/// <param name="Iterations">Interior-point iterations.</param>
/// <param name="Polished">Whether the factored polish or the partitioned Newton refinement improved on the interior-point iterate.</param>
/// <param name="Worst">The largest of the relative primal residual, PSD violation, dual infeasibility and gap.</param>
internal sealed record FaceSdpSolution(double[] Z, double[] Y, int Iterations, bool Polished, double Worst);

/// <summary>
/// <c>min &lt;C, Z&gt; s.t. &lt;A_k, Z&gt; = b_k, Z PSD</c> on a face: the interior-point method
/// (<see cref="InteriorPointSdp"/>), then the polish on the identified optimal range
/// (<see cref="OptimalFacePolish"/>), and when that did not reach rounding level, Newton's method on the
/// partitioned optimality conditions (<see cref="ComplementarityRefinement"/>), keeping whichever pair measures best.
/// </summary>
/// <remarks>
/// The measures, all relative: primal residual <c>||A(Z) - b|| / (1 + ||b||)</c>, PSD violation
/// <c>max(0, -lambda_min(Z)) / (1 + ||Z||_F)</c>, dual infeasibility <c>max(0, -lambda_min(C - A^T y)) / (1 + ||C||_F)</c>
/// and gap <c>|&lt;C, Z&gt; - b^T y| / (1 + |&lt;C, Z&gt;| + |b^T y|)</c>.
/// </remarks>
internal static class FaceSdp
{
    /// <param name="onIteration">Called once per iteration of the interior-point method and of the refinement (see <see cref="CompletionOptions.OnIteration"/>).</param>
    public static FaceSdpSolution Solve(FaceConstraints a, double[] c, double target, int maxIterations,
        Action<CompletionIteration>? onIteration = null)
    {
        InteriorPointSolution solution = InteriorPointSdp.Solve(a, c, target, maxIterations, onIteration);
        double worst = Measure(a, c, solution.Z, solution.Y);
        var best = new FaceSdpSolution(solution.Z, solution.Y, solution.Iterations, false, worst);
        if (OptimalFacePolish.Polish(a, c, solution.Z, solution.S, solution.Y) is ({ } z, { } y))
        {
            double polished = Measure(a, c, z, y);
            if (polished < worst) best = new FaceSdpSolution(z, y, solution.Iterations, true, polished);
        }
        // The polish fails when small eigenvalues of the optimal Z make its Jacobian nearly singular in genuine
        // directions as well as in the degenerate ones; the refinement has no rank to decide. It only runs then,
        // so that a pair the polish already brought to rounding level stays what it was. The rank partition it
        // needs is the indicator rule's; when the pair leaves directions undecided (both Z and S small along them,
        // as when the interior-point method stalls early), the two ends of the undecided range are tried as well.
        if (best.Worst > RoundingLevel)
        {
            var partition = ComplementarityPartition.Of(solution.Z, solution.S, a.R, worst);
            var ranks = new SortedSet<int> { partition.IndicatorCount, partition.Range.Length, partition.Range.Length + partition.Undecided.Length };
            foreach (int q in ranks)
            {
                if (ComplementarityRefinement.Refine(a, c, solution.Z, solution.Y, q, onIteration) is not ({ } zr, { } yr)) continue;
                double refined = Measure(a, c, zr, yr);
                if (refined < best.Worst) best = new FaceSdpSolution(zr, yr, solution.Iterations, true, refined);
                if (best.Worst <= RoundingLevel) break;
            }
        }
        return best;
    }

    /// <summary>A pair whose worst measure is at most this is at rounding level: nothing is left to refine.</summary>
    private const double RoundingLevel = 1e-13;

    /// <summary>The worst of the four relative measures in the remarks.</summary>
    public static double Measure(FaceConstraints a, ReadOnlySpan<double> c, double[] z, double[] y)
    {
        int r = a.R, m = a.Count;
        var az = new double[m];
        a.Apply(z, az);
        double residual2 = 0, b2 = 0, dualObjective = 0;
        for (int k = 0; k < m; k++)
        {
            double d = az[k] - a.Rhs[k];
            residual2 += d * d;
            b2 += a.Rhs[k] * a.Rhs[k];
            dualObjective += a.Rhs[k] * y[k];
        }
        double primal = Math.Sqrt(residual2) / (1 + Math.Sqrt(b2));
        if (r == 0) return primal;
        double psd = Math.Max(0, -SymmetricEigenSolver.Of(z, r).Eigenvalues[0]) / (1 + SquareMatrix.FrobeniusNorm(z));
        var slack = new double[r * r];
        a.ApplyTranspose(y, slack);
        for (int k = 0; k < r * r; k++) slack[k] = c[k] - slack[k];
        double dual = Math.Max(0, -SymmetricEigenSolver.Of(slack, r).Eigenvalues[0]) / (1 + SquareMatrix.FrobeniusNorm(c));
        double primalObjective = SquareMatrix.Dot(c, z);
        double gap = CompletionCertificate.RelativeDifference(primalObjective, dualObjective);
        return Math.Max(Math.Max(primal, psd), Math.Max(dual, gap));
    }
}
