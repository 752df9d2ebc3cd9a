using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// A zeroed buffer that starts on a 64-byte boundary. The kernels load and store whole 512-bit vectors at multiples
/// of 64 bytes from the start of a row; on an unaligned array every such access straddles two cache lines and costs
/// two, which slows a loop bound by its loads or stores by up to a fifth (the trainer's H U^T) or half (the Lasso
/// sweeps). Only the first row is aligned unless a row's length in bytes is a multiple of 64. The array is pinned,
/// so the alignment survives garbage collections. Elements must be of a size that divides 64 bytes.
/// </summary>
public sealed class AlignedBuffer<T> where T : unmanaged
{
    private const int Alignment = 64;
    private readonly T[] _array;
    private readonly int _offset;

    /// <summary>A zeroed, pinned, 64-byte aligned buffer of <paramref name="length"/> elements.</summary>
    public unsafe AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Alignment % sizeof(T) != 0) throw new NotSupportedException($"AlignedBuffer: elements of {sizeof(T)} bytes do not divide {Alignment}.");
        _array = GC.AllocateArray<T>(length + Alignment / sizeof(T), pinned: true);
        long misalignment = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) % Alignment;
        // Arrays start on a multiple of the element size for the element types used here, so a whole number of elements reaches the boundary.
        _offset = (int)((Alignment - misalignment) % Alignment / sizeof(T));
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements, starting on a 64-byte boundary.</summary>
    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>A reference to the first element.</summary>
    public ref T Start => ref _array[_offset];
}
