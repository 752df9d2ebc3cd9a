using System.Runtime.CompilerServices;

namespace Engine.Kernels.Lasso;

/// <summary>
/// A zeroed buffer of doubles that starts on a 64-byte boundary. The Lasso solvers and the factorized
/// gradient-descent kernels load whole 512-bit vectors at multiples of 64 bytes from their start; on an unaligned
/// array every such load would straddle two cache lines and cost two, which halves the speed of a loop that is
/// bound by its loads. The array is pinned so the alignment survives garbage collections.
/// </summary>
public sealed class AlignedBuffer
{
    private readonly double[] _array;
    private readonly int _offset;

    /// <summary>A zeroed, pinned, 64-byte aligned buffer of <paramref name="length"/> doubles.</summary>
    public unsafe AlignedBuffer(int length)
    {
        _array = GC.AllocateArray<double>(length + 8, pinned: true);
        long address = (long)Unsafe.AsPointer(ref _array[0]);
        _offset = (int)((64 - address % 64) % 64 / sizeof(double));
        Length = length;
    }

    /// <summary>The number of doubles.</summary>
    public int Length { get; }

    /// <summary>The doubles, starting on a 64-byte boundary.</summary>
    public Span<double> Span => _array.AsSpan(_offset, Length);

    /// <summary>A reference to the first double.</summary>
    public ref double Start => ref _array[_offset];
}
