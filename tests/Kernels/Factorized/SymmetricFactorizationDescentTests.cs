using Engine.Experiments.MatrixCompletion;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Factorized;

public class SymmetricFactorizationDescentTests
{
    private static SymmetricFactorizationDescent Descent(CompletionInstance instance) => new(instance.Y, instance.Observed, instance.D);

    [Fact]
    public void GradientDescentOnAFullyObservedInstanceReachesY()
    {
        const int d = 5;
        var instance = CompletionInstance.Draw(d, 2, 1.0, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        SymmetricFactorizationRun run = Descent(instance).Run(u0, alpha: 1e-3, eta: 0.1, maxSteps: 20_000, tolerance: 1e-13);
        Assert.Equal(DescentOutcome.Converged, run.Outcome);
        Assert.True(MatrixDistance.Relative(run.X, instance.Y) < 1e-5, $"distance {MatrixDistance.Relative(run.X, instance.Y):E2}");
    }

    [Fact]
    public void GradientDescentStepsAllocateNothing()
    {
        const int d = 9;
        var instance = CompletionInstance.Draw(d, 2, 0.5, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        var gd = Descent(instance);
        gd.Run(u0, 1e-3, 0.05, 50, 0); // warm up the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        gd.Run(u0, 1e-3, 0.05, 10, 0);
        long few = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        gd.Run(u0, 1e-3, 0.05, 2000, 0);
        long many = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(few, many);
    }

    [Fact]
    public void TooLargeAStepIsReportedAsDivergence()
    {
        const int d = 5;
        var instance = CompletionInstance.Draw(d, 2, 1.0, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        SymmetricFactorizationRun run = Descent(instance).Run(u0, alpha: 1, eta: 50, maxSteps: 1000, tolerance: 1e-12);
        Assert.Equal(DescentOutcome.Diverged, run.Outcome);
    }

    [Fact]
    public void StepBudgetIsReportedWhenExhausted()
    {
        const int d = 5;
        var instance = CompletionInstance.Draw(d, 2, 0.5, new NormalSampler(8));
        double[] u0 = MatrixCompletionExperiment.UnitFrobeniusGaussian(d, new NormalSampler(9));
        SymmetricFactorizationRun run = Descent(instance).Run(u0, alpha: 1e-3, eta: 1e-3, maxSteps: 7, tolerance: 1e-12);
        Assert.Equal(DescentOutcome.BudgetExhausted, run.Outcome);
        Assert.Equal(7, run.Steps);
    }
}
