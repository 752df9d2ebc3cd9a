using Engine.Experiments.Context;
using Engine.Experiments.MinNorm;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.MinNorm;

public class MinNormProgressTests
{
    /// <summary>Records every progress line a run opens, its total, and how many reports went into it.</summary>
    private sealed class RecordingProgress : IProgressReporter
    {
        public List<(string Description, double Total, double Reported, int Reports)> Lines { get; } = [];

        public T Run<T>(string description, double total, Func<IProgressSink, T> work)
        {
            var sink = new Sink();
            T result = work(sink);
            Lines.Add((description, total, sink.Reported, sink.Reports));
            return result;
        }

        private sealed class Sink : IProgressSink
        {
            public double Reported { get; private set; }
            public int Reports { get; private set; }

            public void Advance(double amount)
            {
                Assert.True(amount >= 0, $"amount {amount}");
                Reported += amount;
                Reports++;
            }
        }
    }

    [Fact]
    public void EveryPhaseReportsExactlyItsTotalAndTheResultDoesNotChange()
    {
        var progress = new RecordingProgress();
        var reported = MinNormExperiment.Run(30, 70, 50, new NormalSampler(3), progress);
        var silent = MinNormExperiment.Run(30, 70, 50, new NormalSampler(3));
        Assert.Equal(silent.ErrorFromZero, reported.ErrorFromZero);
        Assert.Equal(silent.ErrorFromRandom, reported.ErrorFromRandom);
        Assert.Equal(silent.L, reported.L);

        Assert.Equal(
            ["min-norm: A A^T", "min-norm: Cholesky factor of A A^T", "min-norm: L by Lanczos", "min-norm: lambda_min+ by Lanczos", "min-norm: gradient descent"],
            progress.Lines.Select(l => l.Description));
        Assert.All(progress.Lines, l => Assert.Equal(l.Total, l.Reported));
        // The Lanczos runs report step by step (at most one step per row of A A^T), gradient descent one unit per step of each run.
        Assert.All(progress.Lines.Where(l => l.Description.Contains("Lanczos")), l =>
        {
            Assert.Equal(30, l.Total);
            Assert.True(l.Reports > 1, $"{l.Description}: {l.Reports} reports");
        });
        var descent = progress.Lines[^1];
        Assert.Equal(100, descent.Total);
        Assert.Equal(100, descent.Reports);
    }
}
