namespace Engine.Kernels.Gemm;

/// <summary>
/// A row or column count of a register tile, as a type: a kernel generic over it is compiled once per count, with the
/// count a constant, so branches on it vanish and the accumulators it does not use are never allocated registers.
/// </summary>
internal interface ITileCount
{
    static abstract int Value { get; }
}

internal readonly struct Count0 : ITileCount { public static int Value => 0; }

internal readonly struct Count1 : ITileCount { public static int Value => 1; }

internal readonly struct Count2 : ITileCount { public static int Value => 2; }

internal readonly struct Count3 : ITileCount { public static int Value => 3; }

internal readonly struct Count4 : ITileCount { public static int Value => 4; }

internal readonly struct Count5 : ITileCount { public static int Value => 5; }
