using Engine.Kernels.Completion;

namespace Engine.Tests.Kernels.Completion;

public class CompletionIterationTests
{
    private const int D = 30;

    [Fact]
    public void TheInteriorPointAndTheRefinementReportEveryIterationAndChangeNothing()
    {
        // The 20 % instance of the experiment: the interior-point method stalls near 1e-10 there and the refinement
        // takes the pair to rounding level (see ComplementarityTests), so both solvers run.
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(0.2, 0);
        var seen = new List<CompletionIteration>();
        var options = new CompletionOptions { Tolerance = 1e-9 };
        CompletionResult reported = MinimumTraceCompletion.Solve(new CompletionProblem(y, mask, D), options with { OnIteration = seen.Add });
        CompletionResult silent = MinimumTraceCompletion.Solve(new CompletionProblem(y, mask, D), options);
        Assert.Equal(silent.X, reported.X);
        Assert.Equal(silent.Lambda, reported.Lambda);

        var interior = seen.Where(i => i.Stage == CompletionStage.InteriorPoint).ToList();
        Assert.True(interior.Count > 1, $"{interior.Count} interior-point iterations reported");
        // One report per iterate, the starting point included, and the best measure never rises.
        Assert.Equal(Enumerable.Range(0, interior.Count), interior.Select(i => i.Iteration));
        // An iteration that stops midway (its step too short, a factorization failed) counts but measures no new iterate.
        Assert.InRange(interior[^1].Iteration, reported.Certificate.Iterations - 1, reported.Certificate.Iterations);
        Assert.All(interior, i => Assert.Equal(options.MaxIterations, i.MaxIterations));
        Assert.All(interior, i => Assert.Equal(options.Tolerance / 100, i.Target));
        for (int k = 1; k < interior.Count; k++) Assert.True(interior[k].Measure <= interior[k - 1].Measure);

        var refinement = seen.Where(i => i.Stage == CompletionStage.Refinement).ToList();
        Assert.NotEmpty(refinement);
        Assert.Equal(1, refinement[0].Iteration);
        Assert.All(refinement, i => Assert.InRange(i.Iteration, 1, i.MaxIterations));
        // The interior-point method finishes before the refinement starts, and ADMM does not run.
        int lastInterior = seen.FindLastIndex(i => i.Stage == CompletionStage.InteriorPoint);
        Assert.True(lastInterior < seen.FindIndex(i => i.Stage == CompletionStage.Refinement));
        Assert.DoesNotContain(seen, i => i.Stage == CompletionStage.Admm);
    }

    [Fact]
    public void AdmmReportsEveryIteration()
    {
        (double[] y, bool[] mask) = ExperimentInstanceTests.Draw(0.6, 2);
        var seen = new List<CompletionIteration>();
        var options = new CompletionOptions { Tolerance = 1e-6, AdmmMaxIterations = 300, MaxInteriorPointPairs = 0 };
        CompletionResult result = MinimumTraceCompletion.Solve(new CompletionProblem(y, mask, D), options with { OnIteration = seen.Add });
        Assert.Equal(CompletionMethod.Admm, result.Certificate.Method);
        Assert.True(seen.Count > 1, $"{seen.Count} ADMM iterations reported");
        Assert.All(seen, i => Assert.Equal(CompletionStage.Admm, i.Stage));
        Assert.Equal(Enumerable.Range(1, result.Certificate.Iterations), seen.Select(i => i.Iteration));
        Assert.All(seen, i => Assert.Equal(300, i.MaxIterations));
    }
}
