using Engine.Experiments.Context;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Factorized;
using Engine.Kernels.FlowLimit;
using Engine.Kernels.Lasso;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.ImplicitL1;

/// <summary>
/// The slow parts of implicit-l1 (the homework's runs, the a-sweeps, the runs to interpolation) report progress as
/// they go: at the largest sizes each takes minutes, and the QA saw the progress stop at 20 % for 107 s. Reporting
/// must not change a single iterate.
/// </summary>
public class ImplicitL1ProgressTests
{
    private static ImplicitL1Problem Problem() => ImplicitL1Problem.Generate(6, 12, 3, new NormalSampler(41));

    [Theory]
    [InlineData(25_003, 7)]
    [InlineData(30_000, 10)]
    [InlineData(9_999, 10_000)]
    public void A_recorded_run_reports_in_chunks_and_records_what_one_kernel_call_records(int steps, int recordEvery)
    {
        var p = Problem();
        const double a = 1e-2, eta = 1e-2;
        int rows = FactorizedLeastSquaresDescent.RecordRows(steps, recordEvery);

        var shares = new List<double>();
        DescentRun run = FactorizedDescent.Recorded(FactorizedModel.Nonnegative, p, a, eta, steps, recordEvery, shares.Add);
        var x = Enumerable.Repeat(a, p.Cols).ToArray();
        var expected = new double[rows * p.Cols];
        int done = new FactorizedLeastSquaresDescent(p.A, p.Rows, p.Cols, p.Y).Run(x, eta, steps, recordEvery, expected);
        for (int k = 0; k < expected.Length; k++) expected[k] *= expected[k];
        Assert.Equal(done, run.StepsDone);
        Assert.Equal(expected, run.Record);
        Assert.Equal(1, shares.Sum(), 12);
        Assert.Equal((steps + FactorizedDescent.ProgressChunk - 1) / FactorizedDescent.ProgressChunk, shares.Count, tolerance: 1);

        shares.Clear();
        DescentRun signed = FactorizedDescent.Recorded(FactorizedModel.Signed, p, a, eta, steps, recordEvery, shares.Add);
        var u = Enumerable.Repeat(a, p.Cols).ToArray();
        var v = Enumerable.Repeat(a, p.Cols).ToArray();
        var expectedSigned = new double[rows * p.Cols];
        int doneSigned = new DifferenceOfSquaresDescent(p.A, p.Rows, p.Cols, p.Y).Run(u, v, eta, steps, recordEvery, expectedSigned);
        Assert.Equal(doneSigned, signed.StepsDone);
        Assert.Equal(expectedSigned, signed.Record);
        Assert.Equal(1, shares.Sum(), 12);
    }

    [Fact]
    public void A_run_that_diverges_stops_where_one_kernel_call_stops_and_reports_the_rest()
    {
        var p = Problem();
        var shares = new List<double>();
        DescentRun run = FactorizedDescent.Recorded(FactorizedModel.Nonnegative, p, 1e-2, 1e6, 25_000, 7, shares.Add);
        var x = Enumerable.Repeat(1e-2, p.Cols).ToArray();
        int done = new FactorizedLeastSquaresDescent(p.A, p.Rows, p.Cols, p.Y)
            .Run(x, 1e6, 25_000, 7, new double[FactorizedLeastSquaresDescent.RecordRows(25_000, 7) * p.Cols]);
        Assert.True(run.Diverged);
        Assert.Equal(done, run.StepsDone);
        Assert.Equal(1, shares.Sum(), 12);
    }

    [Fact]
    public void A_run_to_interpolation_reports_at_every_check_and_the_rest_when_it_stops()
    {
        var p = Problem();
        var shares = new List<double>();
        DescentRun run = FactorizedDescent.ToInterpolation(FactorizedModel.Nonnegative, p, 1e-1, 1e-2, 2_000_000, 1e-8, checkEvery: 1000, progress: shares.Add);
        Assert.True(run.StepsDone < 2_000_000 && run.StepsDone >= 3000, $"{run.StepsDone} steps");
        Assert.Equal(run.StepsDone / 1000 + 1, shares.Count);
        Assert.Equal(1, shares.Sum(), 12);
    }

    [Fact]
    public void The_a_sweep_reports_each_solve()
    {
        var p = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(2019).Split(1));
        var projection = new EntropicProjection(p.A, p.Rows, p.Cols, p.Y);
        double[] target = Homotopy.Path(LassoProblem.FromRowMajor(p.A, p.Rows, p.Cols, p.Y), positive: true).End;
        double[] scales = Enumerable.Range(0, 21).Select(k => Math.Pow(10, -1 - k)).ToArray();
        var shares = new List<double>();
        var sweep = ScaleSweep.Run(projection, scales, target, 1e-2 * target.Max(), shares.Add);
        // Every scale, then every bisection step between the last miss and the first match.
        Assert.True(sweep.Resolved && !sweep.MatchesAtTop);
        Assert.Equal(scales.Length + 30, shares.Count);
        Assert.Equal(1, shares.Sum(), 12);
        // Without a bisection (every scale matches), its share comes at once.
        shares.Clear();
        ScaleSweep.Run(projection, scales, target, 1e10, shares.Add);
        Assert.Equal(scales.Length + 1, shares.Count);
        Assert.Equal(1, shares.Sum(), 12);
    }

    [Fact]
    public void The_experiment_reports_inside_its_slow_stages_and_the_total_adds_up()
    {
        var settings = new ImplicitL1Settings
        {
            Rows = 6, Cols = 12, Sparsity = 3, Steps = 30_000, RecordEvery = 100, Trials = 2, SweepPointsPerDecade = 1, SweepSmallest = 1e-10,
            ConfirmationScales = [1e-1], StepSizes = [1e-1], StepSizeScale = 1e-1, MaxStepsToInterpolate = 2_000_000,
        };
        var progress = new RecordingProgress();
        ImplicitL1Experiment.Run(new ExperimentContext(3, 2, progress), settings);
        Assert.Equal(4, progress.Total);
        Assert.Equal(progress.Total, progress.Amounts.Sum(), 9);
        // Before, each instance reported six shares and each run to interpolation one.
        Assert.True(progress.Amounts.Count > 2 * 6 + 2 + 20, $"{progress.Amounts.Count} reports");
    }
}
