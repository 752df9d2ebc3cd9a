using Engine.Kernels.Random;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Kernels.Linalg;

/// <summary>The shapes of symmetric matrix the eigensolver must handle, each a known hard or degenerate case.</summary>
public enum SymmetricKind
{
    /// <summary>(G + G^T) / 2 with Gaussian G: a generic, well separated spectrum.</summary>
    Gaussian,
    /// <summary>Q0 diag(w0) Q0^T with w0 drawn from three values, so eigenvalues repeat with high multiplicity.</summary>
    RepeatedSpectrum,
    /// <summary>Q0 diag(w0) Q0^T with distinct random eigenvalues spread over several decades, some negative.</summary>
    KnownSpectrum,
    /// <summary>W W^T with W of rank below n: a PSD matrix with a cluster of zero eigenvalues.</summary>
    RankDeficient,
    /// <summary>A diagonal matrix (already reduced; the eigenvectors are a permutation).</summary>
    Diagonal,
    /// <summary>The zero matrix.</summary>
    Zero,
    /// <summary>A Gaussian matrix scaled by 1e-150 or 1e150, where squares of entries would under- or overflow.</summary>
    ExtremeScale,
}

/// <summary>One generated test matrix: its kind, order and seed; <see cref="Build"/> makes it reproducibly.</summary>
public sealed record SymmetricCase(SymmetricKind Kind, int N, ulong Seed)
{
    /// <summary>The row-major matrix and, when known by construction, its eigenvalues in ascending order.</summary>
    public (double[] S, double[]? Spectrum) Build()
    {
        int n = N;
        var sampler = new NormalSampler(Seed, (ulong)Kind);
        var s = new double[n * n];
        switch (Kind)
        {
            case SymmetricKind.Gaussian:
            case SymmetricKind.ExtremeScale:
            {
                var g = new double[n * n];
                sampler.Fill(g);
                double scale = Kind == SymmetricKind.ExtremeScale ? (Seed % 2 == 0 ? 1e-150 : 1e150) : 1;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        s[i * n + j] = scale * 0.5 * (g[i * n + j] + g[j * n + i]);
                return (s, null);
            }
            case SymmetricKind.RepeatedSpectrum:
            case SymmetricKind.KnownSpectrum:
            {
                var w = new double[n];
                double[] levels = [-1.5, 0.25, 2];
                for (int i = 0; i < n; i++)
                {
                    w[i] = Kind == SymmetricKind.RepeatedSpectrum
                        ? levels[sampler.NextInt(levels.Length)]
                        : (sampler.NextDouble() < 0.3 ? -1 : 1) * Math.Pow(10, 4 * sampler.NextDouble() - 2);
                }
                double[] q = RandomOrthogonal(n, sampler);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0;
                        for (int k = 0; k < n; k++) sum += q[i * n + k] * w[k] * q[j * n + k];
                        s[i * n + j] = sum;
                    }
                Array.Sort(w);
                return (s, w);
            }
            case SymmetricKind.RankDeficient:
            {
                int rank = n / 3;
                var wf = new double[n * rank];
                sampler.Fill(wf);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0;
                        for (int k = 0; k < rank; k++) sum += wf[i * rank + k] * wf[j * rank + k];
                        s[i * n + j] = sum;
                    }
                return (s, null);
            }
            case SymmetricKind.Diagonal:
            {
                var w = new double[n];
                for (int i = 0; i < n; i++)
                {
                    // Every third entry repeats an earlier one, so ties are exercised too.
                    w[i] = i % 3 == 2 ? w[i - 1] : sampler.NextNormal();
                    s[i * n + i] = w[i];
                }
                Array.Sort(w);
                return (s, w);
            }
            case SymmetricKind.Zero:
                return (s, new double[n]);
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind));
        }
    }

    /// <summary>A random orthogonal matrix as a product of n Householder reflections with Gaussian vectors.</summary>
    public static double[] RandomOrthogonal(int n, NormalSampler sampler)
    {
        var q = new double[n * n];
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        var v = new double[n];
        var u = new double[n];
        for (int r = 0; r < n; r++)
        {
            sampler.Fill(v);
            double vv = 0;
            foreach (double x in v) vv += x * x;
            if (vv == 0) continue;
            // q <- q (I - 2 v v^T / v^T v)
            for (int i = 0; i < n; i++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += q[i * n + k] * v[k];
                u[i] = 2 * dot / vv;
            }
            for (int i = 0; i < n; i++)
                for (int k = 0; k < n; k++) q[i * n + k] -= u[i] * v[k];
        }
        return q;
    }
}

/// <summary>FsCheck generators for <see cref="SymmetricCase"/>: every kind, orders 0 to 48 biased to small ones.</summary>
public static class SymmetricCaseArbitrary
{
    public static Arbitrary<SymmetricCase> Cases() =>
        (from kind in Gen.Elements(Enum.GetValues<SymmetricKind>())
         from n in Gen.Frequency((2, Gen.Choose(0, 4)), (3, Gen.Choose(5, 20)), (1, Gen.Choose(21, 48)))
         from seed in Gen.Choose(0, int.MaxValue)
         select new SymmetricCase(kind, n, (ulong)seed)).ToArbitrary();
}
