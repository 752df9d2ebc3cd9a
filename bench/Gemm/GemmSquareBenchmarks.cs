using BenchmarkDotNet.Attributes;
using Engine.Kernels.Gemm;

namespace Engine.Bench.Gemm;

/// <summary>
/// Square products 64, 256, 257 (odd), 1000 (odd) and 1024, float, plus 1024 in double for the solvers.
/// Slow variants only run where they finish quickly: the naive oracle at 64, the plain vector loops up to 257.
/// "GemmPacked 1 thread" is the single-thread bar; "Gemm" is the dispatcher, using both cores when large.
/// </summary>
[Config(typeof(FlopsConfig))]
public class GemmSquareBenchmarks
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (int size in new[] { 64, 256, 257, 1000, 1024 })
        {
            var shape = new GemmShape($"square{size}", Op.None, Op.None, size, size, size);
            if (size <= 64) yield return [shape, nameof(GemmNaive)];
            if (size <= 257) yield return [shape, nameof(GemmVector)];
            if (GemmSmall.IsSupported && size <= 257) yield return [shape, nameof(GemmSmall)];
            yield return [shape, nameof(GemmPacked)];
            yield return [shape, GemmRunner.PackedOneThread];
            yield return [shape, GemmRunner.Dispatch];
        }
        var transposed = new GemmShape("square1024", Op.Transpose, Op.Transpose, 1024, 1024, 1024);
        yield return [transposed, GemmRunner.PackedOneThread];
        var doubles = new GemmShape("square1024", Op.None, Op.None, 1024, 1024, 1024, IsDouble: true);
        yield return [doubles, GemmRunner.PackedOneThread];
        yield return [doubles, GemmRunner.Dispatch];
    }

    // Each case runs in its own process, so the operands are made on the first (warm-up) call and kept.
    private GemmShape.Operands? operands;

    [Benchmark]
    [ArgumentsSource(nameof(Cases))]
    public void Multiply(GemmShape shape, string variant) =>
        GemmRunner.Run(variant, shape, operands ??= new GemmShape.Operands(shape));
}
