using Engine.Experiments.Context;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The mini-batches of one planted stream, drawn once in chunks into a ring of buffers and fed to several SGD runs, each
/// run taking the chunks in order at its own pace. Workers (see <see cref="ExperimentContext.ParallelWorkers"/>) call
/// <see cref="Work"/>, which feeds one run a chunk or draws the next chunk until every run is done.
/// </summary>
/// <remarks>
/// <para>Each run sees the stream's batches in order and nothing else, so its curve is the one it gives alone, whatever
/// the thread count and whoever feeds it.</para>
/// <para>No barrier: a run may fall up to <see cref="Slots"/> chunks behind the draws, and a chunk's buffer is drawn over
/// only once every run still training has taken it. A thread that finishes a chunk early takes the next piece of work
/// at once instead of waiting for the round's slowest run, and the widest run keeps a thread almost to itself while the
/// others share the rest.</para>
/// <para>A worker feeds the run furthest behind, the costliest (widest) first among equals: the slowest run is the
/// critical path, so it keeps a thread, and the runs stay close together, so the chunks they read are still in cache.
/// A worker keeps feeding the run it fed last, though, while that run is fewer than <see cref="StickSlack"/> chunks
/// ahead of the run furthest behind: a run that changes threads takes its weights (288 KB at r = 480) from the other
/// core's cache. Picking the furthest behind alone moved a run in 30 to 37 % of the homework's width sweep's 48,750
/// feeds (two runs, counted); staying moved 54 of them. On the 2-core Zen 4 with both CPUs on one cache the sweep took
/// about 1 % less time in one A/B (median of five interleaved runs each) and a gain within the runs' spread in another.
/// A worker draws before it feeds when the fastest run is about to run out of chunks, unless it has just fed the run
/// furthest behind: that thread should not also draw. Draws stay on demand (at most two chunks ahead of the fastest
/// run): the slots are room for the runs to drift apart, not a prefetch.</para>
/// <para>Sharing the batches has a cost where the host puts the two CPUs on different dies (bench/peers/core_latency.c):
/// there the homework's width sweep used about 8 % more CPU time than on one thread, while two one-thread processes on
/// different dies at once used no more than one alone. Timed inside the ring on the 2-core Zen 4, drawing took 0.72 to
/// 1.07 s instead of 0.57 (it writes over buffers the other die has read) and the r = 480 run, which reads chunks the
/// other thread drew, 5.9 to 6.9 s instead of 5.8; the narrower runs, fed on the drawing thread, took the same. Neither
/// prefetching the next batch one step ahead nor drawing into a private buffer and copying it into the ring with
/// streaming stores made the sweep faster on different dies, and the copy made it slower on one cache (interleaved
/// A/B runs). A stream drawn once per thread would share nothing, but it draws everything twice and fixes which runs
/// share a thread: by the same timings, slower than sharing on one cache.</para>
/// </remarks>
internal sealed class SharedBatchRing : IDisposable
{
    /// <summary>The most mini-batches in a chunk: one piece of work, a few hundred microseconds at the homework's sizes.</summary>
    public const int MaxChunkBatches = 16;

    /// <summary>The most chunk buffers in the ring: how far the runs may drift apart.</summary>
    public const int MaxSlots = 12;

    /// <summary>The fewest chunk buffers, so that drawing can run ahead of the fastest run while the slowest reads.</summary>
    public const int MinSlots = 3;

    private const double ChunkBytes = 128 << 10;
    private const double RingBytes = 2 << 20;

    /// <summary>
    /// The ring for mini-batches of <paramref name="batchBytes"/> bytes: up to <see cref="MaxChunkBatches"/> batches a
    /// chunk within 128 KiB, and up to <see cref="MaxSlots"/> chunks within 2 MiB (at least <see cref="MinSlots"/>). At
    /// the homework's sizes that is 12 chunks of 16 batches, 1.2 MB, about 6 ms of the widest run's steps: on the 2-core
    /// Zen 4, 12 chunks of 16 and 6 of 32 timed the same in a width sweep, 6 of 16 and 4 of 32 up to 10 % slower. A large
    /// batch gets one batch a chunk and a few chunks.
    /// </summary>
    public static (int ChunkBatches, int Slots) Geometry(double batchBytes)
    {
        batchBytes = Math.Max(1, batchBytes);
        int chunk = (int)Math.Clamp(Math.Floor(ChunkBytes / batchBytes), 1, MaxChunkBatches);
        int slots = (int)Math.Clamp(Math.Floor(RingBytes / (chunk * batchBytes)), MinSlots, MaxSlots);
        return (chunk, slots);
    }

    private readonly PlantedStream _stream;
    private readonly SgdRun[] _runs;
    private readonly int[] _costliestFirst;
    private readonly float[][] _x;
    private readonly float[][] _y;
    private readonly long _chunksNeeded;
    private readonly long[] _fed;
    private readonly int[] _claimed;
    private readonly bool[] _finished;
    private readonly Action<int> _feed;
    private readonly Action<int> _draw;
    private readonly ManualResetEventSlim _pieceDone = new(false);
    private long _drawn;
    private int _drawing;
    private int _finishedRuns;
    private volatile bool _failed;

    /// <param name="runs">The runs, each of which has the stream's batch size.</param>
    /// <param name="cost">A run's cost per batch (any unit), for the order in which runs are fed.</param>
    /// <param name="chunkBatches">Mini-batches per chunk (see <see cref="Geometry"/>).</param>
    /// <param name="slots">Chunk buffers in the ring (at least 1).</param>
    public SharedBatchRing(PlantedStream stream, SgdRun[] runs, Func<SgdRun, double> cost, int chunkBatches, int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ChunkBatches = chunkBatches;
        Slots = slots;
        _stream = stream;
        _runs = runs;
        _costliestFirst = Enumerable.Range(0, runs.Length).OrderByDescending(i => cost(runs[i])).ThenBy(i => i).ToArray();
        int xs = stream.X.Length, ys = stream.Y.Length;
        _x = Enumerable.Range(0, Slots).Select(_ => new float[ChunkBatches * xs]).ToArray();
        _y = Enumerable.Range(0, Slots).Select(_ => new float[ChunkBatches * ys]).ToArray();
        // A run ends an epoch after StepsPerEpoch batches, or after every batch when that is below 1 (see SgdRun.Train).
        long steps = runs.Length == 0 ? 0 : runs.Max(r => (long)r.Settings.Epochs * Math.Max(1, r.Settings.StepsPerEpoch));
        _chunksNeeded = (steps + ChunkBatches - 1) / ChunkBatches;
        // A run that goes on from an earlier sweep (SgdRun.ContinueAs) starts at the chunk holding its next batch.
        _fed = runs.Select(r => r.Batches / ChunkBatches).ToArray();
        _claimed = new int[runs.Length];
        _finished = runs.Select(r => r.Done).ToArray();
        _finishedRuns = _finished.Count(f => f);
        _feed = Feed;
        _draw = Draw;
    }

    /// <summary>Mini-batches per chunk.</summary>
    public int ChunkBatches { get; }

    /// <summary>Chunk buffers in the ring: how far the runs may drift apart.</summary>
    public int Slots { get; }

    /// <summary>How many chunks a worker's last run may be ahead of the run furthest behind and still be fed by it again: half the slots.</summary>
    private int StickSlack => Math.Max(1, Slots / 2);

    /// <summary>The chain index under which draws are traced (runs are chains 0 to runs - 1).</summary>
    private int DrawChain => _runs.Length;

    /// <summary>Feeds runs and draws chunks until every run is done (or another worker failed).</summary>
    public void Work(ChainRunner chains)
    {
        var spin = new SpinWait();
        int lastFed = -1;
        try
        {
            while (!_failed && Volatile.Read(ref _finishedRuns) < _runs.Length)
            {
                if (TryWork(chains, ref lastFed))
                {
                    spin.Reset();
                    continue;
                }
                // Nothing to do until another worker finishes a piece. Spin a little first: the piece awaited is often a
                // draw of a few tens of microseconds, and a sleeping thread wakes late. Then sleep until some piece is done.
                if (!spin.NextSpinWillYield)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                _pieceDone.Reset();
                if (TryWork(chains, ref lastFed)) continue;
                if (Stuck())
                    throw new InvalidOperationException("The shared batch ring has no chunk left to draw for a run that is not done.");
                // The timeout only bounds a wake-up lost to another worker's reset.
                _pieceDone.Wait(1);
            }
        }
        catch
        {
            _failed = true;
            throw;
        }
        finally
        {
            _pieceDone.Set();
        }
    }

    /// <summary>Draws or feeds one chunk, if there is one to draw or feed; wakes sleeping workers after it.</summary>
    private bool TryWork(ChainRunner chains, ref int lastFed)
    {
        bool worked = (DrawSoon(lastFed) && TryDraw(chains)) || TryFeed(chains, ref lastFed) || TryDraw(chains);
        if (worked) _pieceDone.Set();
        return worked;
    }

    /// <summary>Every chunk is drawn, yet a run that is not done has taken them all: no worker can ever move it on.</summary>
    private bool Stuck()
    {
        long drawn = Volatile.Read(ref _drawn);
        if (drawn < _chunksNeeded) return false;
        for (int i = 0; i < _runs.Length; i++)
            if (Volatile.Read(ref _fed[i]) >= drawn && !Volatile.Read(ref _finished[i])) return true;
        return false;
    }

    /// <summary>Whether to draw before feeding: the fastest run is within a chunk of the draws, and this worker is not feeding the run furthest behind.</summary>
    private bool DrawSoon(int lastFed)
    {
        long drawn = Volatile.Read(ref _drawn), most = long.MinValue, least = long.MaxValue;
        for (int i = 0; i < _runs.Length; i++)
        {
            long fed = Volatile.Read(ref _fed[i]);
            // A run that went on from an earlier sweep waits, until the draws reach it, for no chunk of its own.
            if (Volatile.Read(ref _finished[i]) || fed > drawn) continue;
            most = Math.Max(most, fed);
            least = Math.Min(least, fed);
        }
        bool feedsLaggard = lastFed >= 0 && !Volatile.Read(ref _finished[lastFed]) && Volatile.Read(ref _fed[lastFed]) == least;
        return most != long.MinValue && drawn - most < 2 && !feedsLaggard;
    }

    /// <summary>
    /// Feeds the next chunk to the run this worker fed last if it has one waiting and is fewer than
    /// <see cref="StickSlack"/> chunks ahead of the run furthest behind; otherwise to the run furthest behind (the
    /// costliest among equals) that has one waiting. Either way, to a run no other worker is feeding.
    /// </summary>
    private bool TryFeed(ChainRunner chains, ref int lastFed)
    {
        long drawn = Volatile.Read(ref _drawn);
        int best = -1;
        long bestFed = long.MaxValue, furthestBehind = long.MaxValue;
        foreach (int i in _costliestFirst)
        {
            if (Volatile.Read(ref _finished[i])) continue;
            long fed = Volatile.Read(ref _fed[i]);
            furthestBehind = Math.Min(furthestBehind, fed);
            if (Volatile.Read(ref _claimed[i]) == 0 && fed < drawn && fed < bestFed) (best, bestFed) = (i, fed);
        }
        if (lastFed >= 0 && !Volatile.Read(ref _finished[lastFed]) && Volatile.Read(ref _claimed[lastFed]) == 0)
        {
            long fed = Volatile.Read(ref _fed[lastFed]);
            if (fed < drawn && fed - furthestBehind < StickSlack) best = lastFed;
        }
        if (best < 0 || Interlocked.CompareExchange(ref _claimed[best], 1, 0) != 0) return false;
        // Only the claim's holder changes a run's progress: read it again now that no one else can.
        bool fedIt = !_finished[best] && _fed[best] < drawn;
        if (fedIt)
        {
            chains.Run(best, _feed);
            lastFed = best;
        }
        Volatile.Write(ref _claimed[best], 0);
        return fedIt;
    }

    /// <summary>Draws the next chunk if one is still needed, its buffer is free and no other worker is drawing.</summary>
    private bool TryDraw(ChainRunner chains)
    {
        if (!CanDraw(Volatile.Read(ref _drawn)) || Interlocked.CompareExchange(ref _drawing, 1, 0) != 0) return false;
        bool drew = CanDraw(_drawn);
        if (drew) chains.Run(DrawChain, _draw);
        Volatile.Write(ref _drawing, 0);
        return drew;
    }

    /// <summary>Chunk <paramref name="chunk"/> is needed, and every run still training has taken the chunk its buffer holds.</summary>
    private bool CanDraw(long chunk)
    {
        if (chunk >= _chunksNeeded) return false;
        for (int i = 0; i < _runs.Length; i++)
            if (!Volatile.Read(ref _finished[i]) && Volatile.Read(ref _fed[i]) <= chunk - Slots) return false;
        return true;
    }

    private void Draw(int _)
    {
        long chunk = _drawn;
        int slot = (int)(chunk % Slots), xs = _stream.X.Length, ys = _stream.Y.Length;
        for (int b = 0; b < ChunkBatches; b++)
            _stream.NextInto(_x[slot].AsSpan(b * xs, xs), _y[slot].AsSpan(b * ys, ys));
        Volatile.Write(ref _drawn, chunk + 1);
    }

    private void Feed(int i)
    {
        SgdRun run = _runs[i];
        long chunk = _fed[i];
        int slot = (int)(chunk % Slots), xs = _stream.X.Length, ys = _stream.Y.Length;
        // A run that went on from an earlier sweep took the first batches of its first chunk there.
        int first = (int)Math.Clamp(run.Batches - chunk * ChunkBatches, 0, ChunkBatches);
        for (int b = first; b < ChunkBatches && !run.Done; b++)
            run.Train(_x[slot].AsSpan(b * xs, xs), _y[slot].AsSpan(b * ys, ys));
        if (run.Done)
        {
            Volatile.Write(ref _finished[i], true);
            Interlocked.Increment(ref _finishedRuns);
        }
        Volatile.Write(ref _fed[i], chunk + 1);
    }

    public void Dispose() => _pieceDone.Dispose();
}
