using Engine.Kernels.Linalg;

namespace Engine.Experiments.MatrixCompletion;

/// <summary>
/// The spectral quantities the experiment compares: the nuclear norm (sum of |eigenvalues| of a symmetric matrix)
/// and the effective rank, defined as the number of eigenvalues above <see cref="RankThreshold"/> times the largest.
/// </summary>
public sealed record SpectralSummary(double NuclearNorm, int EffectiveRank, double LargestEigenvalue)
{
    /// <summary>Eigenvalues below this fraction of the largest do not count towards the effective rank.</summary>
    public const double RankThreshold = 1e-3;

    /// <summary>The summary of a matrix that holds NaN or infinity (a diverged run): every number undefined, rank 0.</summary>
    public static SpectralSummary Undefined { get; } = new(double.NaN, 0, double.NaN);

    /// <summary>The summary of <paramref name="x"/>, or <see cref="Undefined"/> when it is not finite (the eigensolver rejects it).</summary>
    public static SpectralSummary OfOrUndefined(ReadOnlySpan<double> x, int n)
    {
        foreach (double v in x)
            if (!double.IsFinite(v)) return Undefined;
        return Of(x, n);
    }

    public static SpectralSummary Of(ReadOnlySpan<double> x, int n)
    {
        double[] w = SymmetricEigenSolver.Of(x, n).Eigenvalues;
        double nuclear = 0, largest = 0;
        foreach (double v in w)
        {
            nuclear += Math.Abs(v);
            largest = Math.Max(largest, Math.Abs(v));
        }
        int rank = 0;
        foreach (double v in w) if (Math.Abs(v) > RankThreshold * largest) rank++;
        return new SpectralSummary(nuclear, rank, largest);
    }
}

/// <summary>Frobenius distances restricted to all entries, or to the unobserved ones.</summary>
public static class MatrixDistance
{
    /// <summary><c>||A - B||_F / ||B||_F</c> (NaN when B is zero).</summary>
    public static double Relative(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double diff = 0, norm = 0;
        for (int k = 0; k < a.Length; k++)
        {
            double e = a[k] - b[k];
            diff += e * e;
            norm += b[k] * b[k];
        }
        return norm > 0 ? Math.Sqrt(diff / norm) : double.NaN;
    }

    /// <summary><c>||P_Omega^c(A - B)||_F / ||P_Omega^c(B)||_F</c>: the error on the entries that were not observed.</summary>
    public static double RelativeOnUnobserved(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<bool> observed) =>
        RelativeWhere(a, b, observed, onObserved: false);

    /// <summary><c>||P_Omega(A - B)||_F / ||P_Omega(B)||_F</c>: the misfit on the observed entries.</summary>
    public static double RelativeOnObserved(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<bool> observed) =>
        RelativeWhere(a, b, observed, onObserved: true);

    private static double RelativeWhere(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<bool> observed, bool onObserved)
    {
        double diff = 0, norm = 0;
        for (int k = 0; k < a.Length; k++)
        {
            if (observed[k] != onObserved) continue;
            double e = a[k] - b[k];
            diff += e * e;
            norm += b[k] * b[k];
        }
        return norm > 0 ? Math.Sqrt(diff / norm) : double.NaN;
    }
}
