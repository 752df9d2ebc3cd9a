namespace Engine.Experiments.Context;

/// <summary>
/// Where an experiment reports the progress of a long run. The experiment knows how much work there is and when a
/// part of it is done; how that is shown (a bar, a line every 10%, nothing) is up to the implementation.
/// </summary>
public interface IProgressReporter
{
    /// <summary>Runs <paramref name="work"/>, which reports <paramref name="total"/> units of progress into the sink it is given.</summary>
    T Run<T>(string description, double total, Func<IProgressSink, T> work);
}

/// <summary>Receives progress from a long run; thread-safe, so parallel jobs can report into one sink.</summary>
public interface IProgressSink
{
    /// <summary>Records that <paramref name="amount"/> more units of the run's total are done.</summary>
    void Advance(double amount);
}

/// <summary>Progress that goes nowhere: the work runs as it would with any other reporter.</summary>
public sealed class SilentProgress : IProgressReporter, IProgressSink
{
    /// <summary>The one instance; it holds no state.</summary>
    public static SilentProgress Instance { get; } = new();

    private SilentProgress() { }

    public T Run<T>(string description, double total, Func<IProgressSink, T> work) => work(this);

    public void Advance(double amount) { }
}

/// <summary>The form of <see cref="IProgressReporter.Run{T}"/> for work that returns nothing.</summary>
public static class ProgressReporterExtensions
{
    public static void Run(this IProgressReporter reporter, string description, double total, Action<IProgressSink> work) =>
        reporter.Run<object?>(description, total, sink => { work(sink); return null; });

    /// <summary>A single call that cannot report from inside, as one unit of progress reported when it returns.</summary>
    public static T RunAsOneStep<T>(this IProgressReporter reporter, string description, Func<T> work) =>
        reporter.Run(description, 1, sink =>
        {
            T result = work();
            sink.Advance(1);
            return result;
        });

    /// <inheritdoc cref="RunAsOneStep{T}(IProgressReporter, string, Func{T})"/>
    public static void RunAsOneStep(this IProgressReporter reporter, string description, Action work) =>
        reporter.RunAsOneStep<object?>(description, () => { work(); return null; });
}
