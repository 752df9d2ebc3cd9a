using Engine.Kernels.Completion;

namespace Engine.Tests.Kernels.Completion;

public class CompletionCertificateTests
{
    private const double Tolerance = 1e-9;

    private static CompletionCertificate Passing() => new()
    {
        Iterations = 10,
        Method = CompletionMethod.InteriorPoint,
        Tolerance = Tolerance,
        PrimalObjective = 1,
        EqualityResidual = 0.5 * Tolerance,
        PsdViolation = 0.5 * Tolerance,
        FaceDualObjective = 1,
        DualInfeasibility = 0.5 * Tolerance,
        DualityGap = 0.5 * Tolerance,
        DualObjective = 0.9,
        FullSpaceDualInfeasibility = 0,
        RelativeGap = 0.03,
        FacialReductionApplied = true,
        ForcedNullDirections = 1,
    };

    [Fact]
    public void CertifiedOnlyWhenEveryPartIsWithinTolerance()
    {
        CompletionCertificate passing = Passing();
        Assert.True(passing.Certified);
        Assert.True(passing.Converged);
        Assert.Equal(0.5 * Tolerance, passing.Accuracy);

        // Each part alone above the tolerance refuses the certificate, and the accuracy then vouches for nothing.
        CompletionCertificate[] failing =
        [
            passing with { EqualityResidual = 2 * Tolerance },
            passing with { PsdViolation = 2 * Tolerance },
            passing with { DualInfeasibility = 2 * Tolerance },
            passing with { DualityGap = 2 * Tolerance },
        ];
        foreach (CompletionCertificate c in failing)
        {
            Assert.False(c.Certified, c.ToString());
            Assert.False(c.Converged);
            Assert.True(double.IsPositiveInfinity(c.Accuracy));
            Assert.Equal(2 * Tolerance, c.WorstRelativeMeasure);
        }
        Assert.Equal(2 * Tolerance, (passing with { EqualityResidual = 2 * Tolerance }).PrimalResidual);
    }

    [Fact]
    public void StoppingTheSolverEarlyIsNotCertified()
    {
        const int n = 12;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 2, seed: 31);
        bool[] mask = MinimumTraceCompletionTests.SymmetricMask(n, 0.4, 31);
        CompletionResult early = MinimumTraceCompletion.Solve(y, mask, n, Tolerance, maxIterations: 3);
        Assert.False(early.Certificate.Certified);
        Assert.True(early.Certificate.WorstRelativeMeasure > Tolerance);
        CompletionResult full = MinimumTraceCompletion.Solve(y, mask, n, Tolerance);
        Assert.True(full.Certificate.Certified, full.Certificate.ToString());
    }

    [Fact]
    public void EvaluateCatchesEachPerturbationSeparately()
    {
        const int n = 10;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 2, seed: 32);
        bool[] mask = MinimumTraceCompletionTests.SymmetricMask(n, 0.5, 32);
        mask[0] = false; // the (0, 0) entry stays free for the PSD perturbation below
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, Tolerance);
        CompletionProblem problem = result.Problem;
        Assert.True(result.Certificate.Certified);
        CompletionCertificate Measure(double[] x, double[] faceLambda) =>
            CompletionCertificate.Evaluate(problem, result.Face, x, faceLambda, result.Lambda, Tolerance);
        Assert.True(Measure(result.X, result.FaceLambda).Certified);

        // An observed entry moved (both triangles): only the equality residual and the gap can notice.
        int at = Array.FindIndex(mask, 1, o => o);
        int i = at / n, j = at % n;
        var moved = (double[])result.X.Clone();
        moved[i * n + j] += 1e-6;
        if (i != j) moved[j * n + i] += 1e-6;
        CompletionCertificate c = Measure(moved, result.FaceLambda);
        Assert.False(c.Certified);
        Assert.True(c.EqualityResidual > Tolerance);

        // A negative diagonal entry that is not observed: X goes indefinite while every observation still holds.
        var indefinite = (double[])result.X.Clone();
        indefinite[0] = -1e-6;
        CompletionCertificate d = Measure(indefinite, result.FaceLambda);
        Assert.False(d.Certified);
        Assert.True(d.PsdViolation > Tolerance);
        Assert.Equal(result.Certificate.EqualityResidual, d.EqualityResidual);

        // The dual point scaled up: its slack goes indefinite on the face.
        double[] inflated = result.FaceLambda.Select(l => 1.5 * l).ToArray();
        CompletionCertificate e = Measure(result.X, inflated);
        Assert.False(e.Certified);
        Assert.True(e.DualInfeasibility > Tolerance);

        // The dual point scaled down: feasible, but the gap opens.
        double[] deflated = result.FaceLambda.Select(l => 0.9 * l).ToArray();
        CompletionCertificate f = Measure(result.X, deflated);
        Assert.False(f.Certified);
        Assert.True(f.DualInfeasibility <= Tolerance);
        Assert.True(f.DualityGap > Tolerance);
    }

    [Fact]
    public void ADualPointOffOmegaIsRejected()
    {
        const int n = 4;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 1, seed: 33);
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++) mask[i * n + i] = true;
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, Tolerance);
        var offOmega = (double[])result.FaceLambda.Clone();
        offOmega[1] = offOmega[n] = 0.1;
        Assert.Throws<ArgumentException>(() =>
            CompletionCertificate.Evaluate(result.Problem, result.Face, result.X, offOmega, result.Lambda, Tolerance));
    }

    [Fact]
    public void TheAdmmFallbackIsCertifiedByTheSameRules()
    {
        const int n = 12;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 3, seed: 34);
        bool[] mask = MinimumTraceCompletionTests.SymmetricMask(n, 0.5, 34);
        var problem = new CompletionProblem(y, mask, n);
        var options = new CompletionOptions { Tolerance = 1e-6, MaxInteriorPointPairs = 0 };
        CompletionResult admm = MinimumTraceCompletion.Solve(problem, options);
        Assert.Equal(CompletionMethod.Admm, admm.Certificate.Method);
        CompletionResult interior = MinimumTraceCompletion.Solve(problem, options with { MaxInteriorPointPairs = 3000, Tolerance = 1e-10 });
        Assert.Equal(CompletionMethod.InteriorPoint, interior.Certificate.Method);
        Assert.True(interior.Certificate.Certified);
        // Whatever ADMM reached, the certificate says so truthfully: when it claims certification, its trace is
        // within the tolerance of the interior-point answer.
        if (admm.Certificate.Certified)
            Assert.True(Math.Abs(admm.Certificate.PrimalObjective - interior.Certificate.PrimalObjective)
                        <= 1e-5 * (1 + interior.Certificate.PrimalObjective));
        else Assert.True(admm.Certificate.WorstRelativeMeasure > 1e-6);
    }
}
