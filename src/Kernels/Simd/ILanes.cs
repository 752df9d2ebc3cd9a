using System.Numerics;

namespace Engine.Kernels.Simd;

/// <summary>
/// The lanes of one 512-bit register (16 floats or ints, 8 doubles or longs), held at some vector width: one
/// <c>Vector512</c> (<see cref="Lanes512{T}"/>), two <c>Vector256</c> (<see cref="Lanes256x2{T}"/>), four
/// <c>Vector128</c> (<see cref="Lanes128x4{T}"/>) or one scalar per lane (<see cref="LanesScalar{T}"/>).
/// </summary>
/// <remarks>
/// <para>A kernel writes its loop body once, generic over <c>TLanes : ILanes&lt;TLanes, T&gt;</c>, and the JIT compiles
/// one specialized copy per width. Because every width holds the same 64 bytes in the same lane order and applies
/// the same IEEE operation to each lane, a lane's result never depends on the width: a reduction that keeps, say, four
/// accumulators of <see cref="ILaneWise{TSelf, T}.Count"/> lanes and folds them in a fixed order (<see cref="Sum"/>) gives the same bits
/// whether its accumulators are four zmm, eight ymm, sixteen xmm registers or 64 scalars. That is how the engine gives
/// the same numbers at every width and on every CPU.</para>
/// <para>All four layouts are 64 contiguous bytes in lane order, so <see cref="ILaneWise{TSelf, T}.BitCast{TTo, TElement}"/>
/// between any two of them is a reinterpretation of the same lanes.</para>
/// <para>The long kernel loops (the sampler, GEMM, the Lasso and factorized kernels) are marked <c>NoInlining |
/// AggressiveOptimization</c>: compiled fully optimized on their first call, and never inlined. Inlined into a caller
/// that the tiered JIT recompiles later, such a loop shares that caller's inlining budget, which it exceeds, and its
/// lane operations become calls: the normal sampler ran 70 times slower once its dispatcher had been recompiled. The
/// short elementwise, BLAS-1 and GEMV loops stay within the budget and are only <c>AggressiveOptimization</c>: there a
/// call would cost as much as the loop at n = 40.</para>
/// </remarks>
internal interface ILanes<TSelf, T> : ILaneWise<TSelf, T>
    where TSelf : struct, ILanes<TSelf, T>
    where T : unmanaged, INumber<T>
{
    /// <summary>Loads the first <paramref name="count"/> lanes (0 &lt;= count &lt;= Count) and zeros the rest, reading no memory past them.</summary>
    static abstract TSelf LoadFirst(ref T source, int count);

    /// <summary>Stores the first <paramref name="count"/> lanes, writing no memory past them.</summary>
    static abstract void StoreFirst(TSelf value, ref T destination, int count);

    /// <summary>
    /// The mask of the first <paramref name="count"/> lanes (all bits set there, zero elsewhere), for
    /// <see cref="LoadMasked"/>: built once, it saves rebuilding it on every load of a loop's partial last lane set.
    /// </summary>
    static abstract TSelf FirstLanesMask(int count);

    /// <summary>
    /// Loads the lanes whose mask bits are set (<see cref="FirstLanesMask"/>) and zeros the rest, reading no memory
    /// outside them.
    /// </summary>
    static abstract unsafe TSelf LoadMasked(T* source, TSelf mask);

    /// <summary>Whether every lane of <paramref name="left"/> equals the same lane of <paramref name="right"/>.</summary>
    static abstract bool EqualsAll(TSelf left, TSelf right);

    /// <summary>Lane <paramref name="index"/>.</summary>
    static abstract T GetElement(TSelf value, int index);

    /// <summary>
    /// The sum of the lanes by halving: lane i plus lane i + Count/2, then again on the first half, down to one lane.
    /// The order is part of the engine's numbers, the same at every width.
    /// </summary>
    static abstract T Sum(TSelf value);

    /// <summary>The largest lane (integer lanes: the order of comparisons cannot change the result).</summary>
    static abstract T MaxElement(TSelf value);
}
