namespace Engine.Tests.Experiments.Overparam;

/// <summary>Allocation checks of a training loop that the runtime's own one-off work on the thread does not upset.</summary>
internal static class SteadyState
{
    /// <summary>
    /// The fewest bytes the calling thread allocates in one of <paramref name="blocks"/> runs of <paramref name="block"/>.
    /// A step that allocates does so in every block, so the fewest is above zero; the runtime allocates now and then on
    /// the thread itself (6,752 bytes once in one of five blocks of 1,000 steps, in a full parallel test run), which a
    /// single block would count as the step's.
    /// </summary>
    public static long FewestBytes(Action block, int blocks = 3)
    {
        long fewest = long.MaxValue;
        for (int b = 0; b < blocks; b++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            block();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
