using Engine.Experiments.Context;
using Spectre.Console;

namespace Engine.Cli.CommandLine;

/// <summary>
/// Progress of long runs on the console: a Spectre.Console bar on an interactive terminal, plain lines on stderr
/// otherwise, every 10% and every few seconds through a slow stretch (<c>--quiet</c> gives the experiments no reporter
/// at all). Results never go through here,
/// so they stay clean on stdout.
/// </summary>
/// <param name="shared">
/// A live display already on screen (<c>engine all</c> runs experiments side by side in one): each run adds a bar to
/// it instead of starting a display of its own, which Spectre.Console allows only one at a time.
/// </param>
public sealed class ConsoleProgress(ProgressContext? shared = null) : IProgressReporter
{
    private static readonly Lock SharedGate = new();

    /// <summary>Whether progress is drawn as live bars (an interactive terminal, not CI) rather than plain lines.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null;

    public T Run<T>(string description, double total, Func<IProgressSink, T> work)
    {
        if (total <= 0) return SilentProgress.Instance.Run(description, total, work);
        if (shared is not null)
        {
            ProgressTask bar;
            lock (SharedGate) bar = shared.AddTask(Markup.Escape(description), maxValue: total);
            T result = work(new SpectreSink(bar));
            lock (SharedGate) bar.Value = total;
            return result;
        }
        if (!Interactive)
        {
            var plain = new PlainSink(description, total, Console.Error);
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

    private sealed class SpectreSink(ProgressTask task) : IProgressSink
    {
        public void Advance(double amount) => task.Increment(amount);
    }

    /// <summary>
    /// Plain progress lines: one at every 10 %, and in between one whenever <see cref="QuietSeconds"/> have passed since
    /// the last line and the run has moved on by a whole percent, so that a slow stretch (an SDP solve that is half of
    /// the run) still shows it is alive.
    /// </summary>
    internal sealed class PlainSink(string description, double total, TextWriter output, Func<double>? seconds = null) : IProgressSink
    {
        /// <summary>The longest the lines pause while the run advances.</summary>
        public const double QuietSeconds = 3;

        private readonly Lock _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private double _done, _lastLineAt;
        private int _lastDecile, _lastPercent;

        private double Now => seconds?.Invoke() ?? _clock.Elapsed.TotalSeconds;

        public void Advance(double amount)
        {
            lock (_gate)
            {
                _done += amount;
                double fraction = Math.Min(_done / total, 1);
                int decile = (int)Math.Floor(10 * fraction), percent = (int)Math.Floor(100 * fraction);
                double now = Now;
                if (decile > _lastDecile && decile < 10)
                {
                    _lastDecile = decile;
                    Line(decile * 10, now);
                }
                else if (percent > _lastPercent && percent < 100 && now - _lastLineAt >= QuietSeconds)
                    Line(percent, now);
            }
        }

        private void Line(int percent, double now)
        {
            _lastPercent = percent;
            _lastLineAt = now;
            output.WriteLine($"{description}: {percent}% ({now:F1} s)");
        }

        public void Finish() => output.WriteLine($"{description}: done in {Now:F1} s");
    }
}
