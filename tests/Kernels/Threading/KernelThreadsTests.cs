using Engine.Kernels.Gemm;
using Engine.Kernels.Threading;

namespace Engine.Tests.Kernels.Threading;

public class KernelThreadsTests
{
    [Fact]
    public void A_threads_limit_caps_the_packed_products_threads_until_its_scope_ends()
    {
        // 256^3 multiply-adds is above the threshold at which the packed product splits its work.
        int before = GemmPacked.ThreadsFor(256, 256, 256);
        Assert.Equal(KernelThreads.Max, before);
        using (KernelThreads.Limit(1))
        {
            Assert.Equal(1, KernelThreads.Max);
            Assert.Equal(1, GemmPacked.ThreadsFor(256, 256, 256));
            using (KernelThreads.Limit(3))
                Assert.Equal(1, KernelThreads.Max);
            Assert.Equal(1, KernelThreads.Max);
        }
        Assert.Equal(before, GemmPacked.ThreadsFor(256, 256, 256));
    }

    [Fact]
    public void A_limit_holds_on_its_own_thread_only()
    {
        using (KernelThreads.Limit(1))
        {
            int elsewhere = 0;
            var thread = new Thread(() => elsewhere = KernelThreads.Max);
            thread.Start();
            thread.Join();
            Assert.Equal(KernelThreads.ProcessLimit, elsewhere);
        }
    }

    [Fact]
    public void A_limit_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Limit(0));

    [Fact]
    public void A_limit_only_lowers_the_one_in_force()
    {
        using (KernelThreads.Limit(1))
        using (KernelThreads.Limit(8))
            Assert.Equal(1, KernelThreads.Max);
    }
}
