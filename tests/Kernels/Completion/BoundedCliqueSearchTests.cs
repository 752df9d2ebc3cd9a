using Engine.Kernels.Completion;
using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Completion;

/// <summary>
/// Facial reduction on dense observation patterns, whose maximal cliques can not all be listed: the search stops once
/// its directions saturate the bound, or at its work limit, and says which; the components stay in bounded memory.
/// </summary>
public class BoundedCliqueSearchTests
{
    /// <summary>Y = W W^T (W n x rank, Gaussian) with each pair {i, j}, i &lt;= j, observed with probability <paramref name="fraction"/>.</summary>
    private static CompletionProblem Dense(int n, int rank, double fraction, ulong seed)
    {
        var sampler = new NormalSampler(seed);
        var w = new double[n * rank];
        sampler.Fill(w);
        var y = new double[n * n];
        var mask = new bool[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = 0; k < rank; k++) sum += w[i * rank + k] * w[j * rank + k];
                y[i * n + j] = y[j * n + i] = sum;
                mask[i * n + j] = mask[j * n + i] = sampler.NextDouble() < fraction;
            }
        return new CompletionProblem(y, mask, n);
    }

    private static int KnownDiagonal(CompletionProblem problem) =>
        Enumerable.Range(0, problem.N).Count(i => problem.Observed[i * problem.N + i]);

    /// <summary>The largest <c>||Y v|| / ||Y||_F</c> over the forced vectors: every one must be a null vector of Y.</summary>
    private static double WorstNullResidual(CompletionProblem problem, CompletionFace face)
    {
        int n = problem.N;
        double scale = SquareMatrix.FrobeniusNorm(problem.Y), worst = 0;
        foreach (double[] v in face.ForcedNullVectors)
            worst = Math.Max(worst, SquareMatrix.FrobeniusNorm(FacialReductionTests.Multiply(problem.Y.ToArray(), v, n)) / scale);
        return worst;
    }

    [Fact]
    public void ADensePatternStopsOnceItsDirectionsReachTheBound()
    {
        // At D = 100 with 95 % observed the known graph has about 10^9 maximal cliques: listing them all never ends.
        CompletionProblem problem = Dense(100, 2, 0.95, seed: 7);
        CompletionFace face = FacialReduction.Reduce(problem);

        Assert.Equal(SingularBlockSearch.Saturated, face.Search);
        // The bound: the rows with a known diagonal less the rank of the blocks, all forced.
        Assert.Equal(KnownDiagonal(problem) - 2, face.ForcedNullDirections);
        Assert.True(WorstNullResidual(problem, face) < 1e-10);
        Assert.NotEmpty(face.ObservedSingularBlocks);
    }

    [Fact]
    public void ASaturatedSearchFindsTheFaceOfTheCompleteOne()
    {
        CompletionProblem problem = Dense(40, 2, 0.7, seed: 3);
        CompletionFace complete = FacialReduction.Reduce(problem);
        Assert.Equal(SingularBlockSearch.Complete, complete.Search);

        // The same problem with the cover and the folding of the components forced from the first clique on.
        CompletionFace early = FacialReduction.Reduce(problem, FacialReduction.DefaultRankTolerance,
            new FacialReduction.SearchLimits(Work: 2e10, CoverAfter: 0, CompressAbove: 40));
        Assert.Equal(SingularBlockSearch.Saturated, early.Search);
        Assert.Equal(complete.ForcedNullDirections, early.ForcedNullDirections);
        Assert.True(early.SingularBlocks.Count < complete.SingularBlocks.Count);
        // Same face: the projectors onto the two bases agree.
        int n = problem.N, r = complete.Dimension;
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double a = 0, b = 0;
                for (int k = 0; k < r; k++)
                {
                    a += complete.Basis[i * r + k] * complete.Basis[j * r + k];
                    b += early.Basis[i * r + k] * early.Basis[j * r + k];
                }
                worst = Math.Max(worst, Math.Abs(a - b));
            }
        Assert.True(worst < 1e-9, $"projectors differ by {worst:E2}");
    }

    [Fact]
    public void AWorkLimitStopsTheSearchAndSaysSo()
    {
        // Full rank: no block is singular, so nothing can saturate the bound and only the work limit stops the search.
        CompletionProblem problem = Dense(60, 60, 0.9, seed: 11);
        CompletionFace face = FacialReduction.Reduce(problem, FacialReduction.DefaultRankTolerance,
            new FacialReduction.SearchLimits(Work: 1e6, CoverAfter: 1e8, CompressAbove: 1 << 22));
        Assert.Equal(SingularBlockSearch.Truncated, face.Search);
        Assert.False(face.SlaterFailed);

        // A small pattern lists all its cliques well within the limit.
        Assert.Equal(SingularBlockSearch.Complete, FacialReduction.Reduce(Dense(12, 12, 0.9, seed: 11)).Search);
    }

    [Fact]
    public void AnOptimalFaceTooLargeToDescribeIsRefusedBeforeItsQr()
    {
        CompletionProblem problem = Dense(12, 2, 0.6, seed: 5);
        CompletionResult result = MinimumTraceCompletion.Solve(problem, new CompletionOptions { Tolerance = 1e-9 });
        Assert.True(result.Certificate.Certified);
        var error = Assert.Throws<OptimalSetTooLargeException>(() => OptimalFace.Of(result, maxConstraintNumbers: 1));
        Assert.Equal(problem.Pairs.Count, error.Constraints);
        Assert.Contains(" observations as constraints would hold ", error.Message);
        // Within the limit the same face is found, once, and every question about the set shares it.
        Assert.Same(result.OptimalFace, result.OptimalFace);
        Assert.Equal(result.OptimalFace.Q, OptimalFace.Of(result).Q);
    }

    [Fact]
    public void TheEnumerationStopsWhenAskedOrWhenItsWorkIsSpent()
    {
        // Two triangles sharing the edge {1, 2}, a pendant vertex 4 on 3, and an isolated vertex 5.
        int[][] edges = [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [3, 4]];
        bool Adjacent(int i, int j) => edges.Any(e => (e[0] == i && e[1] == j) || (e[0] == j && e[1] == i));
        var seen = new List<int[]>();
        bool complete = MaximalCliques.Enumerate(6, _ => true, Adjacent, c =>
        {
            seen.Add(c);
            return seen.Count < 2;
        }, new WorkBudget(double.PositiveInfinity));
        Assert.False(complete);
        Assert.Equal(2, seen.Count);
        Assert.Equal(MaximalCliques.Find(6, _ => true, Adjacent).Take(2).Select(c => string.Join(",", c)), seen.Select(c => string.Join(",", c)));

        Assert.True(MaximalCliques.Enumerate(6, _ => true, Adjacent, _ => true, new WorkBudget(1e6)));
        Assert.False(MaximalCliques.Enumerate(6, _ => true, Adjacent, _ => true, new WorkBudget(40)));
    }

    [Fact]
    public void AGrownCliqueIsMaximalAndTakesThePreferredRowsFirst()
    {
        // Vertex 0 lies in the triangles {0, 1, 2} and {0, 3, 4}; preferring 3 grows the second.
        int[][] edges = [[0, 1], [0, 2], [1, 2], [0, 3], [0, 4], [3, 4]];
        bool Adjacent(int i, int j) => edges.Any(e => (e[0] == i && e[1] == j) || (e[0] == j && e[1] == i));
        var budget = new WorkBudget(double.PositiveInfinity);
        var graph = new MaximalCliques.Graph(5, _ => true, Adjacent, budget);
        Assert.Equal([0, 1, 2], graph.Grow(0, [], budget));
        Assert.Equal([0, 3, 4], graph.Grow(0, [3], budget));
    }

    [Fact]
    public void FoldedComponentsKeepTheirGramMatrix()
    {
        const int r = 7, m = 50;
        var sampler = new NormalSampler(5);
        var basis = new double[r * r];
        for (int i = 0; i < r; i++) basis[i * r + i] = 1;
        var raw = new ForcedComponents(r, compressAbove: int.MaxValue);
        var folded = new ForcedComponents(r, compressAbove: 3 * r);
        var columns = new double[m][];
        for (int t = 0; t < m; t++)
        {
            // Rank 4: every column lies in the span of the first four coordinates' mixtures.
            var v = new double[r];
            for (int k = 0; k < 4; k++)
            {
                double c = sampler.NextNormal();
                for (int i = 0; i < r; i++) v[i] += c * Math.Sin((k + 1) * (i + 1));
            }
            columns[t] = v;
            raw.Add(v, basis, r);
            folded.Add(v, basis, r);
            if (folded.Full) folded.Compress(new WorkBudget(double.PositiveInfinity));
        }
        Assert.True(folded.Compressed);
        Assert.False(raw.Compressed);

        // Unfolded, the QR is that of the columns as they came.
        PivotedQr direct = PivotedQr.Factor(columns.SelectMany(c => c).ToArray(), r, m);
        PivotedQr viaRaw = raw.Factor();
        for (int k = 0; k < r; k++) Assert.Equal(direct.PivotMagnitude(k), viaRaw.PivotMagnitude(k));

        // Folded, the Gram matrix A A^T (so the span and the singular values) survives to rounding, and so does the rank.
        var gram = new double[r * r];
        foreach (double[] v in columns)
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++) gram[i * r + j] += v[i] * v[j];
        double[] held = folded.Gram();
        double scale = gram.Max(Math.Abs);
        for (int k = 0; k < r * r; k++) Assert.True(Math.Abs(held[k] - gram[k]) < 1e-12 * scale, $"Gram entry {k}: {held[k]} vs {gram[k]}");
        Assert.Equal(4, folded.RankAbove(1e-8 * Math.Sqrt(scale), new WorkBudget(double.PositiveInfinity)));
        Assert.Equal(4, raw.RankAbove(1e-8 * Math.Sqrt(scale), new WorkBudget(double.PositiveInfinity)));
    }
}
