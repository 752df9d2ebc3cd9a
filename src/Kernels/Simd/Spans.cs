namespace Engine.Kernels.Simd;

/// <summary>The argument checks shared by the kernels, with messages that name the operation.</summary>
internal static class Spans
{
    public static void CheckSameLength(int expected, int actual, string operation)
    {
        if (actual != expected) throw new ArgumentException($"{operation}: span lengths differ ({expected} vs {actual}).");
    }

    /// <summary>
    /// A destination must have the source's length and be either the source itself or disjoint from it: a partial
    /// overlap would let a store clobber an element before it is read.
    /// </summary>
    public static void CheckDestination<T>(ReadOnlySpan<T> source, Span<T> destination, string operation)
    {
        CheckSameLength(source.Length, destination.Length, operation);
        if (source.Overlaps(destination, out int offset) && offset != 0)
            throw new ArgumentException($"{operation}: the destination overlaps a source without being the same span.");
    }
}
