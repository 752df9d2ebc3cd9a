using Engine.Kernels.Completion;

namespace Engine.Tests.Kernels.Completion;

public class FacialReductionTests
{
    /// <summary>
    /// Y_CC = w1 w1^T + w2 w2^T on C = {0, 1, 2} is observed in full and is singular with null vector w1 x w2, so no
    /// feasible X is positive definite. Vertices 3 and 4 hang off it by one observed entry each (X_03 = a,
    /// X_14 = b, diagonals unobserved) and vertex 5 is unobserved. The 2 x 2 minors give X_33 &gt;= a^2 / Y_00 and
    /// X_44 &gt;= b^2 / Y_11, and the Gram matrix of (e_0, e_1, e_2, (a / Y_00) e_0, (b / Y_11) e_1) under Y_CC attains
    /// both, so the minimum trace is trace(Y_CC) + a^2 / Y_00 + b^2 / Y_11 and that Gram matrix is the unique optimum.
    /// </summary>
    private static (double[] Y, bool[] Mask, double[] Expected, double[] NullVector) HangingBlock()
    {
        const int n = 6;
        double[] w1 = [0.9, -0.4, 0.3], w2 = [0.2, 0.7, -0.5];
        const double a = 0.35, b = -0.6;
        var y = new double[n * n];
        var mask = new bool[n * n];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                y[i * n + j] = w1[i] * w1[j] + w2[i] * w2[j];
                mask[i * n + j] = true;
            }
        y[0 * n + 3] = y[3 * n + 0] = a;
        y[1 * n + 4] = y[4 * n + 1] = b;
        mask[0 * n + 3] = mask[3 * n + 0] = mask[1 * n + 4] = mask[4 * n + 1] = true;

        // F maps the Gram vectors: columns 0..2 are e_0..e_2, column 3 is (a / Y_00) e_0, column 4 is (b / Y_11) e_1.
        var f = new double[3 * n];
        for (int i = 0; i < 3; i++) f[i * n + i] = 1;
        f[0 * n + 3] = a / y[0];
        f[1 * n + 4] = b / y[1 * n + 1];
        var expected = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < 3; p++)
                    for (int q = 0; q < 3; q++) sum += f[p * n + i] * y[p * n + q] * f[q * n + j];
                expected[i * n + j] = sum;
            }
        double[] cross = [w1[1] * w2[2] - w1[2] * w2[1], w1[2] * w2[0] - w1[0] * w2[2], w1[0] * w2[1] - w1[1] * w2[0]];
        double norm = Math.Sqrt(cross.Sum(c => c * c));
        var nullVector = new double[n];
        for (int i = 0; i < 3; i++) nullVector[i] = cross[i] / norm;
        return (y, mask, expected, nullVector);
    }

    [Fact]
    public void ASingularObservedBlockForcesItsNullVectorAndTheSolverCertifiesOnTheFace()
    {
        const int n = 6;
        (double[] y, bool[] mask, double[] expected, double[] nullVector) = HangingBlock();
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, tolerance: 1e-10);

        CompletionFace face = result.Face;
        Assert.True(face.SlaterFailed);
        Assert.Equal(1, face.ForcedNullDirections);
        Assert.Equal(1, face.ObservedBlockDirections);
        Assert.Equal(n - 1, face.Dimension);
        Assert.Contains(face.SingularBlocks, block => block.SequenceEqual([0, 1, 2]));
        double overlap = Math.Abs(Dot(face.ForcedNullVectors[0], nullVector));
        Assert.True(Math.Abs(overlap - 1) < 1e-12, $"forced vector is not the block's null vector: |<v, w1 x w2>| = {overlap}");

        CompletionCertificate c = result.Certificate;
        Assert.True(c.Certified, $"not certified: {c}");
        Assert.True(c.FacialReductionApplied);
        Assert.Equal(1, c.ForcedNullDirections);
        Assert.True(Norm(Multiply(result.X, nullVector, n)) <= 1e-12, "X does not annihilate the forced vector");

        double trace = y[0] + y[1 * n + 1] + y[2 * n + 2] + 0.35 * 0.35 / y[0] + 0.6 * 0.6 / y[1 * n + 1];
        Assert.True(Math.Abs(c.PrimalObjective - trace) <= 1e-10 * trace, $"trace {c.PrimalObjective:R}, analytic {trace:R}");
        Assert.True(MaxAbsDifference(result.X, expected) <= 1e-9, $"max |X - analytic| = {MaxAbsDifference(result.X, expected):E2}");

        // The full-space dual point is feasible whatever happens, and its bound can not beat the true minimum.
        Assert.True(c.FullSpaceDualInfeasibility <= 1e-12);
        Assert.True(c.DualObjective <= trace + 1e-12);
    }

    [Fact]
    public void EntriesDeterminedOnTheFaceExposeASecondRound()
    {
        // Rank-2 Y; the blocks {0, 1, 2} and {0, 1, 3} are observed in full (one null vector each). On the face they
        // leave, X_23 is determined, which completes the block {2, 3, 4} (with the observed (2, 4), (3, 4), (4, 4)):
        // it is singular too and its null vector involves vertex 4, which no observed block reaches. (With X_23 known
        // the determined entries in fact complete all of {0, ..., 4}; that block is the one reported.)
        const int n = 6;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 2, seed: 21);
        var mask = new bool[n * n];
        void Observe(int i, int j) => mask[i * n + j] = mask[j * n + i] = true;
        foreach (int[] block in new[] { new[] { 0, 1, 2 }, new[] { 0, 1, 3 } })
            foreach (int i in block)
                foreach (int j in block) Observe(i, j);
        Observe(2, 4);
        Observe(3, 4);
        Observe(4, 4);

        CompletionFace face = FacialReduction.Reduce(new CompletionProblem(y, mask, n));
        Assert.Equal(2, face.Rounds);
        Assert.Equal(3, face.ForcedNullDirections);
        // The two observed blocks force two directions (one null vector each); the determined block the third.
        Assert.Equal(2, face.ObservedBlockDirections);
        Assert.True(face.DeterminedEntries >= 1);
        Assert.Contains(face.SingularBlocks, block => block.Contains(4) && block.Contains(2) && block.Contains(3));
        // Only the two blocks observed in full count as observed: the one through vertex 4 needs the determined X_23.
        Assert.Equal([[0, 1, 2], [0, 1, 3]], face.ObservedSingularBlocks.OrderBy(b => b[2]));
        Assert.DoesNotContain(face.ObservedSingularBlocks, block => block.Contains(4));
        Assert.Contains(face.ForcedNullVectors, v => Math.Abs(v[4]) > 1e-3);

        // The rank-2 Gram vectors of rows 0..4 are pinned by the observations, so X equals Y there and vanishes on
        // the unobserved row 5: the minimum trace is Y_00 + ... + Y_44.
        CompletionResult result = MinimumTraceCompletion.Solve(y, mask, n, tolerance: 1e-10);
        Assert.True(result.Certificate.Certified, $"not certified: {result.Certificate}");
        double trace = 0;
        for (int i = 0; i < 5; i++) trace += y[i * n + i];
        Assert.True(Math.Abs(result.Certificate.PrimalObjective - trace) <= 1e-10 * trace);
        foreach (double[] v in face.ForcedNullVectors)
            Assert.True(Norm(Multiply(result.X, v, n)) <= 1e-12);
    }

    [Fact]
    public void NoSingularBlockMeansNoReduction()
    {
        // Only the diagonal and a path of off-diagonal entries: every clique is an edge or a vertex with a positive
        // definite block, so nothing is forced.
        const int n = 7;
        double[] y = MinimumTraceCompletionTests.LowRankPsd(n, 3, seed: 22);
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++) mask[i * n + i] = true;
        for (int i = 0; i + 1 < n; i++) mask[i * n + i + 1] = mask[(i + 1) * n + i] = true;
        CompletionFace face = FacialReduction.Reduce(new CompletionProblem(y, mask, n));
        Assert.False(face.SlaterFailed);
        Assert.Equal(n, face.Dimension);
        Assert.Empty(face.SingularBlocks);
    }

    [Fact]
    public void AnObservedBlockThatIsNotPsdIsRejected()
    {
        double[] y = [1, 2, 2, 1];
        bool[] mask = [true, true, true, true];
        var error = Assert.Throws<ArgumentException>(() => FacialReduction.Reduce(new CompletionProblem(y, mask, 2)));
        Assert.Contains("not positive semidefinite", error.Message);
    }

    [Fact]
    public void MaximalCliquesAreFoundExactly()
    {
        // Two triangles sharing the edge {1, 2}, a pendant vertex 4 on 3, and an isolated vertex 5.
        int[][] edges = [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [3, 4]];
        bool Adjacent(int i, int j) => edges.Any(e => (e[0] == i && e[1] == j) || (e[0] == j && e[1] == i));
        List<int[]> cliques = MaximalCliques.Find(6, _ => true, Adjacent);
        string[] found = cliques.Select(c => string.Join(",", c)).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "0,1,2", "1,2,3", "3,4", "5" }, found);
        Assert.Empty(MaximalCliques.Find(4, _ => false, (_, _) => true));
    }

    internal static double[] Multiply(double[] x, double[] v, int n)
    {
        var result = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) result[i] += x[i * n + j] * v[j];
        return result;
    }

    internal static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    internal static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    internal static double MaxAbsDifference(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();
}
