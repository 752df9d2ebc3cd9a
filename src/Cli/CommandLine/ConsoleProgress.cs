using Engine.Experiments.Cli;
using Spectre.Console;

namespace Engine.Experiments.Output;

/// <summary>Receives progress from a long run; thread-safe, so parallel jobs can report into one bar.</summary>
public interface IProgressSink
{
    void Advance(double amount);
}

/// <summary>
/// Progress for long runs: a Spectre.Console bar on an interactive terminal, plain lines on stderr every 10%
/// otherwise, nothing with <c>--quiet</c>. Results never go through here, so they stay clean on stdout.
/// </summary>
public static class Progress
{
    public static T Run<T>(RunContext ctx, string description, double total, Func<IProgressSink, T> work)
    {
        if (ctx.Quiet || total <= 0) return work(new NullSink());
        bool interactive = !Console.IsErrorRedirected && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("CI") is null;
        if (!interactive)
        {
            var plain = new PlainSink(description, total);
            T result = work(plain);
            plain.Finish();
            return result;
        }
        T value = default!;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(c =>
            {
                var task = c.AddTask(Markup.Escape(description), maxValue: total);
                value = work(new SpectreSink(task));
                task.Value = total;
            });
        return value;
    }

    public static void Run(RunContext ctx, string description, double total, Action<IProgressSink> work) =>
        Run<object?>(ctx, description, total, sink => { work(sink); return null; });

    private sealed class NullSink : IProgressSink
    {
        public void Advance(double amount) { }
    }

    private sealed class SpectreSink(ProgressTask task) : IProgressSink
    {
        public void Advance(double amount) => task.Increment(amount);
    }

    private sealed class PlainSink(string description, double total) : IProgressSink
    {
        private readonly Lock _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private double _done;
        private int _lastDecile;

        public void Advance(double amount)
        {
            lock (_gate)
            {
                _done += amount;
                int decile = (int)Math.Floor(10 * Math.Min(_done / total, 1));
                if (decile > _lastDecile && decile < 10)
                {
                    _lastDecile = decile;
                    Console.Error.WriteLine($"{description}: {decile * 10}% ({_clock.Elapsed.TotalSeconds:F1} s)");
                }
            }
        }

        public void Finish() => Console.Error.WriteLine($"{description}: done in {_clock.Elapsed.TotalSeconds:F1} s");
    }
}
