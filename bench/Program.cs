using BenchmarkDotNet.Running;

namespace Engine.Bench;

public static class BenchProgram
{
    // Every benchmark class of this assembly; pick with --filter, e.g. `--filter *Gemm*`.
    // `side-by-side ...` runs the plain timing loops of bench/peers/side_by_side.py instead (SideBySide/).
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "side-by-side") return SideBySide.SideBySideProgram.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run(args);
        return 0;
    }
}
