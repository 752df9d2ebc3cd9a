using Engine.Experiments.LassoPath;

namespace Engine.Tests.Experiments.LassoPath;

public class LassoPathExperimentTests
{
    [Fact]
    public void Convergence_counts_gaps_above_tolerance_or_not_finite_and_skips_only_alpha_zero()
    {
        var w = new double[1];
        var path = new Engine.Kernels.Lasso.LassoPath([4, 3, 2, 1, 0], [w, w, w, w, w], [1e-9, double.NaN, 0.5, 1e-8, 7], [1, 1, 1, 1, 1], false);
        var (largest, notConverged) = LassoPathExperiment.Convergence(path, 1e-6);
        Assert.Equal(2, notConverged);
        Assert.True(double.IsNaN(largest));
        var (finiteLargest, none) = LassoPathExperiment.Convergence(path with { DualityGaps = [1e-9, 1e-7, 2e-8, 1e-8, 7] }, 1e-6);
        Assert.Equal(0, none);
        Assert.Equal(1e-7, finiteLargest);
    }
}
