using System.Diagnostics;

namespace Engine.Experiments.Context;

/// <summary>
/// The CPU time of the parallel jobs of one piece of work (an experiment, say), from which its total work and its
/// critical path follow: what a machine with any number of cores needs at least.
/// </summary>
/// <remarks>
/// <para>Every <see cref="ExperimentContext.ParallelFor"/> or <see cref="ExperimentContext.ParallelWorkers"/> call is
/// one phase: its jobs can run side by side, the phases run one after another, and work outside the calls is
/// sequential. So on P cores the piece needs at least its critical path, <c>sequential + sum over calls of the
/// longest job</c>, and at least <c>work / P</c> with <c>work = sequential + sum of all jobs</c>. A job that makes
/// parallel calls of its own counts their work in its work and their critical path in its length. A job handed out
/// in pieces (a chain: one SGD run fed chunk after chunk) is one job whose length is the sum of its pieces'. Waits
/// between chains (a run waiting for its next chunk to be drawn) are not seen, so there the critical path is a lower
/// bound that is tight only when the chains rarely wait for each other.</para>
/// <para>Everything is timed in the CPU time of the thread that does it (<see cref="ThreadCpuClock"/>), so waiting for
/// a core is not work (what sharing does to the work itself, through caches or a shared core's pipelines, still
/// shows). The thread that makes a call does not count the call's duration as its own: its share of the jobs is
/// counted as jobs, and its wait for the other threads is not work. What these figures leave out is CPU used on
/// threads the trace does not see, such as a kernel's own worker threads: a lower estimate of the work where
/// kernels split their calls.</para>
/// <para>The trace belongs to the thread that creates it: its sequential part is that thread's time, and
/// <see cref="Finish"/> must be called there. A parallel call made from a thread that is neither that one nor a
/// traced job's counts its jobs, but that thread's own time is not seen.</para>
/// </remarks>
public sealed class ScheduleTrace
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly Frame _root;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private int _calls;
    private double _endSeconds = double.NaN;
    private double _rootOwnSeconds = double.NaN;

    /// <summary>Starts the trace on the calling thread, which runs the traced work's sequential part.</summary>
    public ScheduleTrace() => _root = new Frame(this);

    /// <summary>Whether the figures are thread CPU time (false where the system offers no per-thread clock: then wall time).</summary>
    public static bool MeasuresCpuTime => ThreadCpuClock.IsCpuTime;

    /// <summary>Marks the end of the traced work; call it on the thread that created the trace.</summary>
    public void Finish()
    {
        RequireOwnThread(nameof(Finish));
        _endSeconds = _clock.Elapsed.TotalSeconds;
        _rootOwnSeconds = _root.OwnSeconds();
    }

    /// <summary>Wall time of the traced work, from creation to <see cref="Finish"/> (or to now).</summary>
    public double WallSeconds => double.IsNaN(_endSeconds) ? _clock.Elapsed.TotalSeconds : _endSeconds;

    /// <summary>
    /// CPU seconds of the creating thread outside every parallel call: work no number of cores shortens. Before
    /// <see cref="Finish"/> it can only be read on the creating thread, whose clock it reads.
    /// </summary>
    public double SequentialSeconds
    {
        get
        {
            if (!double.IsNaN(_rootOwnSeconds)) return _rootOwnSeconds;
            RequireOwnThread(nameof(SequentialSeconds));
            return _root.OwnSeconds();
        }
    }

    private void RequireOwnThread(string member)
    {
        if (Environment.CurrentManagedThreadId != _thread)
            throw new InvalidOperationException($"ScheduleTrace.{member}: call it on the thread that created the trace (before Finish).");
    }

    /// <summary><see cref="SequentialSeconds"/> plus every job's CPU time: the work on one core.</summary>
    public double WorkSeconds
    {
        get
        {
            lock (_gate) return SequentialSeconds + _root.NestedWork;
        }
    }

    /// <summary><see cref="SequentialSeconds"/> plus each call's longest job: the time on unboundedly many cores.</summary>
    public double CriticalPathSeconds
    {
        get
        {
            lock (_gate) return SequentialSeconds + _root.NestedSpan;
        }
    }

    /// <summary>The number of parallel calls recorded, nested ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    internal Call Begin()
    {
        Interlocked.Increment(ref _calls);
        Frame parent = Frame.Current is { } current && current.Trace == this ? current : _root;
        return new Call(this, parent);
    }

    /// <summary>
    /// A stretch of work on one thread (a job, or the traced work's sequential part) and what its own parallel calls
    /// added: their jobs' work, their critical paths, and the CPU this thread spent inside them.
    /// </summary>
    internal sealed class Frame(ScheduleTrace trace)
    {
        [ThreadStatic] private static Frame? s_current;
        private readonly double _cpuStart = ThreadCpuClock.Seconds();

        /// <summary>The thread whose time this frame is.</summary>
        public int Thread { get; } = Environment.CurrentManagedThreadId;

        /// <summary>The job this thread is running, if any.</summary>
        public static Frame? Current { get => s_current; set => s_current = value; }

        public ScheduleTrace Trace { get; } = trace;

        /// <summary>CPU seconds this thread spent between the start and end of the calls it made.</summary>
        public double InCalls { get; set; }

        /// <summary>The work of the jobs of the calls made here.</summary>
        public double NestedWork { get; set; }

        /// <summary>The sum over the calls made here of their longest job.</summary>
        public double NestedSpan { get; set; }

        /// <summary>CPU seconds of this thread since the frame began, less the time inside its calls.</summary>
        public double OwnSeconds() => Math.Max(0, ThreadCpuClock.Seconds() - _cpuStart - InCalls);
    }

    /// <summary>
    /// One parallel call: the work of its jobs and the longest of them. Pieces run under one index form a chain that
    /// runs one piece after another (a job handed out in parts), so their lengths add up into one job's.
    /// </summary>
    internal sealed class Call(ScheduleTrace trace, Frame parent)
    {
        private readonly double _callerCpuStart = ThreadCpuClock.Seconds();
        private readonly int _callerThread = Environment.CurrentManagedThreadId;
        private readonly Dictionary<int, double> _chains = [];
        private double _work, _longest;

        /// <summary>Runs job <paramref name="index"/> (or the next piece of chain <paramref name="index"/>) on the calling thread, timing it as a frame of its own.</summary>
        public void Run(int index, Action<int> job)
        {
            Frame? outer = Frame.Current;
            var frame = new Frame(trace);
            Frame.Current = frame;
            try { job(index); }
            finally
            {
                double own = frame.OwnSeconds();
                Frame.Current = outer;
                lock (this)
                {
                    _work += own + frame.NestedWork;
                    double chain = _chains.GetValueOrDefault(index) + own + frame.NestedSpan;
                    _chains[index] = chain;
                    _longest = Math.Max(_longest, chain);
                }
            }
        }

        /// <summary>
        /// Ends the call, adding its figures to the frame it was made from. The caller's time inside the call comes off
        /// that frame's own time only where both are one thread's clock (the call begun and ended on the frame's thread).
        /// </summary>
        public void End()
        {
            int thread = Environment.CurrentManagedThreadId;
            double inCall = thread == _callerThread && thread == parent.Thread ? ThreadCpuClock.Seconds() - _callerCpuStart : 0;
            lock (trace._gate)
            {
                parent.InCalls += inCall;
                lock (this)
                {
                    parent.NestedWork += _work;
                    parent.NestedSpan += _longest;
                }
            }
        }
    }
}
