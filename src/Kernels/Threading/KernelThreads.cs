namespace Engine.Kernels.Threading;

/// <summary>
/// How many threads one kernel call may split its work over (the packed GEMM above its threshold, the Lasso's Gram
/// matrix and screening passes): every core unless the process or the calling thread allows fewer. A program asked to
/// use N threads sets <see cref="ProcessLimit"/>; one that already runs its own jobs side by side runs each job under
/// <see cref="Limit"/>(1), since the jobs fill the cores and a kernel's extra threads would only wait for one.
/// Results never depend on it: every kernel that splits its work gives the same bits at any thread count.
/// </summary>
public static class KernelThreads
{
    private static int s_processLimit = Environment.ProcessorCount;
    [ThreadStatic] private static int t_limit;

    /// <summary>The most threads a kernel called on this thread may use: the thread's limit, if any, within the process's.</summary>
    public static int Max => t_limit > 0 ? Math.Min(t_limit, s_processLimit) : s_processLimit;

    /// <summary>The most threads any kernel call may use (default: every core).</summary>
    public static int ProcessLimit
    {
        get => s_processLimit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_processLimit = value;
        }
    }

    /// <summary>
    /// Limits kernels called on this thread to <paramref name="threads"/> until the returned scope is disposed. A limit
    /// only lowers the one in force: a job kept to one thread stays there whatever it calls.
    /// </summary>
    public static Scope Limit(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int previous = t_limit;
        t_limit = previous > 0 ? Math.Min(previous, threads) : threads;
        return new Scope(previous);
    }

    /// <summary>Restores the calling thread's previous limit when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _previous;

        internal Scope(int previous) => _previous = previous;

        public void Dispose() => t_limit = _previous;
    }
}
