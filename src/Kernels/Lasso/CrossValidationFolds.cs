using Engine.Kernels.Random;

namespace Engine.Kernels.Lasso;

/// <summary>The assignment of samples to the folds of K-fold cross-validation.</summary>
public static class CrossValidationFolds
{
    /// <summary>
    /// A fold in <c>[0, folds)</c> for each of <paramref name="samples"/> samples, reproducible from
    /// <paramref name="seed"/>: the samples are shuffled (Fisher-Yates on <see cref="NormalSampler"/>'s uniform
    /// integers) and the shuffled order is cut into <paramref name="folds"/> consecutive blocks whose sizes differ by at
    /// most one, the larger ones first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two folds, or more folds than samples.</exception>
    public static int[] Assign(int samples, int folds, ulong seed)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), $"Lasso: cross-validation needs at least 2 folds, got {folds}.");
        if (folds > samples) throw new ArgumentOutOfRangeException(nameof(folds), $"Lasso: {folds} folds for {samples} samples; each fold needs a sample.");
        var order = new int[samples];
        for (int i = 0; i < samples; i++) order[i] = i;
        var random = new NormalSampler(seed);
        for (int i = samples - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var fold = new int[samples];
        int small = samples / folds, large = samples % folds, position = 0;
        for (int f = 0; f < folds; f++)
        {
            int size = small + (f < large ? 1 : 0);
            for (int t = 0; t < size; t++) fold[order[position++]] = f;
        }
        return fold;
    }

    /// <summary>Checks explicit fold ids (as cv.glmnet's <c>foldid</c>): one per sample, each in [0, K), every fold nonempty; returns K.</summary>
    /// <exception cref="ArgumentException">The ids do not have that form.</exception>
    public static int Count(IReadOnlyList<int> foldOf, int samples)
    {
        if (foldOf.Count != samples) throw new ArgumentException($"Lasso: {foldOf.Count} fold ids for {samples} samples.");
        int folds = 0;
        foreach (int f in foldOf)
        {
            if (f < 0) throw new ArgumentException($"Lasso: fold id {f} is negative.");
            folds = Math.Max(folds, f + 1);
        }
        if (folds < 2) throw new ArgumentException("Lasso: cross-validation needs at least 2 folds.");
        var seen = new bool[folds];
        foreach (int f in foldOf) seen[f] = true;
        int empty = Array.IndexOf(seen, false);
        if (empty >= 0) throw new ArgumentException($"Lasso: fold {empty} has no sample (ids must run over 0..{folds - 1}).");
        return folds;
    }
}
