using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Engine.Bench.Peak;
using Perfolizer.Horology;

namespace Engine.Bench.Gemm;

/// <summary>
/// Short runs (3 warm-up and 5 measured iterations of about 150 ms: the machine may be shared) with the
/// GFLOP/s and fraction-of-peak columns, and an exporter that writes bench/results/&lt;cpu&gt;-gemm.md.
/// </summary>
public sealed class FlopsConfig : ManualConfig
{
    public FlopsConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(150)));
        AddColumn(StatisticColumn.Median, new GflopsColumn(), new PeakFractionColumn());
        AddExporter(ResultsExporter.Instance);
        // Shape names such as "dV=X^TdZ r480 TN 150x480x10 b=1" must not be cut in the tables.
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40));
    }

    /// <summary>Floating-point operations of one invocation of a benchmark case, from the class that defines it.</summary>
    public static double FlopsOf(BenchmarkCase benchmark)
    {
        Type type = benchmark.Descriptor.Type;
        if (type == typeof(FmaPeakBenchmarks))
            return FmaPeakBenchmarks.FlopsOf(benchmark.Descriptor.WorkloadMethod.Name);
        foreach (var parameter in benchmark.Parameters.Items)
            if (parameter.Value is GemmShape shape)
                return shape.Flops;
        return double.NaN;
    }

    public static double Gflops(Summary summary, BenchmarkCase benchmark)
    {
        Statistics? statistics = summary[benchmark]?.ResultStatistics;
        if (statistics is null) return double.NaN;
        // The median, not the mean: on a shared machine a few preempted iterations should not set the figure.
        return FlopsOf(benchmark) / statistics.Median; // flops per nanosecond = GFLOP/s
    }
}

/// <summary>Billions of floating-point operations per second, from the mean time of one invocation.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Floating-point operations (2 per multiply-add) per second, in billions, from the median time";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => Format(FlopsConfig.Gflops(summary, benchmarkCase));
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    internal static string Format(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// GFLOP/s as a fraction of the single-thread fp32 Vector512 FMA peak that <see cref="FmaPeakBenchmarks"/>
/// measured on this CPU (read from bench/results/&lt;cpu&gt;-peak.txt; run the peak benchmark first).
/// </summary>
public sealed class PeakFractionColumn : IColumn
{
    public string Id => nameof(PeakFractionColumn);
    public string ColumnName => "% of FMA peak";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "GFLOP/s over the measured single-thread fp32 FMA peak (double precision peak for double cases)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        bool isDouble = benchmarkCase.Parameters.Items.Any(p => p.Value is GemmShape { IsDouble: true })
            || benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(FmaPeakBenchmarks.Vector512Double);
        double? peak = ResultsExporter.ReadPeak(summary, isDouble);
        double gflops = FlopsConfig.Gflops(summary, benchmarkCase);
        return peak is null || double.IsNaN(gflops) ? "n/a" : (100 * gflops / peak.Value).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + " %";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
