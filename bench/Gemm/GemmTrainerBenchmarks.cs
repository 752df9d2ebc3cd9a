using BenchmarkDotNet.Attributes;
using Engine.Kernels.Gemm;

namespace Engine.Bench.Gemm;

/// <summary>
/// The trainer's products (batch 10, D = 150, 10 outputs, r hidden units) with every variant side by side,
/// the naive oracle as the baseline, and the public entry point "Gemm" to show what the dispatcher achieves.
/// </summary>
[Config(typeof(FlopsConfig))]
public class GemmTrainerBenchmarks
{
    public static IEnumerable<GemmShape> Shapes() => new[] { 60, 120, 240, 480 }.SelectMany(GemmShape.Trainer);

    public static IEnumerable<string> Variants() => GemmVariants.Supported.Select(v => v.Name).Append(GemmRunner.Dispatch);

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "";

    private GemmShape.Operands operands = null!;

    [GlobalSetup]
    public void Setup() => operands = new GemmShape.Operands(Shape);

    [Benchmark]
    public void Multiply() => GemmRunner.Run(Variant, Shape, operands);
}
