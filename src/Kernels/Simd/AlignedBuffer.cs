using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels.Simd;

/// <summary>
/// A zeroed buffer that starts on a 4 KiB page boundary, with at least a page of its array unused on either side, so
/// that no two buffers share a page. The kernels load and store whole 512-bit vectors at multiples of 64 bytes from
/// the start of a row; on an unaligned array every such access straddles two cache lines and costs two, which slows a
/// loop bound by its loads or stores by up to a fifth (the trainer's H U^T) or half (the Lasso sweeps). Only the first
/// row is aligned unless a row's length in bytes is a multiple of 64. The array is pinned, so the alignment survives
/// garbage collections. Elements must be of a size that divides 64 bytes.
/// </summary>
/// <remarks>
/// Pages of their own, not just cache lines: with 64-byte alignment, buffers allocated one after another share pages,
/// and two SGD runs training at once on the two cores of the Zen 4 spent 7-8 % more CPU time than the same runs one
/// after another on one core (most of it in the backward pass, which writes the weights). With every buffer on pages of
/// its own the HW2 protocol took 6.55 s on 2 threads against 7.13 s, and as much CPU time as on one thread (8
/// alternating runs of each). Page alignment alone (0.98) and 4 KiB gaps alone (0.95) did less. This virtual machine
/// exposes no hardware counters, so the mechanism is not measured. Some 2-thread runs still spend 7-9 % more CPU time
/// than one thread: those during which the host has put the two virtual CPUs on different dies (a line passes between
/// them in about 160 ns instead of 30; bench/peers/core_latency.c measures it), which no layout tried removed (4 KiB
/// of padding between the runs' objects measured the same). The cost is 12 KiB of address space per buffer; the
/// engine holds a few dozen at a time, each for a whole run. Operands that start at the same offset in their pages do
/// not slow the small products: dH = E U at r = 60 took the same time with its three operands on pages and packed one
/// after another, at every cache-line offset tried.
/// </remarks>
public sealed class AlignedBuffer<T> where T : unmanaged
{
    private const int Alignment = 64;
    private const int PageBytes = 4096;
    private readonly T[] _array;
    private readonly int _offset;

    /// <summary>A zeroed, pinned, page-aligned buffer of <paramref name="length"/> elements (see the class).</summary>
    public unsafe AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Alignment % sizeof(T) != 0) throw new NotSupportedException($"AlignedBuffer: elements of {sizeof(T)} bytes do not divide {Alignment}.");
        // Up to a page to reach a boundary, a page left empty before the buffer and at least one after it.
        _array = GC.AllocateArray<T>(length + 3 * PageBytes / sizeof(T), pinned: true);
        long misalignment = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) % PageBytes;
        // Arrays start on a multiple of the element size for the element types used here, so a whole number of elements reaches the boundary.
        _offset = (int)(((PageBytes - misalignment) % PageBytes + PageBytes) / sizeof(T));
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements, starting on a page boundary (see the class).</summary>
    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>A reference to the first element.</summary>
    public ref T Start => ref _array[_offset];
}
