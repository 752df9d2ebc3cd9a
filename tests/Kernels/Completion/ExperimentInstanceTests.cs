using Engine.Kernels.Completion;
using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Completion;

/// <summary>
/// The instances of the matrix-completion experiment (HW3 2(f)): D = 30, rank 2, drawn as the experiment draws them
/// with its default seed 2019 (truth from <c>Split(0)</c> of the root sampler, regime r's Omega from
/// <c>Split(2 + r)</c>), re-implemented here so the kernel tests do not depend on the experiment project.
/// </summary>
public class ExperimentInstanceTests
{
    private const int D = 30;

    /// <summary>
    /// The minimum trace of the 20 % regime found by an independent interior-point solve after facial reduction
    /// (duality gap 6.6e-11), quoted to the six decimals it was reported with.
    /// </summary>
    private const double IndependentTrace20 = 1.375657;

    internal static (double[] Y, bool[] Mask) Draw(double fraction, int regime, ulong seed = 2019)
    {
        var root = new NormalSampler(seed, 0);
        NormalSampler truth = root.Split(0), maskSampler = root.Split(2 + (ulong)regime);
        const int rank = 2;
        var w = new double[D * rank];
        truth.Fill(w);
        var y = new double[D * D];
        Engine.Kernels.Gemm.Gemm.Multiply(Engine.Kernels.Gemm.Op.None, Engine.Kernels.Gemm.Op.Transpose, D, D, rank,
            1.0, w, rank, w, rank, 0.0, y, D);
        double largest = SymmetricEigenSolver.Of(y, D).Eigenvalues[D - 1];
        for (int k = 0; k < y.Length; k++) y[k] /= largest;
        for (int i = 0; i < D; i++)
            for (int j = 0; j < i; j++) y[j * D + i] = y[i * D + j];

        int pairs = D * (D + 1) / 2;
        int chosen = Math.Clamp((int)Math.Round(fraction * pairs), 1, pairs);
        var order = Enumerable.Range(0, pairs).ToArray();
        for (int p = 0; p < chosen; p++)
        {
            int q = p + maskSampler.NextInt(pairs - p);
            (order[p], order[q]) = (order[q], order[p]);
        }
        var mask = new bool[D * D];
        for (int p = 0; p < chosen; p++)
        {
            int i = 0;
            while ((i + 1) * (i + 2) / 2 <= order[p]) i++;
            int j = order[p] - i * (i + 1) / 2;
            mask[i * D + j] = mask[j * D + i] = true;
        }
        return (y, mask);
    }

    [Fact]
    public void TwentyPercentRegimeIsCertifiedOnItsFaceAndItsOptimumIsNotUnique()
    {
        (double[] y, bool[] mask) = Draw(0.2, regime: 0);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, D, tolerance: 1e-9);
        CompletionCertificate c = result.Certificate;
        Assert.True(c.Certified, c.ToString());
        Assert.True(c.FacialReductionApplied);

        // The block on rows {6, 12, 17} is observed in full; a 3 x 3 block of a rank-2 Y is singular.
        Assert.Contains(result.Face.SingularBlocks, block => block.SequenceEqual([6, 12, 17]));
        Assert.True(result.Face.ForcedNullDirections >= 1);
        foreach (double[] v in result.Face.ForcedNullVectors)
            Assert.True(FacialReductionTests.Norm(FacialReductionTests.Multiply(result.X, v, D)) <= 1e-12);

        // The solver's own sandwich is tight to the tolerance in the certificate's measure, |P - D| / (1 + |P| + |D|),
        // and an independent solver agrees to its reported digits.
        Assert.True(Math.Abs(c.PrimalObjective - c.FaceDualObjective) <= 1e-9 * (1 + Math.Abs(c.PrimalObjective) + Math.Abs(c.FaceDualObjective)));
        Assert.True(Math.Abs(c.PrimalObjective - IndependentTrace20) <= 1e-6 * IndependentTrace20,
            $"trace {c.PrimalObjective:R}");

        // More than one minimum: the optimal set has positive dimension and the probes spread across it.
        OptimalSetProbe probe = OptimalCompletionSet.Probe(result, functionals: 2);
        Assert.False(probe.SinglePoint);
        Assert.True(probe.Diameter > 1e-3, $"diameter {probe.Diameter:E2}");
        Assert.True(probe.ProbeAccuracy <= 1e-8, $"probe accuracy {probe.ProbeAccuracy:E2}");

        // The distance from Y to the optimal set is certified and at most the distance to the one X returned.
        NearestOptimalCompletion nearest = OptimalCompletionSet.Nearest(result, y);
        double toReturned = Math.Sqrt(result.X.Zip(y, (a, b) => (a - b) * (a - b)).Sum());
        Assert.True(nearest.Distance <= toReturned + 1e-12);
        Assert.True(nearest.Accuracy <= 1e-8 * (1 + nearest.Distance), $"interval width {nearest.Accuracy:E2}");
    }

    [Theory]
    [InlineData(0.25, 1)]
    [InlineData(0.6, 2)]
    public void OtherRegimesAreCertifiedWithAUniqueOptimum(double fraction, int regime)
    {
        (double[] y, bool[] mask) = Draw(fraction, regime);
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, D, tolerance: 1e-9);
        Assert.True(result.Certificate.Certified, result.Certificate.ToString());
        OptimalSetProbe probe = OptimalCompletionSet.Probe(result, functionals: 1);
        Assert.True(probe.SinglePoint);
        Assert.True(probe.Diameter <= 1e-8, $"diameter {probe.Diameter:E2}");
    }
}
