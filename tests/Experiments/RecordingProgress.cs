using Engine.Experiments.Context;

namespace Engine.Tests.Experiments;

/// <summary>A progress reporter for tests: records every amount an experiment reports and the total it announced.</summary>
internal sealed class RecordingProgress : IProgressReporter, IProgressSink
{
    private readonly Lock _gate = new();
    public double Total { get; private set; }
    public List<double> Amounts { get; } = [];

    public T Run<T>(string description, double total, Func<IProgressSink, T> work)
    {
        Total = total;
        return work(this);
    }

    public void Advance(double amount)
    {
        lock (_gate) Amounts.Add(amount);
    }
}
