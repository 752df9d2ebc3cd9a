using System.Globalization;
using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;
using Engine.Experiments.Overparam;
using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Cli.Tests.Overparam;

/// <summary>
/// The sweeps write what it takes to replay their first steps: a plain trainer here, written from the homework's formulas
/// in double precision and reading nothing but the written files, takes the same steps and finds the same mini-batch
/// objectives. A wrong initial weight, batch, order or step size in the files changes them by far more than float rounding.
/// </summary>
public sealed class SweepReplayTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("sweep-replay");
    private readonly string _dir;

    public SweepReplayTests() => _dir = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private const int D = 12, R0 = 3, N = 2, M = 4;

    [Fact]
    public void EveryRunOfBothSweepsReplaysFromItsFiles()
    {
        // 10 steps an epoch, 60 steps in all: the recorded first steps span six epochs and the diverging run stops early.
        Assert.Equal(0, EntryPoint.Run(["width-sweep", "--dim", $"{D}", "--r0", $"{R0}", "--outputs", $"{N}", "--batch-size", $"{M}",
            "--epoch-size", "40", "--epochs", "6", "--widths", "1,2", "--lrs", "0.01,0.03,1000", "--lr-sweep-epochs", "6",
            "--lr-sweep-width", "2", "--quiet", "--threads", "1", "--out", _dir], TextWriter.Null, TextWriter.Null));
        string folder = Path.Combine(_dir, OverparamCommand.Name);
        foreach (string result in new[] { OverparamFiles.LearningRate, OverparamFiles.Width })
        {
            var (x, y) = Batches(Path.Combine(folder, OverparamFiles.BatchesCsv(result)));
            Assert.Equal(SgdRun.RecordedSteps, x.Count);
            var runs = File.ReadAllLines(Path.Combine(folder, OverparamFiles.FirstStepsCsv(result))).Skip(1).Select(l => l.Split(','))
                .GroupBy(f => (R: int.Parse(f[0], CultureInfo.InvariantCulture), Eta: double.Parse(f[1], CultureInfo.InvariantCulture)))
                .ToList();
            Assert.Equal(result == OverparamFiles.LearningRate ? 3 : 2, runs.Count);
            foreach (var run in runs)
            {
                double[] written = run.Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToArray();
                double[,] u = Matrix(Path.Combine(folder, OverparamFiles.InitialUCsv(result, run.Key.R)), N, run.Key.R);
                double[,] v = Matrix(Path.Combine(folder, OverparamFiles.InitialVCsv(result, run.Key.R)), D, run.Key.R);
                double[] replayed = Replay(u, v, run.Key.R, (float)run.Key.Eta, x, y, written.Length);
                for (int k = 0; k < written.Length; k++)
                    Assert.True(Math.Abs(replayed[k] - written[k]) <= 1e-4 * Math.Abs(written[k]),
                        $"{result} r = {run.Key.R}, eta = {run.Key.Eta}, step {k + 1}: written {written[k]}, replayed {replayed[k]}");
                if (run.Key.Eta == 1000)
                {
                    Assert.True(written.Length < SgdRun.RecordedSteps, "the diverging run stops before the last recorded step");
                    // The summary's step counted from the run's start is the numbering of the first steps: the last one written
                    // (a rise past the 1e6-fold limit is finite) or the one after it (an objective that is not finite is not written).
                    string[] summary = File.ReadAllLines(Path.Combine(folder, OverparamFiles.LearningRateSummaryCsv));
                    string[] head = summary[0].Split(',');
                    string[] row = summary.Skip(1).Select(l => l.Split(',')).Single(f => f[Array.IndexOf(head, "eta")] == "1000");
                    long runStep = long.Parse(row[Array.IndexOf(head, "diverged_at_run_step")], CultureInfo.InvariantCulture);
                    Assert.Equal(row[Array.IndexOf(head, "divergence_cause")].Contains("limit 1e6-fold") ? written.Length : written.Length + 1, runStep);
                }
                else Assert.Equal(SgdRun.RecordedSteps, written.Length);
            }
        }
    }

    [Fact]
    public void ALargeBatchKeepsFewerStepsSoTheBatchesStayAFewMegabytes()
    {
        // 500 samples' worth: two steps of 300 (one would hold fewer than 500).
        Assert.Equal(0, EntryPoint.Run(["lr-sweep", "--dim", $"{D}", "--r0", $"{R0}", "--outputs", $"{N}", "--batch-size", "300",
            "--epoch-size", "3000", "--epochs", "1", "--lrs", "0.01", "--quiet", "--threads", "1", "--out", _dir], TextWriter.Null, TextWriter.Null));
        string folder = Path.Combine(_dir, OverparamCommand.Name);
        Assert.Equal(2, SgdSweep.ReplaySteps(300));
        Assert.Equal(1 + 2 * 300, File.ReadAllLines(Path.Combine(folder, OverparamFiles.BatchesCsv(OverparamFiles.LearningRate))).Length);
        var (x, y) = Batches(Path.Combine(folder, OverparamFiles.BatchesCsv(OverparamFiles.LearningRate)), 300);
        double[] written = File.ReadAllLines(Path.Combine(folder, OverparamFiles.FirstStepsCsv(OverparamFiles.LearningRate))).Skip(1)
            .Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, written.Length);
        double[] replayed = Replay(Matrix(Path.Combine(folder, OverparamFiles.InitialUCsv(OverparamFiles.LearningRate, 2 * R0)), N, 2 * R0),
            Matrix(Path.Combine(folder, OverparamFiles.InitialVCsv(OverparamFiles.LearningRate, 2 * R0)), D, 2 * R0), 2 * R0, 0.01f, x, y, 2, 300);
        for (int k = 0; k < 2; k++) Assert.Equal(written[k], replayed[k], 1e-4 * written[k]);
    }

    [Theory]
    [InlineData("10", 10)] // every batch kept
    [InlineData("400", 250)] // 1,000 samples kept: the first 250 batches of 4
    public void PlantedCheckSamplesGiveItsBatchAveragesAndAreLabelledByThePlantedNetwork(string batches, int kept)
    {
        var output = new StringWriter();
        Assert.Equal(0, EntryPoint.Run(["planted-check", "--dim", $"{D}", "--r0", $"{R0}", "--outputs", $"{N}", "--batch-size", $"{M}",
            "--batches", batches, "--out", _dir], TextWriter.Null, output));
        string folder = Path.Combine(_dir, OverparamCommand.Name);
        var (x, y) = Batches(Path.Combine(folder, OverparamFiles.PlantedCheckSamplesCsv));
        Assert.Equal(kept, x.Count);
        Assert.Contains(kept == int.Parse(batches, CultureInfo.InvariantCulture) ? "The samples of every batch are in" : $"The samples of the first {kept} of the {batches} batches", output.ToString());
        double[] means = File.ReadAllLines(Path.Combine(folder, OverparamFiles.PlantedCheckCsv)).Skip(1)
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var u0 = Planted(Path.Combine(folder, OverparamFiles.U0Csv(OverparamFiles.PlantedCheck)), N);
        var v0 = Planted(Path.Combine(folder, OverparamFiles.V0Csv(OverparamFiles.PlantedCheck)), D);
        for (int b = 0; b < kept; b++)
        {
            double sum = 0;
            for (int i = 0; i < M; i++)
                for (int o = 0; o < N; o++)
                {
                    double label = 0;
                    for (int j = 0; j < R0; j++)
                    {
                        double z = 0;
                        for (int p = 0; p < D; p++) z += x[b][i, p] * v0[p, j];
                        label += u0[o, j] * Math.Max(0, z);
                    }
                    Assert.Equal(label, y[b][i, o], 1e-5);
                    sum += y[b][i, o] * y[b][i, o];
                }
            Assert.Equal(means[b], sum / M, 1e-9);
        }
        // The summary holds the exact expectation the console prints.
        string[] summary = File.ReadAllLines(Path.Combine(folder, OverparamFiles.PlantedCheckSummaryCsv));
        double expected = double.Parse(summary[1].Split(',')[Array.IndexOf(summary[0].Split(','), "exact_expectation")], CultureInfo.InvariantCulture);
        Assert.Contains($"Analytic E||y||^2 for these planted weights = {OverparamFiles.F(expected)} ", output.ToString());
    }

    [Fact]
    public void EveryRunOfTheBonusStudyAndOfItsInnerSweepsReplaysFromItsFilesWithItsOptimizerAndParameterization()
    {
        var problem = new ProblemSetting(D: D, N: N, R0: R0, Batch: M, EpochSize: 40);
        var plan = new LivniBonusPlan(
        [
            LivniBonusPlan.Homework(3) with { Eta = 0.02, Batch = M },
            new BonusSetting("momentum", OptimizerKind.Momentum, Parameterization.Standard, 1, 0.005, WidthRule.Constant, M, 3),
            new BonusSetting("adam-ntk", OptimizerKind.Adam, Parameterization.Ntk, 1, 0.003, WidthRule.Constant, 8, 3),
            new BonusSetting("mean-field", OptimizerKind.Sgd, Parameterization.MeanField, 0.5, 0.3, WidthRule.ProportionalToWidth, M, 3),
            new BonusSetting("ntk-tuned", OptimizerKind.Sgd, Parameterization.Ntk, 1, 0.01, WidthRule.Tuned, M, 3),
        ], Seeds: 2, Multiples: [1, 2], TuningFactors: [0.5, 2], TuningEpochs: 2, NearZeroFraction: 0.5, Problem: problem);
        var ctx = new RunContext(_dir, seed: 5, threads: 2, quiet: true, output: TextWriter.Null);
        ctx.PrepareOutput();
        LivniBonusCommand.Write(ctx, LivniBonusExperiment.Run(ctx.Experiment, plan));
        // 5 settings x 2 seeds x 2 widths, 30 steps each (3 epochs of 10), 15 at the batch of 8.
        AssertEveryRunReplays(LivniBonusCommand.FirstStepsCsv, 20, 30, 15, seeded: true);
        // The inner sweep of the tuned setting: 2 candidate etas x 2 widths, 20 steps each (2 epochs of 10).
        AssertEveryRunReplays(LivniBonusCommand.TuningFirstStepsCsv, 4, 20, 20, seeded: false);
    }

    /// <summary>
    /// Replays every run of a first-steps file of the bonus study from the initial weights and batches it names (a
    /// seed's, or the tuning seed's when <paramref name="seeded"/> is false) and compares its objectives.
    /// </summary>
    private void AssertEveryRunReplays(string file, int runCount, int steps, int stepsAtBatch8, bool seeded)
    {
        string[] lines = File.ReadAllLines(Path.Combine(_dir, file));
        string[] header = lines[0].Split(',');
        string Field(string[] f, string name) => f[Array.IndexOf(header, name)];
        var runs = lines.Skip(1).Select(l => l.Split(',')).GroupBy(f => string.Join(',', f.Take(Array.IndexOf(header, "step")))).ToList();
        Assert.Equal(runCount, runs.Count);
        foreach (var run in runs)
        {
            string[] f = run.First();
            string source = seeded ? "seed" + Field(f, "seed") : LivniBonusCommand.TuningSource;
            int r = int.Parse(Field(f, "r"), CultureInfo.InvariantCulture), batch = int.Parse(Field(f, "batch"), CultureInfo.InvariantCulture);
            var parameterization = Enum.GetValues<Parameterization>().Single(p => p.Name() == Field(f, "parameterization"));
            double initScale = double.Parse(Field(f, "init_scale"), CultureInfo.InvariantCulture);
            var (x, y) = Batches(Path.Combine(_dir, LivniBonusCommand.BatchesCsv(source, batch)), batch);
            double[] written = run.Select(g => double.Parse(Field(g, "batch_objective"), CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(batch == M ? steps : stepsAtBatch8, written.Length);
            double[] replayed = Replay(Matrix(Path.Combine(_dir, LivniBonusCommand.InitialCsv(source, parameterization, initScale, r, "U")), N, r),
                Matrix(Path.Combine(_dir, LivniBonusCommand.InitialCsv(source, parameterization, initScale, r, "V")), D, r), r,
                float.Parse(Field(f, "eta"), CultureInfo.InvariantCulture), x, y, written.Length, batch,
                double.Parse(Field(f, "output_scale"), CultureInfo.InvariantCulture), Field(f, "optimizer"));
            for (int k = 0; k < written.Length; k++)
                Assert.True(Math.Abs(replayed[k] - written[k]) <= 1e-4 * Math.Abs(written[k]),
                    $"{file}, {run.Key}, step {k + 1}: written {written[k]}, replayed {replayed[k]}");
        }
    }

    /// <summary>
    /// Plain SGD on (1 / 2m) sum_i ||y_i - U relu(V^T x_i)||^2 from U (n x r) and V (D x r): the objective before each step,
    /// then U -= eta dU and V -= eta dV with the gradients at the same weights.
    /// </summary>
    private static double[] Replay(double[,] u0, double[,] v0, int r, float eta, List<double[,]> x, List<double[,]> y, int steps,
        int m = M, double alpha = 1, string optimizer = "sgd")
    {
        var (u, v) = ((double[,])u0.Clone(), (double[,])v0.Clone());
        var update = new Update(optimizer, eta);
        var objectives = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            var (du, dv) = (new double[N, r], new double[D, r]);
            for (int i = 0; i < m; i++)
            {
                var z = new double[r];
                for (int j = 0; j < r; j++)
                    for (int p = 0; p < D; p++) z[j] += x[k][i, p] * v[p, j];
                var e = new double[N];
                for (int o = 0; o < N; o++)
                {
                    double f = 0;
                    for (int j = 0; j < r; j++) f += u[o, j] * Math.Max(0, z[j]);
                    e[o] = alpha * f - y[k][i, o];
                    objectives[k] += e[o] * e[o] / (2.0 * m);
                }
                for (int j = 0; j < r; j++)
                {
                    double back = 0;
                    for (int o = 0; o < N; o++)
                    {
                        du[o, j] += alpha * e[o] * Math.Max(0, z[j]) / m;
                        back += alpha * e[o] * u[o, j];
                    }
                    if (z[j] > 0)
                        for (int p = 0; p < D; p++) dv[p, j] += x[k][i, p] * back / m;
                }
            }
            update.Apply(u, du, 0, k + 1);
            update.Apply(v, dv, 1, k + 1);
        }
        return objectives;
    }

    /// <summary>
    /// The optimizers as torch.optim states them: SGD p -= eta g; momentum b = 0.9 b + g (b = g at the first step), p -= eta b;
    /// Adam m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2, p -= eta (m / (1 - 0.9^t)) / (sqrt(v / (1 - 0.999^t)) + 1e-8).
    /// </summary>
    private sealed class Update(string optimizer, double eta)
    {
        private readonly double[]?[] _first = new double[2][], _second = new double[2][];

        public void Apply(double[,] p, double[,] g, int block, int t)
        {
            int rows = p.GetLength(0), cols = p.GetLength(1);
            double[] first = _first[block] ??= new double[rows * cols], second = _second[block] ??= new double[rows * cols];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    int at = i * cols + j;
                    double gij = g[i, j];
                    switch (optimizer)
                    {
                        case "sgd": p[i, j] -= eta * gij; break;
                        case "momentum":
                            first[at] = 0.9 * first[at] + gij;
                            p[i, j] -= eta * first[at];
                            break;
                        case "adam":
                            first[at] = 0.9 * first[at] + 0.1 * gij;
                            second[at] = 0.999 * second[at] + 0.001 * gij * gij;
                            p[i, j] -= eta * (first[at] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(second[at] / (1 - Math.Pow(0.999, t))) + 1e-8);
                            break;
                        default: throw new ArgumentException($"no replay for the optimizer '{optimizer}'");
                    }
                }
        }
    }

    private static (List<double[,]> X, List<double[,]> Y) Batches(string path, int m = M)
    {
        var (xs, ys) = (new List<double[,]>(), new List<double[,]>());
        foreach (string line in File.ReadAllLines(path).Skip(1))
        {
            double[] f = line.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            int step = (int)f[0], sample = (int)f[1];
            while (xs.Count < step) { xs.Add(new double[m, D]); ys.Add(new double[m, N]); }
            for (int p = 0; p < D; p++) xs[step - 1][sample, p] = f[2 + p];
            for (int o = 0; o < N; o++) ys[step - 1][sample, o] = f[2 + D + o];
        }
        return (xs, ys);
    }

    private static double[,] Matrix(string path, int rows, int cols) => Output.MatrixFile.Read(path, rows, cols);

    /// <summary>The planted network's matrix of <paramref name="rows"/> rows and r0 columns from its <c>row,col,value</c> file.</summary>
    private static double[,] Planted(string path, int rows)
    {
        var w = new double[rows, R0];
        foreach (string line in File.ReadAllLines(path).Skip(1))
        {
            string[] f = line.Split(',');
            w[int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture)] = double.Parse(f[2], CultureInfo.InvariantCulture);
        }
        return w;
    }
}
