using Engine.Kernels.Completion;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Completion;

/// <summary>
/// The answers about the optimal set must not depend on the last bits of the data: a perturbation of Y at rounding
/// level may move each answer by what the perturbation itself changes, never flip a rank decision.
/// </summary>
public class OptimalSetStabilityTests
{
    private const int D = 30;

    /// <summary>Relative size of the perturbation of each observed entry.</summary>
    private const double Perturbation = 1e-14;

    /// <summary>
    /// How far the distance from Y to the optimal set may move beyond the two certified intervals, relative to
    /// 1 + distance: the set itself moves with the data, by at most its condition number times the perturbation,
    /// and the instances here measure a few hundred times the perturbation at most.
    /// </summary>
    private const double DistanceAllowance = 1e-10;

    /// <summary>Y with each observed pair multiplied by <c>1 + Perturbation g</c>, g standard normal, the same on both sides.</summary>
    private static double[] Perturb(double[] y, bool[] mask, ulong seed)
    {
        var noise = new NormalSampler(seed);
        var perturbed = (double[])y.Clone();
        for (int i = 0; i < D; i++)
            for (int j = 0; j <= i; j++)
                if (mask[i * D + j])
                {
                    perturbed[i * D + j] *= 1 + Perturbation * noise.NextNormal();
                    perturbed[j * D + i] = perturbed[i * D + j];
                }
        return perturbed;
    }

    [Theory]
    [InlineData(0.2, 0, 2019UL)]
    [InlineData(0.25, 1, 2019UL)]
    [InlineData(0.6, 2, 2019UL)]
    [InlineData(0.2, 0, 2026UL)]   // once cut by a rounding-level null vector in the optimal face's facial reduction
    [InlineData(0.25, 1, 2035UL)]  // the same, in the other regime
    public void AnswersAboutTheOptimalSetDoNotMoveUnderARoundingLevelPerturbationOfY(double fraction, int regime, ulong seed)
    {
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(fraction, regime, seed);
        (CompletionResult result, OptimalSetProbe probe, NearestOptimalCompletion nearest) = Answers(y, mask, y);
        Assert.True(probe.ProbeAccuracy <= 1e-8, $"probe accuracy {probe.ProbeAccuracy:E2}");
        Assert.True(nearest.Accuracy <= 1e-8 * (1 + nearest.Distance), $"interval width {nearest.Accuracy:E2}");

        for (ulong p = 0; p < 4; p++)
        {
            double[] perturbed = Perturb(y, mask, 100 + p);
            (CompletionResult other, OptimalSetProbe otherProbe, NearestOptimalCompletion otherNearest) = Answers(perturbed, mask, y);
            string label = $"perturbation {p}";

            // The optimal value: each face dual is feasible for the other problem's dual (feasibility does not involve
            // Y), so the two minima differ by at most the two certified gaps plus <Lambda, dY> for either Lambda.
            CompletionCertificate a = result.Certificate, b = other.Certificate;
            double change = Math.Max(Observed(result.FaceLambda, perturbed, y, mask), Observed(other.FaceLambda, perturbed, y, mask));
            double bound = Math.Abs(a.PrimalObjective - a.FaceDualObjective) + Math.Abs(b.PrimalObjective - b.FaceDualObjective)
                + change + 1e-13 * (1 + Math.Abs(a.PrimalObjective));
            Assert.True(Math.Abs(a.PrimalObjective - b.PrimalObjective) <= bound,
                $"{label}: trace {a.PrimalObjective:R} vs {b.PrimalObjective:R}, bound {bound:E2}");

            Assert.Equal(probe.AffineDimension, otherProbe.AffineDimension);
            Assert.Equal(probe.FaceRank, otherProbe.FaceRank);
            Assert.Equal(probe.SinglePoint, otherProbe.SinglePoint);
            Assert.True(otherProbe.ProbeAccuracy <= 1e-8, $"{label}: probe accuracy {otherProbe.ProbeAccuracy:E2}");

            double distanceBound = nearest.Accuracy + otherNearest.Accuracy + DistanceAllowance * (1 + nearest.Distance);
            Assert.True(Math.Abs(nearest.Distance - otherNearest.Distance) <= distanceBound,
                $"{label}: distance {nearest.Distance:R} vs {otherNearest.Distance:R}, bound {distanceBound:E2}");
        }
    }

    [Theory]
    [InlineData(0.2, 0, 2026UL)]
    [InlineData(0.25, 1, 2035UL)]
    public void TheOptimalFaceContainsTheCompletionItWasFoundFrom(double fraction, int regime, ulong seed)
    {
        // The returned X has eigenvalues of 1e-6 to 1e-4 whose directions sit in blocks with rounding-level null
        // vectors; a face that cuts such a direction away no longer holds X, and every probe on it fails.
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(fraction, regime, seed);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, D, tolerance: 1e-9);
        Assert.True(result.Certificate.Certified, result.Certificate.ToString());
        OptimalFace face = OptimalFace.Of(result);
        Assert.True(face.Decided);
        double[] projected = face.Lift(Compress(face, result.X));
        double outside = Math.Sqrt(result.X.Zip(projected, (u, v) => (u - v) * (u - v)).Sum());
        Assert.True(outside <= 1e-12, $"||X - B B^T X B B^T||_F = {outside:E2}");
    }

    [Theory]
    [InlineData(0.2, 0, 2026UL)]
    [InlineData(0.25, 1, 2035UL)]
    public void FacialReductionOfTheOptimalFaceTakesNoRoundingLevelComponentForADirection(double fraction, int regime, ulong seed)
    {
        // On these faces the result's X is a Slater point, so nothing may be reduced; but the determined entries
        // make large known blocks whose smallest nonzero eigenvalue is 1e-6 to 1e-4, so their computed null vectors
        // carry components of 1e-10 to 1e-8 inside the face, above the fixed threshold of 1e-10.
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(fraction, regime, seed);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, D, tolerance: 1e-9);
        int r = result.Face.Dimension;
        var z = new double[r * r];
        SquareMatrix.Compress(result.Face.Basis, D, r, result.X, z);
        var s = new double[r * r];
        SquareMatrix.Compress(result.Face.Basis, D, r, result.FaceLambda, s);
        for (int k = 0; k < r * r; k++) s[k] = -s[k];
        for (int i = 0; i < r; i++) s[i * r + i] += 1;
        var partition = ComplementarityPartition.Of(z, s, r, result.Certificate.WorstRelativeMeasure);
        int q = partition.Range.Length;
        var start = new double[D * q];
        SquareMatrix.MultiplyRectangular(result.Face.Basis, partition.Columns(partition.Range), start, D, r, q);
        CompletionFace reduced = FacialReduction.Reduce(result.Problem, start, q, result.Face.RankTolerance);
        Assert.Equal(q, reduced.Dimension);
    }

    [Fact]
    public void AFaceThatALooseCertificateCanNotDecideIsReportedNotGuessed()
    {
        // An interior-point pair stopped at a relative accuracy of 1e-4 and certified at 1e-2: along the directions
        // where the optimal X has eigenvalues of 1e-4 and below, Z and S are of the same size, so the pair can not
        // tell which side they belong to.
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(0.2, 0);
        var problem = new CompletionProblem(y, mask, D);
        CompletionFace face = FacialReduction.Reduce(problem);
        FaceConstraints constraints = MinimumTraceCompletion.Independent(problem, face);
        int r = face.Dimension;
        var cost = new double[r * r];
        for (int i = 0; i < r; i++) cost[i * r + i] = 1;
        InteriorPointSolution early = InteriorPointSdp.Solve(constraints, cost, 1e-4, 200);
        var x = new double[D * D];
        SquareMatrix.Congruence(face.Basis, D, r, early.Z, x);
        double[] faceLambda = MinimumTraceCompletion.FeasibleFaceDual(constraints, early.Y);
        var certificate = CompletionCertificate.Evaluate(problem, face, x, faceLambda, faceLambda, 1e-2, early.Iterations);
        Assert.True(certificate.Certified, certificate.ToString());
        var loose = new CompletionResult(problem, face, x, faceLambda, faceLambda, certificate);

        Assert.False(OptimalFace.Of(loose).Decided);
        OptimalSetProbe probe = OptimalCompletionSet.Probe(loose, functionals: 1);
        Assert.True(double.IsPositiveInfinity(probe.ProbeAccuracy), $"probe accuracy {probe.ProbeAccuracy:E2}");
        NearestOptimalCompletion nearest = OptimalCompletionSet.Nearest(loose, y);
        Assert.Equal(0, nearest.DistanceLowerBound);
    }

    private static (CompletionResult, OptimalSetProbe, NearestOptimalCompletion) Answers(double[] y, bool[] mask, double[] target)
    {
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, D, tolerance: 1e-9);
        Assert.True(result.Certificate.Certified, result.Certificate.ToString());
        return (result, OptimalCompletionSet.Probe(result, functionals: 2), OptimalCompletionSet.Nearest(result, target));
    }

    /// <summary><c>|&lt;Lambda, Y' - Y&gt;|</c> over Omega.</summary>
    private static double Observed(double[] lambda, double[] perturbed, double[] y, bool[] mask)
    {
        double sum = 0;
        for (int k = 0; k < lambda.Length; k++)
            if (mask[k]) sum += lambda[k] * (perturbed[k] - y[k]);
        return Math.Abs(sum);
    }

    private static double[] Compress(OptimalFace face, double[] x)
    {
        int n = face.Problem.N, q = face.Q;
        var w = new double[q * q];
        for (int a = 0; a < q; a++)
            for (int b = 0; b < q; b++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) sum += face.Basis[i * q + a] * x[i * n + j] * face.Basis[j * q + b];
                w[a * q + b] = sum;
            }
        return w;
    }
}
