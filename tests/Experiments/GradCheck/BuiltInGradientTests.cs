using Engine.Experiments;
using Engine.Experiments.Context;
using Engine.Experiments.GradCheck;
using Engine.Kernels.Calculus;
using Engine.Kernels.Random;
using Engine.Tests.Kernels;

namespace Engine.Tests.Experiments.GradCheck;

/// <summary>
/// Every hand-written gradient that <c>engine gradcheck</c> checks passes <see cref="GradientCheck"/> on 200 random
/// instances at every SIMD width, and fails when one entry carries a relative error of 1e-4.
/// </summary>
public class BuiltInGradientTests
{
    private const int Seeds = 200;

    public static TheoryData<string> Checks => new(GradientChecks.All.Select(c => c.Name));

    private static IGradientCheck Named(string name) => GradientChecks.All.Single(c => c.Name == name);

    // Instances of these tests come from a stream of their own, apart from the command's.
    private static NormalSampler Instance(ulong seed) => new(seed, 0x6AD);

    [Theory]
    [MemberData(nameof(Checks))]
    public void PassesOnEveryInstanceAtEveryWidth(string name)
    {
        IGradientCheck check = Named(name);
        KernelCases.AtEveryWidth(width =>
        {
            for (ulong seed = 0; seed < Seeds; seed++)
                foreach (GradientBlock block in check.Draw(Instance(seed)))
                {
                    DerivativeCheckResult result = block.Check();
                    Assert.True(result.Passed, $"{name}, block {block.Name}, seed {seed}, {width}\n{result}");
                    Assert.Equal(block.Point.Length, result.CoordinateRows.Count);
                    Assert.Equal(8, result.DirectionRows.Count);
                }
        });
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void OneEntryOffByOneInTenThousandFailsOnEveryInstance(string name)
    {
        IGradientCheck check = Named(name);
        for (ulong seed = 0; seed < Seeds; seed++)
            foreach (GradientBlock block in check.Draw(Instance(seed)))
            {
                // A random entry among those at least 1e-3 of the block's largest: smaller ones are below what
                // differences of this objective resolve at 1e-4 relative, for any step.
                double largest = block.Gradient.Max(Math.Abs);
                if (largest == 0) continue;
                int[] eligible = Enumerable.Range(0, block.Gradient.Length).Where(i => Math.Abs(block.Gradient[i]) >= 1e-3 * largest).ToArray();
                int j = eligible[new NormalSampler(seed, 5).NextInt(eligible.Length)];
                double[] wrong = (double[])block.Gradient.Clone();
                wrong[j] *= 1 + 1e-4;
                DerivativeCheckResult result = block.Check(wrong);
                Assert.False(result.Passed, $"{name}, block {block.Name}, seed {seed}, entry {j}\n{result}");
                Assert.False(result.CoordinateRows.Single(r => r.Index == j).Passed);
            }
    }

    [Fact]
    public void EveryHandWrittenGradientIsRegistered() =>
        Assert.Equal(
            [typeof(Engine.Experiments.Overparam.ShallowReluGradientCheck), typeof(Engine.Experiments.MinNorm.LeastSquaresGradientCheck),
             typeof(Engine.Experiments.ImplicitL1.FactorizedGradientCheck), typeof(Engine.Experiments.MatrixCompletion.MatrixCompletionGradientCheck)],
            GradientChecks.All.Select(c => c.GetType()));

    [Fact]
    public void EveryBlockOfTheCommandAtItsDefaultSeedPasses()
    {
        IReadOnlyList<GradientBlockResult> results = GradCheckExperiment.Run(new ExperimentContext(2019, 1), trials: 3);
        Assert.Equal(3 * GradientChecks.All.Sum(c => c.Draw(new NormalSampler(1)).Count), results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Gradient} {r.Block} trial {r.Trial}\n{r.Result}"));
    }

    [Fact]
    public void TheCheckedPointIsRestoredBitForBit()
    {
        foreach (IGradientCheck check in GradientChecks.All)
            foreach (GradientBlock block in check.Draw(Instance(3)))
            {
                double[] before = (double[])block.Point.Clone();
                block.Check();
                Assert.Equal(before, block.Point);
            }
    }
}
