using System.CommandLine;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Experiments.LassoPath;
using Engine.Experiments.Text;
using Engine.Kernels.Lasso;

namespace Engine.Cli.LassoPath;

/// <summary>
/// <c>engine lasso-bench --data FILE.bin</c>: times the coordinate-descent path on a problem written by
/// <c>bench/peers/lasso_compare.py</c> (int64 n, int64 p, X row-major float64, y float64), so the engine and
/// scikit-learn solve the same numbers. The gaps are recomputed from scratch after the timing.
/// </summary>
public sealed class LassoBenchCommand : IEngineCommand
{
    public IEnumerable<Command> Create(CommonOptions common)
    {
        var data = Options.File("--data", "Binary problem file: int64 n, int64 p, X (n x p, row-major float64), y (float64)", required: true);
        var alphas = Options.Int("--n-alphas", 100, "Number of alphas on the grid", max: LassoPathCommand.MaxAlphas);
        var eps = Options.Double("--eps", 1e-3, "Smallest alpha as a fraction of alpha_max", max: 1);
        var tol = Options.Double("--tol", 1e-8, LassoPathCommand.ToleranceHelp, min: LassoPathCommand.MinTolerance, minExclusive: false, max: LassoPathCommand.MaxTolerance);
        var gapsOut = Options.File("--gaps-out", "CSV file for the alphas and the recomputed duality gaps");
        var repeat = Options.Int("--repeat", 1, "Time the path this many times, each on a freshly read problem, and also report the best (the first run includes compiling the solver)", max: 1000);
        var command = new Command("lasso-bench", "Time the coordinate-descent Lasso path on a binary problem file (used by bench/peers/lasso_compare.py)");
        common.AddTo(command, CommonOption.None);
        foreach (var o in new Option[] { data, alphas, eps, tol, gapsOut, repeat }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse);
            string? csv = parse.GetValue(gapsOut);
            // Writing the gaps over the problem file would destroy the input the timing was made on.
            if (csv is not null && string.Equals(Path.GetFullPath(csv), Path.GetFullPath(parse.GetValue(data)!), StringComparison.Ordinal))
                throw new UsageException($"--gaps-out '{csv}' is the --data file; choose another name so the problem is not overwritten.");
            var problem = Read(parse.GetValue(data)!);
            if (problem.AlphaMax == 0) throw new UsageException(LassoProblem.ZeroModelSentence);
            var (path, seconds, cpuSeconds, gaps) = LassoPathExperiment.Time(problem, parse.GetValue(alphas), parse.GetValue(eps), parse.GetValue(tol));
            double bestSeconds = seconds, bestCpu = cpuSeconds;
            for (int k = 1; k < parse.GetValue(repeat); k++)
            {
                // A fresh problem each time: the first path caches the Gram matrix and the int8 copy of X on its
                // problem, and a repeat that found them built would leave their cost out of the time.
                var again = LassoPathExperiment.Time(Read(parse.GetValue(data)!), parse.GetValue(alphas), parse.GetValue(eps), parse.GetValue(tol));
                bestSeconds = Math.Min(bestSeconds, again.Seconds);
                bestCpu = Math.Min(bestCpu, again.CpuSeconds);
            }
            if (csv is not null) Csv.WriteColumns(csv, ["alpha", "duality_gap"], [path.Alphas, gaps]);
            ctx.Out.WriteLine(ReportFormat.Invariant(
                $"seconds={seconds:R} cpu_seconds={cpuSeconds:R} best_seconds={bestSeconds:R} best_cpu_seconds={bestCpu:R} n={problem.Samples} p={problem.Features} largest_gap={gaps.Max():0.000e+0} gap_bound={parse.GetValue(tol) * problem.YNormSquared:0.000e+0} epochs={path.Epochs.Sum()} nonzero_at_end={path.Coefficients[^1].Count(v => v != 0)}"));
            double bound = parse.GetValue(tol) * problem.YNormSquared;
            int notConverged = gaps.Count(g => !(g <= bound));
            if (notConverged > 0)
                ctx.Out.WriteLine($"NOT converged at {notConverged} of {CountText.Of(gaps.Length, "alpha")}: the recomputed duality gap is above gap_bound or not finite there, so the timings are of unfinished paths.");
            return 0;
        });
        return [command];
    }

    private static LassoProblem Read(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"data file '{path}' is a directory, not a file.");
        if (!File.Exists(path)) throw new UsageException($"data file '{path}' does not exist.");
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            long length = reader.BaseStream.Length;
            if (length < 16) throw new UsageException($"{path}: too short for the n, p header.");
            long n = reader.ReadInt64(), p = reader.ReadInt64();
            if (n < 1 || p < 1)
                throw new UsageException(string.Create(ReportFormat.Provider, $"{path}: header says {n} x {p}; a problem needs at least one sample and one feature."));
            // Compared by division so that no product of two header values can overflow.
            if (p > Array.MaxLength / n || length != 16 + 8 * (n * p + n))
                throw new UsageException(string.Create(ReportFormat.Provider, $"{path}: header says {n} x {p}, which does not match the file's {length} bytes."));
            var x = new double[n * p];
            var y = new double[n];
            for (long i = 0; i < n * p; i++) x[i] = reader.ReadDouble();
            for (long i = 0; i < n; i++) y[i] = reader.ReadDouble();
            int bad = Array.FindIndex(x, v => !double.IsFinite(v));
            if (bad >= 0)
                throw new UsageException(string.Create(ReportFormat.Provider, $"{path}: X[{bad / p}, {bad % p}] = {x[bad]} is not a finite number."));
            bad = Array.FindIndex(y, v => !double.IsFinite(v));
            if (bad >= 0)
                throw new UsageException(string.Create(ReportFormat.Provider, $"{path}: y[{bad}] = {y[bad]} is not a finite number."));
            try { return LassoProblem.FromRowMajor(x, (int)n, (int)p, y); }
            catch (ArgumentException e) { throw new UsageException($"{path}: {e.Message}"); }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UsageException($"cannot read '{path}': {ReadFailure.Reason(e)}."); }
    }
}
