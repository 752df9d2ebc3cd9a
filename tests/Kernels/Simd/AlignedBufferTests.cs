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
        foreach (var b in floats) pages.Add(Check(ref b.Start, b.Length, sizeof(float), b.Span));
        foreach (var b in doubles) pages.Add(Check(ref b.Start, b.Length, sizeof(double), b.Span));
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

    private static (long First, long Last) Check<T>(ref T start, int length, int size, Span<T> span) where T : unmanaged
    {
        long address = (long)System.Runtime.CompilerServices.Unsafe.AsPointer(ref start);
        Assert.Equal(0, address % Page);
        Assert.Equal(length, span.Length);
        foreach (T value in span) Assert.Equal(default, value);
        long bytes = Math.Max(1L, (long)length * size);
        return (address / Page, (address + bytes - 1) / Page);
    }
}
