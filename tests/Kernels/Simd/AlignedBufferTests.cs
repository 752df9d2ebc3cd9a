using System.Runtime.CompilerServices;
using Engine.Kernels.Simd;
using Xunit;

namespace Engine.Tests.Kernels.Simd;

public unsafe class AlignedBufferTests
{
    private const long Page = 4096;

    [Fact]
    public void Buffers_start_on_a_page_and_keep_a_page_away_from_each_other()
    {
        // Sizes around a page, and the trainer's and the Lasso's (floats and doubles), allocated one after another as
        // the engine does.
        var floats = new[] { 0, 1, 15, 16, 100, 1023, 1024, 1025, 1200, 72_000 }.Select(n => new AlignedBuffer<float>(n)).ToArray();
        var doubles = new[] { 1, 511, 512, 513, 30_000 }.Select(n => new AlignedBuffer<double>(n)).ToArray();
        var pages = new List<(long First, long Last)>();
        pages.AddRange(floats.Select(PagesOf));
        pages.AddRange(doubles.Select(PagesOf));
        for (int i = 0; i < pages.Count; i++)
            for (int j = i + 1; j < pages.Count; j++)
            {
                // A page of each buffer's own on either side: the pages from one before to one after never meet.
                bool apart = pages[i].Last + 1 < pages[j].First - 1 || pages[j].Last + 1 < pages[i].First - 1;
                Assert.True(apart, $"buffers {i} and {j} come within a page of each other: pages {pages[i]} and {pages[j]}");
            }
        GC.KeepAlive(floats);
        GC.KeepAlive(doubles);
    }

    /// <summary>The first and last page of the buffer's span, after checking that it starts on a page and is zeroed.</summary>
    private static (long First, long Last) PagesOf<T>(AlignedBuffer<T> buffer) where T : unmanaged
    {
        long address = (long)Unsafe.AsPointer(ref buffer.Start);
        Assert.Equal(0, address % Page);
        Assert.Equal(buffer.Length, buffer.Span.Length);
        foreach (T value in buffer.Span) Assert.Equal(default, value);
        long bytes = Math.Max(1L, (long)buffer.Length * sizeof(T));
        return (address / Page, (address + bytes - 1) / Page);
    }
}
