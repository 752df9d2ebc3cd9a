using BenchmarkDotNet.Running;

namespace Engine.Bench;

public static class BenchProgram
{
    // Every benchmark class of this assembly; pick with --filter, e.g. `--filter *Gemm*`.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
}
