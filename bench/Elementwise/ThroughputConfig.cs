using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace Engine.Bench.Elementwise;

/// <summary>
/// The configuration of the elementwise, BLAS-1 and sampler benchmarks: short runs (the machine may be shared),
/// cases grouped by operation with the scalar reference path as each group's baseline, GB/s and elements-per-second
/// columns, and the exporter that writes bench/results/&lt;cpu&gt;-elementwise.md.
/// </summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(100)));
        AddColumn(StatisticColumn.Median, new GigabytesPerSecondColumn(), new ElementsPerSecondColumn());
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        AddExporter(ElementwiseResultsExporter.Instance);
    }

    /// <summary>The elements one invocation processes: the <c>N</c> parameter of the case.</summary>
    public static double ElementsOf(BenchmarkCase benchmark)
    {
        foreach (var parameter in benchmark.Parameters.Items)
            if (parameter.Name == "N" && parameter.Value is int n) return n;
        return double.NaN;
    }

    /// <summary>The median time of one invocation in nanoseconds (the median: preempted iterations should not set the figure).</summary>
    public static double MedianNanoseconds(Summary summary, BenchmarkCase benchmark) =>
        summary[benchmark]?.ResultStatistics?.Median ?? double.NaN;

    public static string Format(double value) =>
        double.IsFinite(value) ? value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) : "n/a";
}

/// <summary>The memory traffic of one element of a benchmark method, in bytes (read plus written).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesPerElementAttribute(int bytes) : Attribute
{
    public int Bytes { get; } = bytes;
}

/// <summary>Bytes read and written per second, in GB/s (10^9), from the median time and <see cref="BytesPerElementAttribute"/>.</summary>
public sealed class GigabytesPerSecondColumn : IColumn
{
    public string Id => nameof(GigabytesPerSecondColumn);
    public string ColumnName => "GB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Bytes read plus written per second, in 10^9, from the median time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        int? bytes = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<BytesPerElementAttribute>()?.Bytes;
        if (bytes is null) return "n/a";
        // bytes per nanosecond = GB/s
        return ThroughputConfig.Format(ThroughputConfig.ElementsOf(benchmarkCase) * bytes.Value / ThroughputConfig.MedianNanoseconds(summary, benchmarkCase));
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}

/// <summary>Elements processed (or normals generated) per second, in millions, from the median time.</summary>
public sealed class ElementsPerSecondColumn : IColumn
{
    public string Id => nameof(ElementsPerSecondColumn);
    public string ColumnName => "M elem/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Elements processed (normals generated) per second, in millions, from the median time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        ThroughputConfig.Format(ThroughputConfig.ElementsOf(benchmarkCase) / ThroughputConfig.MedianNanoseconds(summary, benchmarkCase) * 1e3);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
