using Engine.Kernels.Completion;
using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Completion;

/// <summary>The rank partition of a primal-dual pair and the Newton refinement that uses it.</summary>
public class ComplementarityTests
{
    private const int D = 30;

    /// <summary>A random orthogonal r x r matrix: the eigenvectors of a random symmetric one.</summary>
    private static double[] Rotation(int r, ulong seed)
    {
        var sampler = new NormalSampler(seed);
        var a = new double[r * r];
        sampler.Fill(a);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < i; j++) a[j * r + i] = a[i * r + j];
        return SymmetricEigenSolver.Of(a, r).Eigenvectors;
    }

    /// <summary><c>Q diag(d) Q^T</c>.</summary>
    private static double[] Rotated(double[] q, double[] d)
    {
        int r = d.Length;
        var m = new double[r * r];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
            {
                double sum = 0;
                for (int t = 0; t < r; t++) sum += q[i * r + t] * d[t] * q[j * r + t];
                m[i * r + j] = sum;
            }
        return m;
    }

    /// <summary>
    /// Asserts that the eigenvectors of S numbered <paramref name="columns"/> span the same subspace as the columns
    /// <paramref name="expected"/> of Q (compared by their orthogonal projectors, since equal eigenvalues leave the
    /// vectors themselves free within it).
    /// </summary>
    private static void AssertSpans(ComplementarityPartition partition, int[] columns, double[] q, int[] expected)
    {
        int r = partition.R;
        Assert.Equal(expected.Length, columns.Length);
        double difference2 = 0;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
            {
                double found = 0, wanted = 0;
                foreach (int t in columns) found += partition.Vectors[i * r + t] * partition.Vectors[j * r + t];
                foreach (int p in expected) wanted += q[i * r + p] * q[j * r + p];
                difference2 += (found - wanted) * (found - wanted);
            }
        Assert.True(Math.Sqrt(difference2) <= 1e-8, $"projectors differ by {Math.Sqrt(difference2):E2}");
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void AStrictlyComplementaryPairIsSplitWhereItsRatiosJump(ulong seed)
    {
        // Z and S share eigenvectors; along each, z s = 1e-11 (an interior-point pair near the end), with z from 1
        // down to 1e-4 on the range and s from 1e-1 up on the rest: every ratio is at least 1e3 away from one.
        double[] q = Rotation(6, seed);
        double[] z = [1, 0.3, 1e-4, 1e-10, 1e-11, 1e-11];
        double[] s = new double[6];
        for (int t = 0; t < 6; t++) s[t] = 1e-11 / z[t];
        ComplementarityPartition partition = ComplementarityPartition.Of(Rotated(q, z), Rotated(q, s), 6, 1e-12);
        Assert.True(partition.Decided);
        AssertSpans(partition, partition.Range, q, [0, 1, 2]);
        AssertSpans(partition, partition.SlackRange, q, [3, 4, 5]);
        Assert.Equal(3, partition.IndicatorCount);
        Assert.True(partition.Separation >= 500, $"separation {partition.Separation:E2}");
    }

    [Theory]
    [InlineData(1e-6, 1e-6)]    // both at sqrt(mu): strict complementarity failing, seen from an interior point
    [InlineData(3e-6, 1e-6)]    // within the margin of one either way
    [InlineData(1e-18, 1e-17)]  // both at rounding level: two zeros are not compared
    public void ADirectionWhereZAndSAreAlikeIsUndecided(double zt, double st)
    {
        double[] q = Rotation(4, 7);
        double[] z = [1, 0.5, zt, 0];
        double[] s = [0, 0, st, 2];
        ComplementarityPartition partition = ComplementarityPartition.Of(Rotated(q, z), Rotated(q, s), 4, 1e-15);
        Assert.False(partition.Decided);
        AssertSpans(partition, partition.Undecided, q, [2]);
        AssertSpans(partition, partition.Range, q, [0, 1]);
        AssertSpans(partition, partition.SlackRange, q, [3]);
    }

    [Fact]
    public void TheRefinementTakesTheTwentyPercentInstanceFromTheInteriorPointStallToRoundingLevel()
    {
        // The interior-point method stalls near 1e-10 on this instance (the optimal Z has eigenvalues down to 6e-5
        // and the optimal set has dimension 11), and the factored polish does not improve on it.
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(0.2, 0);
        var problem = new CompletionProblem(y, mask, D);
        CompletionFace face = FacialReduction.Reduce(problem);
        FaceConstraints constraints = MinimumTraceCompletion.Independent(problem, face);
        int r = face.Dimension;
        var cost = new double[r * r];
        for (int i = 0; i < r; i++) cost[i * r + i] = 1;
        InteriorPointSolution ip = InteriorPointSdp.Solve(constraints, cost, 1e-13, 200);
        double start = FaceSdp.Measure(constraints, cost, ip.Z, ip.Y);
        Assert.True(start > 1e-11, $"the interior-point pair already measures {start:E2}");

        int q = ComplementarityPartition.Of(ip.Z, ip.S, r, start).IndicatorCount;
        (double[] z, double[] multipliers) = ComplementarityRefinement.Refine(constraints, cost, ip.Z, ip.Y, q)
            ?? throw new InvalidOperationException("no step was accepted");
        double refined = FaceSdp.Measure(constraints, cost, z, multipliers);
        Assert.True(refined <= 1e-14, $"refined pair measures {refined:E2}");

        // The optimality conditions themselves: Z is PSD of rank q, the slack PSD, and they annihilate each other.
        var slack = new double[r * r];
        constraints.ApplyTranspose(multipliers, slack);
        for (int k = 0; k < r * r; k++) slack[k] = cost[k] - slack[k];
        double[] zEigenvalues = SymmetricEigenSolver.Of(z, r).Eigenvalues;
        Assert.Equal(q, zEigenvalues.Count(v => v > 1e-8));
        double complementarity = 0;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
            {
                double product = 0;
                for (int k = 0; k < r; k++) product += z[i * r + k] * slack[k * r + j];
                complementarity = Math.Max(complementarity, Math.Abs(product));
            }
        Assert.True(complementarity <= 1e-13, $"max |Z S| = {complementarity:E2}");

        // And the solver uses it: the certificate of the full solve is at rounding level too.
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, D, tolerance: 1e-9);
        Assert.True(result.Certificate.WorstRelativeMeasure <= 1e-13, result.Certificate.ToString());
    }
}
