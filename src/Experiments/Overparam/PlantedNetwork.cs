using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// Homework 2, problem 2 (a): the planted single-hidden-layer ReLU network y = U0 relu(V0^T x) that generates
/// the synthetic data, with U0 (n x r0) entries N(0, 1/r0) and V0 (D x r0) entries N(0, 1/D).
/// </summary>
/// <remarks>Matrices are row-major: U0[i, j] = U0[i * r0 + j], V0[d, j] = V0[d * r0 + j].</remarks>
public sealed class PlantedNetwork
{
    private PlantedNetwork(int d, int r0, int n, float[] u0, float[] v0)
    {
        D = d;
        R0 = r0;
        N = n;
        U0 = u0;
        V0 = v0;
    }

    /// <summary>The input dimension.</summary>
    public int D { get; }

    /// <summary>The planted hidden width.</summary>
    public int R0 { get; }

    /// <summary>The output dimension.</summary>
    public int N { get; }

    /// <summary>The planted output weights, n x r0 row-major.</summary>
    public float[] U0 { get; }

    /// <summary>The planted input weights, D x r0 row-major.</summary>
    public float[] V0 { get; }

    /// <summary>Draws the planted weights from <paramref name="sampler"/>: first U0, then V0.</summary>
    public static PlantedNetwork Draw(NormalSampler sampler, int d, int r0, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(r0, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var u0 = new float[n * r0];
        var v0 = new float[d * r0];
        sampler.Fill(u0, 0f, (float)Math.Sqrt(1.0 / r0));
        sampler.Fill(v0, 0f, (float)Math.Sqrt(1.0 / d));
        return new PlantedNetwork(d, r0, n, u0, v0);
    }

    /// <summary>
    /// The exact expectation of ||y||^2 over x ~ N(0, I) for these planted weights.
    /// </summary>
    /// <remarks>
    /// With h = relu(V0^T x), ||y||^2 = sum_{j,k} (u_j . u_k) h_j h_k, where u_j is column j of U0 and v_j column j
    /// of V0. The pair (v_j^T x, v_k^T x) is Gaussian with standard deviations ||v_j||, ||v_k|| and correlation
    /// cos(theta_jk), and for such a pair E[relu(a) relu(b)] = ||v_j|| ||v_k|| (sin theta + (pi - theta) cos theta) / (2 pi)
    /// (the degree-one arc-cosine kernel: integrate over the wedge where both are positive in polar coordinates).
    /// The diagonal terms (theta = 0) reduce to ||u_j||^2 ||v_j||^2 / 2; the off-diagonal ones do not vanish for
    /// fixed weights because relu outputs are positive and correlated, so both are kept.
    /// </remarks>
    public double ExpectedSquaredNorm() => ExpectedSquaredNormTerms().Total;

    /// <summary>
    /// The exact E||y||^2 split into its diagonal part sum_j ||u_j||^2 ||v_j||^2 / 2 and the rest (pairs j != k).
    /// Averaged over the planted weights too, the off-diagonal part is zero and the total is n / 2.
    /// </summary>
    public (double Total, double Diagonal) ExpectedSquaredNormTerms()
    {
        var gram = new double[R0 * R0];   // u_j . u_k
        var vgram = new double[R0 * R0];  // v_j . v_k
        for (int j = 0; j < R0; j++)
        {
            for (int k = 0; k < R0; k++)
            {
                double su = 0, sv = 0;
                for (int i = 0; i < N; i++) su += (double)U0[i * R0 + j] * U0[i * R0 + k];
                for (int d = 0; d < D; d++) sv += (double)V0[d * R0 + j] * V0[d * R0 + k];
                gram[j * R0 + k] = su;
                vgram[j * R0 + k] = sv;
            }
        }
        double total = 0, diagonal = 0;
        for (int j = 0; j < R0; j++)
        {
            for (int k = 0; k < R0; k++)
            {
                double nj = Math.Sqrt(vgram[j * R0 + j]), nk = Math.Sqrt(vgram[k * R0 + k]);
                double term = gram[j * R0 + k] * ReluProductMean(nj, nk, vgram[j * R0 + k]);
                total += term;
                if (j == k) diagonal += term;
            }
        }
        return (total, diagonal);
    }

    /// <summary>
    /// E[relu(a) relu(b)] for a centered Gaussian pair with standard deviations <paramref name="sa"/>,
    /// <paramref name="sb"/> and covariance <paramref name="covariance"/>.
    /// </summary>
    public static double ReluProductMean(double sa, double sb, double covariance)
    {
        if (sa == 0 || sb == 0) return 0;
        double cos = Math.Clamp(covariance / (sa * sb), -1, 1);
        double theta = Math.Acos(cos);
        return sa * sb * (Math.Sin(theta) + (Math.PI - theta) * cos) / (2 * Math.PI);
    }
}
