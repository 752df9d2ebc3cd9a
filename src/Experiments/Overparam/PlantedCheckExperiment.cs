using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>The outcome of the problem 2 (a) check: the mean ||y_i||^2 of each fresh mini-batch and the exact expectation.</summary>
/// <param name="Samples">The inputs (one m x D block per batch) and labels (m x n) of the first <see cref="SampledBatches"/> batches, to recompute their averages elsewhere.</param>
public sealed record PlantedCheckResult(ProblemSetting Setting, int BatchSize, double[] MeanSquaredNorms, double Expected, double ExpectedDiagonal,
    (float[] X, float[] Y) Samples)
{
    /// <summary>How many of the first batches <see cref="Samples"/> holds: every batch up to <see cref="PlantedCheckExperiment.KeptSamples"/> samples, and at least one.</summary>
    public int SampledBatches => Samples.Y.Length / (BatchSize * Setting.N);

    /// <summary>The mean over all batches, and its standard error estimated from the batch means.</summary>
    public (double Mean, double StandardError) Overall()
    {
        double mean = MeanSquaredNorms.Average();
        if (MeanSquaredNorms.Length < 2) return (mean, double.NaN);
        double variance = MeanSquaredNorms.Sum(v => (v - mean) * (v - mean)) / (MeanSquaredNorms.Length - 1);
        return (mean, Math.Sqrt(variance / MeanSquaredNorms.Length));
    }
}

/// <summary>
/// Problem 2 (a): with D = 150, r0 = 60, n = 10, draw 10 mini-batches of 50 fresh samples from the planted
/// network and report the average ||y_i||^2 of each, beside the exact expectation for the drawn weights.
/// </summary>
public static class PlantedCheckExperiment
{
    public const int DefaultBatchSize = 50;
    public const int DefaultBatches = 10;

    /// <summary>The most samples a check keeps for its files (the default check's 500 all fit); it keeps at least one batch.</summary>
    public const int KeptSamples = 1000;

    /// <summary>Uses the same streams as the sweeps: the planted weights from split 0 and data from split 1 of <paramref name="root"/>.</summary>
    public static PlantedCheckResult Run(NormalSampler root, ProblemSetting setting, int batchSize, int batches)
    {
        PlantedNetwork planted = SgdSweep.Planted(root, setting);
        var stream = new PlantedStream(planted, root.Split(1), batchSize);
        var means = new double[batches];
        int kept = Math.Clamp(KeptSamples / batchSize, 1, batches);
        float[] x = new float[kept * stream.X.Length], y = new float[kept * stream.Y.Length];
        for (int b = 0; b < batches; b++)
        {
            stream.Next();
            if (b < kept)
            {
                stream.X.CopyTo(x, b * stream.X.Length);
                stream.Y.CopyTo(y, b * stream.Y.Length);
            }
            double sum = 0;
            for (int i = 0; i < batchSize; i++) sum += stream.SquaredNormOfLabel(i);
            means[b] = sum / batchSize;
        }
        var (total, diagonal) = planted.ExpectedSquaredNormTerms();
        return new PlantedCheckResult(setting, batchSize, means, total, diagonal, (x, y));
    }
}
