using System.Globalization;
using Engine.Cli.CommandLine;
using Engine.Experiments.Overparam;
using Engine.Experiments.Text;

namespace Engine.Cli.Overparam;

/// <summary>
/// Rejects, before anything is allocated, problem sizes whose buffers can not exist: an array longer than .NET
/// allows (products of sizes that overflow int), or buffers adding up to more than <see cref="MaxBytes"/>.
/// </summary>
/// <remarks>
/// Sizes are multiplied in double, which can not overflow, and every buffer a command keeps alive at once is
/// counted: the planted network and its Gram matrices, the sample stream, the shared chunks of a sweep and, for
/// every run of a sweep (they all train side by side), its network, SGD buffers and per-epoch objectives.
/// A run that is merely long is not rejected: only what can not fit in memory.
/// </remarks>
public static class OverparamLimits
{
    /// <summary>The most buffer memory a command may ask for; far above any sensible setting, below what the machine can hold.</summary>
    public const double MaxBytes = 4.0 * (1L << 30);

    private const string ProblemSizes = "--dim, --outputs, --r0, --batch-size";

    /// <summary>Checks <c>planted-check</c>: the planted network, one stream of <c>setting.Batch</c> samples and <paramref name="batches"/> means.</summary>
    public static void CheckPlantedCheck(ProblemSetting setting, int batches)
    {
        var budget = new Budget();
        AddProblem(budget, setting);
        budget.Add("the batch means", batches, sizeof(double), "--batches");
        budget.Check(ProblemSizes + ", --batches");
    }

    /// <summary>
    /// Checks step sizes for SGD, which runs in single precision: each must be a positive finite number there, and no
    /// two the same there (0.1 and 0.1000000000000001 would be two runs of the same curve under two names).
    /// </summary>
    public static void CheckStepSizes(IReadOnlyList<double> etas, string option)
    {
        for (int i = 0; i < etas.Count; i++)
        {
            float single = (float)etas[i];
            if (single == 0 || !float.IsFinite(single))
                throw new UsageException($"{option}: {Options.Format(etas[i])} is {(single == 0 ? "0" : "infinite")} in single precision, in which SGD runs: "
                    + $"give step sizes from {Options.Format(float.Epsilon)} to {Options.Format(float.MaxValue)}.");
            int same = Enumerable.Range(0, i).FirstOrDefault(k => (float)etas[k] == single, -1);
            if (same >= 0)
                throw new UsageException($"{option}: {etas[same].ToString("R", CultureInfo.InvariantCulture)} and {etas[i].ToString("R", CultureInfo.InvariantCulture)} are the same step size in single precision, in which SGD runs: give each once.");
        }
    }

    /// <summary>Checks one sweep: every run of width r in <paramref name="widths"/> trains at once for <paramref name="epochs"/> epochs.</summary>
    public static void CheckSweep(ProblemSetting setting, IReadOnlyList<int> widths, int epochs, string epochsOption, string widthOption)
    {
        var budget = new Budget();
        AddProblem(budget, setting);
        double m = setting.Batch, d = setting.D, n = setting.N, chunks = SgdSweep.BufferedBatches(setting.Batch, setting.D, setting.N);
        budget.Add("the shared input chunks", chunks * m * d, sizeof(float), "--batch-size, --dim");
        budget.Add("the shared label chunks", chunks * m * n, sizeof(float), "--batch-size, --outputs");
        foreach (int r in widths)
        {
            budget.Add("the weights V", d * r, sizeof(float), $"--dim, {widthOption}");
            budget.Add("the weights U", n * r, sizeof(float), $"--outputs, {widthOption}");
            budget.Add("the hidden activations", m * r, sizeof(float), $"--batch-size, {widthOption}");
            budget.Add("the hidden gradients", m * r, sizeof(float), $"--batch-size, {widthOption}");
            budget.Add("the residuals", m * n, sizeof(float), "--batch-size, --outputs");
            budget.Add("the per-epoch objectives", epochs, sizeof(double), epochsOption);
        }
        budget.Check($"{ProblemSizes}, {widthOption}, {epochsOption} or the number of runs");
    }

    private static void AddProblem(Budget budget, ProblemSetting s)
    {
        double d = s.D, n = s.N, r0 = s.R0, m = s.Batch;
        budget.Add("the planted weights V0", d * r0, sizeof(float), "--dim, --r0");
        budget.Add("the planted weights U0", n * r0, sizeof(float), "--outputs, --r0");
        budget.Add("the planted Gram matrices", r0 * r0, 2 * sizeof(double), "--r0");
        budget.Add("the sampled inputs", m * d, sizeof(float), "--batch-size, --dim");
        budget.Add("the sampled labels", m * n, sizeof(float), "--batch-size, --outputs");
        budget.Add("the planted hidden layer", m * r0, sizeof(float), "--batch-size, --r0");
    }

    private sealed class Budget
    {
        private double _bytes;

        public void Add(string buffer, double elements, int bytesPerElement, string options)
        {
            if (elements > Array.MaxLength)
                throw new UsageException(string.Create(ReportFormat.Provider,
                    $"{buffer} would need {elements:G3} elements, more than an array can hold ({Array.MaxLength}); reduce {options}."));
            _bytes += elements * bytesPerElement;
        }

        public void Check(string options)
        {
            if (_bytes > MaxBytes)
                throw new UsageException(string.Create(ReportFormat.Provider,
                    $"these sizes need {_bytes / (1L << 30):G3} GiB of buffers, more than the {MaxBytes / (1L << 30):G3} GiB allowed; reduce {options}."));
        }
    }
}
