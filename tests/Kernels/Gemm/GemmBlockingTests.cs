using Engine.Kernels.Gemm;

namespace Engine.Tests.Kernels.Gemm;

/// <summary>The block-size table: every row cuts the loops in whole tiles of every micro-kernel, and the caches pick the row.</summary>
public class GemmBlockingTests
{
    [Fact]
    public void Every_row_is_a_multiple_of_every_kernels_tile_in_float_and_double()
    {
        foreach (var row in GemmBlocking.Table)
        {
            foreach (int mr in new[] { 12, 6, 4 })
            {
                Assert.Equal(0, row.MC % mr);
                Assert.Equal(0, row.MC / 2 % mr);
            }
            foreach (int nr in new[] { 32, 16, 8, 4 })
            {
                Assert.Equal(0, row.NC % nr);
                Assert.Equal(0, row.NC / 2 % nr);
            }
        }
    }

    [Fact]
    public void The_caches_choose_the_row_and_smaller_caches_never_get_larger_blocks()
    {
        Assert.Equal((960, 4096), GemmBlocking.For(new CacheSizes(48 << 10, 2 << 20, 105 << 20)));
        Assert.Equal((480, 4096), GemmBlocking.For(new CacheSizes(32 << 10, 1 << 20, 32 << 20)));
        Assert.Equal((480, 2048), GemmBlocking.For(new CacheSizes(32 << 10, 1 << 20, 8 << 20)));
        Assert.Equal((240, 2048), GemmBlocking.For(new CacheSizes(32 << 10, 512 << 10, 32 << 20)));
        Assert.Equal((120, 1024), GemmBlocking.For(new CacheSizes(32 << 10, 256 << 10, 4 << 20)));
        long[] sizes = [128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20, 4 << 20];
        foreach (long l2 in sizes)
            foreach (long l3 in new long[] { 4 << 20, 16 << 20, 64 << 20 })
            {
                var here = GemmBlocking.For(new CacheSizes(32 << 10, l2, l3));
                var smaller = GemmBlocking.For(new CacheSizes(32 << 10, l2 / 2, l3 / 2));
                Assert.True(smaller.MC <= here.MC && smaller.NC <= here.NC, $"L2 {l2}, L3 {l3}");
            }
    }

    [Theory]
    [InlineData("32K", 32L << 10)]
    [InlineData("1024K", 1L << 20)]
    [InlineData("32M", 32L << 20)]
    [InlineData("65536", 65536L)]
    public void Sizes_are_read_as_linux_writes_them(string text, long bytes) => Assert.Equal(bytes, CacheSizes.ParseSize(text));

    [Fact]
    public void Detection_gives_positive_sizes_in_cache_order()
    {
        CacheSizes caches = CacheSizes.Detect();
        Assert.True(caches.L1Data > 0 && caches.L1Data <= caches.L2 && caches.L2 <= caches.L3, caches.ToString());
    }
}
