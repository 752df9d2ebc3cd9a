using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Engine.Experiments.Overparam;
using Engine.Kernels.Random;

namespace Engine.Bench.Training;

/// <summary>
/// Training throughput of problem 2's SGD at the homework's sizes (D = 150, n = 10, r0 = 60, m = 10) for each
/// width r of (d). <c>Step</c> is one SGD step on a fixed mini-batch (the kernels alone: five GEMMs, ReLU forward
/// and backward, the residual); <c>StepWithFreshBatch</c> also draws the batch from the planted network, as
/// training does. Columns give samples per second and GFLOP/s of the step's counted flops
/// (<see cref="SgdStep.FlopsPerStep"/>) with the fraction of <see cref="PeakGflops"/>.
/// </summary>
[Config(typeof(Columns))]
public class TrainingThroughputBenchmark
{
    /// <summary>
    /// The single-core FMA peak assumed for the fraction column: 2 AVX-512 FMA ports x 16 floats x 2 flops per
    /// cycle at about 3.3 GHz. Override with ENGINE_PEAK_GFLOPS when the machine differs.
    /// </summary>
    public static double PeakGflops =>
        double.TryParse(Environment.GetEnvironmentVariable("ENGINE_PEAK_GFLOPS"), System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : 210;

    private const int StepsPerInvoke = 100;
    private const int D = 150, N = 10, R0 = 60, M = 10;

    [Params(60, 120, 240, 480)]
    public int R { get; set; }

    private SgdStep _step = null!;
    private PlantedStream _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = new NormalSampler(2019);
        var planted = PlantedNetwork.Draw(root.Split(0), D, R0, N);
        _stream = new PlantedStream(planted, root.Split(1), M);
        _stream.Next();
        _step = new SgdStep(ShallowReluNetwork.Initialize(root.Split(2), D, R, N), M);
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double Step()
    {
        double sum = 0;
        // A small step keeps the weights bounded while the same batch is reused.
        for (int i = 0; i < StepsPerInvoke; i++) sum += _step.Apply(_stream.X, _stream.Y, 1e-4f);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double StepWithFreshBatch()
    {
        double sum = 0;
        for (int i = 0; i < StepsPerInvoke; i++)
        {
            _stream.Next();
            sum += _step.Apply(_stream.X, _stream.Y, 1e-4f);
        }
        return sum;
    }

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new DerivedColumn("Samples/s", (r, ns) => (M / (ns * 1e-9)).ToString("N0")));
            AddColumn(new DerivedColumn("GFLOP/s", (r, ns) => (SgdStep.FlopsPerStep(M, D, r, N) / ns).ToString("F1")));
            AddColumn(new DerivedColumn("% of peak", (r, ns) => (100 * SgdStep.FlopsPerStep(M, D, r, N) / ns / PeakGflops).ToString("F0")));
        }
    }

    /// <summary>A column computed from the width r and the mean time per step in nanoseconds.</summary>
    private sealed class DerivedColumn(string name, Func<int, double, string> value) : IColumn
    {
        public string Id => "Training." + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name} per step (flops per step = 2m(Dr + rn) + 2m(2nr + Dr))";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats) return "-";
            return value((int)benchmarkCase.Parameters["R"], stats.Mean);
        }
    }
}
