using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>
/// One matrix completion instance of problem 2 (f): a rank-k PSD ground truth <c>Y = W W^T</c> (D x D, row-major)
/// and a symmetric set Omega of observed entries.
/// </summary>
/// <remarks>
/// Y is scaled so that its largest eigenvalue is 1, which makes step sizes comparable across D and k (the loss
/// Hessian near a solution scales with ||Y||_2). Omega is drawn as exactly <c>round(fraction * D (D + 1) / 2)</c>
/// unordered pairs {i, j}, i &lt;= j, uniformly without replacement; diagonal pairs are drawn like any other, and
/// each pair observes both (i, j) and (j, i).
/// </remarks>
public sealed class CompletionInstance
{
    private CompletionInstance(int d, int rank, double fraction, double[] y, bool[] observed, int observedPairs)
    {
        D = d;
        Rank = rank;
        Fraction = fraction;
        Y = y;
        Observed = observed;
        ObservedPairs = observedPairs;
    }

    public int D { get; }
    public int Rank { get; }
    public double Fraction { get; }

    /// <summary>The ground truth, D x D row-major, PSD with rank k and largest eigenvalue 1.</summary>
    public double[] Y { get; }

    /// <summary>The mask of Omega, D x D row-major and symmetric.</summary>
    public bool[] Observed { get; }

    /// <summary>The number of unordered pairs {i, j} in Omega.</summary>
    public int ObservedPairs { get; }

    /// <summary>Draws W (D x k, standard normal) and then Omega from <paramref name="sampler"/>.</summary>
    public static CompletionInstance Draw(int d, int rank, double fraction, NormalSampler sampler) =>
        Draw(d, rank, fraction, sampler, sampler);

    /// <summary>
    /// Draws W from <paramref name="truthSampler"/> and Omega from <paramref name="maskSampler"/>, so that regimes
    /// can share the ground truth and differ only in what is observed.
    /// </summary>
    public static CompletionInstance Draw(int d, int rank, double fraction, NormalSampler truthSampler, NormalSampler maskSampler)
    {
        if (rank < 1 || rank > d) throw new ArgumentOutOfRangeException(nameof(rank), $"The rank must be between 1 and D = {d}.");
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), "The fraction must be in (0, 1].");

        var w = new double[d * rank];
        truthSampler.Fill(w);
        var y = new double[d * d];
        Engine.Kernels.Gemm.Gemm.Multiply(Engine.Kernels.Gemm.Op.None, Engine.Kernels.Gemm.Op.Transpose, d, d, rank,
            1.0, w, rank, w, rank, 0.0, y, d);
        double largest = SymmetricEigenSolver.Of(y, d).Eigenvalues[d - 1];
        for (int k = 0; k < y.Length; k++) y[k] /= largest;
        // Make Y exactly symmetric so that the entries on both sides of Omega agree bit for bit.
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) y[j * d + i] = y[i * d + j];

        int pairs = d * (d + 1) / 2;
        int chosen = Math.Clamp((int)Math.Round(fraction * pairs), 1, pairs);
        var order = new int[pairs];
        for (int p = 0; p < pairs; p++) order[p] = p;
        for (int p = 0; p < chosen; p++)
        {
            int q = p + maskSampler.NextInt(pairs - p);
            (order[p], order[q]) = (order[q], order[p]);
        }
        var observed = new bool[d * d];
        for (int p = 0; p < chosen; p++)
        {
            (int i, int j) = PairAt(order[p]);
            observed[i * d + j] = true;
            observed[j * d + i] = true;
        }
        return new CompletionInstance(d, rank, fraction, y, observed, chosen);
    }

    /// <summary>Pair number p in the row-by-row order of the lower triangle: (0,0), (1,0), (1,1), (2,0), ...</summary>
    private static (int I, int J) PairAt(int p)
    {
        int i = (int)((Math.Sqrt(8.0 * p + 1) - 1) / 2);
        while (i * (i + 1) / 2 > p) i--;
        while ((i + 1) * (i + 2) / 2 <= p) i++;
        return (i, p - i * (i + 1) / 2);
    }
}
