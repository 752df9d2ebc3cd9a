namespace Engine.Experiments.Context;

/// <summary>Runs the pieces of work of one <see cref="ExperimentContext.ParallelWorkers"/> call, timing them per chain when traced.</summary>
public sealed class ChainRunner
{
    private readonly ScheduleTrace.Call? _call;

    internal ChainRunner(ScheduleTrace.Call? call) => _call = call;

    /// <summary>Runs <paramref name="piece"/>(<paramref name="chain"/>) on the calling thread as the next piece of that chain.</summary>
    public void Run(int chain, Action<int> piece)
    {
        if (_call is null) piece(chain);
        else _call.Run(chain, piece);
    }
}
