using System.Diagnostics;

namespace Engine.Experiments.Context;

/// <summary>
/// The times of the parallel jobs of one piece of work (an experiment, say), from which its total work and its
/// critical path follow: what a machine with any number of cores needs at least.
/// </summary>
/// <remarks>
/// Every <see cref="ExperimentContext.ParallelFor"/> call is one phase: its jobs can run side by side, the phases run
/// one after another. Work outside the calls is sequential. So on P cores the piece needs at least its critical path,
/// <c>sequential + sum over calls of the longest job</c>, and at least <c>work / P</c> with
/// <c>work = sequential + sum of all jobs</c>. Job times measured on a busy machine include waiting, so both figures
/// are estimates, the better the quieter the machine.
/// </remarks>
public sealed class ScheduleTrace
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly List<Call> _calls = [];
    private double _endSeconds = double.NaN;

    /// <summary>Marks the end of the traced piece of work (its wall time runs from the trace's creation to here).</summary>
    public void Finish() => _endSeconds = _clock.Elapsed.TotalSeconds;

    /// <summary>Wall time of the traced work, from creation to <see cref="Finish"/> (or to now).</summary>
    public double WallSeconds => double.IsNaN(_endSeconds) ? _clock.Elapsed.TotalSeconds : _endSeconds;

    /// <summary>Seconds spent outside every parallel call (at least zero): work no number of cores shortens.</summary>
    public double SequentialSeconds
    {
        get
        {
            lock (_gate) return Math.Max(0, WallSeconds - Outermost().Sum(c => c.WallSeconds));
        }
    }

    /// <summary><see cref="SequentialSeconds"/> plus every job's time: the work on one core.</summary>
    public double WorkSeconds
    {
        get
        {
            lock (_gate) return SequentialSeconds + Outermost().Sum(c => c.JobSeconds);
        }
    }

    /// <summary><see cref="SequentialSeconds"/> plus each call's longest job: the time on unboundedly many cores.</summary>
    public double CriticalPathSeconds
    {
        get
        {
            lock (_gate) return SequentialSeconds + Outermost().Sum(c => c.LongestJobSeconds);
        }
    }

    /// <summary>The number of parallel calls recorded.</summary>
    public int Calls
    {
        get
        {
            lock (_gate) return _calls.Count;
        }
    }

    /// <summary>
    /// The calls not made from inside another call's job: a nested call's time is already part of its parent job,
    /// and counting it again would count the work twice.
    /// </summary>
    private IEnumerable<Call> Outermost() => _calls.Where(c => !c.Nested);

    internal Call Begin()
    {
        var call = new Call(this, Call.Current is not null);
        lock (_gate) _calls.Add(call);
        return call;
    }

    /// <summary>One parallel call: its wall time and the time of each of its jobs.</summary>
    internal sealed class Call(ScheduleTrace trace, bool nested)
    {
        [ThreadStatic] private static Call? s_current;
        private readonly long _start = trace._clock.ElapsedTicks;
        private long _end;
        private double _jobSeconds, _longestJob;

        /// <summary>The call whose job this thread is running, if any.</summary>
        public static Call? Current => s_current;

        public bool Nested { get; } = nested;

        public double WallSeconds => (double)(_end - _start) / Stopwatch.Frequency;

        public double JobSeconds => _jobSeconds;

        public double LongestJobSeconds => _longestJob;

        public void Run(int index, Action<int> job)
        {
            Call? outer = s_current;
            s_current = this;
            long start = Stopwatch.GetTimestamp();
            try { job(index); }
            finally
            {
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                s_current = outer;
                lock (this)
                {
                    _jobSeconds += seconds;
                    _longestJob = Math.Max(_longestJob, seconds);
                }
            }
        }

        public void End() => _end = trace._clock.ElapsedTicks;
    }
}
