using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Simd;

/// <summary>The argument checks shared by the kernels, with messages that name the operation.</summary>
/// <remarks>
/// The checks are inlined compares, and the messages are built in methods called only to throw: a message built in
/// the check itself gave every call the set-up of its string builder, a cost that a kernel of 40 elements notices.
/// </remarks>
internal static class Spans
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckSameLength(int expected, int actual, string operation)
    {
        if (actual != expected) ThrowLengthsDiffer(expected, actual, operation);
    }

    /// <summary>
    /// A destination must have the source's length and be either the source itself or disjoint from it: a partial
    /// overlap would let a store clobber an element before it is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckDestination<T>(ReadOnlySpan<T> source, Span<T> destination, string operation)
    {
        CheckSameLength(source.Length, destination.Length, operation);
        if (source.Overlaps(destination, out int offset) && offset != 0) ThrowPartialOverlap(operation);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLengthsDiffer(int expected, int actual, string operation) =>
        throw new ArgumentException($"{operation}: span lengths differ ({expected} vs {actual}).");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowPartialOverlap(string operation) =>
        throw new ArgumentException($"{operation}: the destination overlaps a source without being the same span.");

    /// <summary>
    /// The first index at which a vector of <paramref name="w"/> elements stored into <paramref name="destination"/> is
    /// aligned to its own size (0 if the destination is already aligned). Elementwise loops start there: an unaligned
    /// 512-bit store always splits across two cache lines, which halves the speed of in-cache loops. Only speed depends
    /// on it; if the garbage collector moves the array meanwhile, the stores are merely unaligned again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nuint AlignedStart<T>(ref T destination, nuint w)
    {
        nuint vectorBytes = w * (nuint)Unsafe.SizeOf<T>();
        nuint misalignment = (nuint)Unsafe.AsPointer(ref destination) % vectorBytes;
        return misalignment == 0 ? 0 : (vectorBytes - misalignment) / (nuint)Unsafe.SizeOf<T>();
    }
}
