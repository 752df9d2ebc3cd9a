using Engine.Kernels.Linalg;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Completion;

/// <summary>The dense helpers the completion solvers added to Linalg: pivoted QR and triangular solves.</summary>
public class CompletionLinearAlgebraTests
{
    [Theory]
    [InlineData(7, 5, 5)]
    [InlineData(9, 12, 4)]   // wide, rank 4
    [InlineData(13, 6, 3)]   // tall, rank 3
    [InlineData(1, 1, 1)]
    public void PivotedQrReconstructsAndRevealsTheRank(int rows, int columns, int rank)
    {
        // A = B C with B rows x rank and C rank x columns: rank exactly `rank`.
        var sampler = new NormalSampler(51);
        var b = new double[rows * rank];
        var c = new double[rank * columns];
        sampler.Fill(b);
        sampler.Fill(c);
        var byColumns = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                for (int k = 0; k < rank; k++) byColumns[j * rows + i] += b[i * rank + k] * c[k * columns + j];

        PivotedQr qr = PivotedQr.Factor(byColumns, rows, columns);
        Assert.Equal(rank, qr.RankFor(1e-10));
        for (int k = 1; k < qr.Steps; k++) Assert.True(qr.PivotMagnitude(k) <= qr.PivotMagnitude(k - 1) * (1 + 1e-12));

        // Q^T applied to each permuted column gives R: zero below the diagonal and below the rank.
        for (int t = 0; t < columns; t++)
        {
            double[] column = byColumns.AsSpan(qr.Permutation[t] * rows, rows).ToArray();
            double norm = Math.Sqrt(column.Sum(v => v * v));
            qr.ApplyQTranspose(column);
            for (int i = Math.Min(t + 1, rank); i < rows; i++)
                Assert.True(Math.Abs(column[i]) <= 1e-12 * (1 + norm), $"R[{i}, {t}] = {column[i]:E2}");
            // Q is orthogonal: applying Q brings the column back.
            qr.ApplyQ(column);
            double[] original = byColumns.AsSpan(qr.Permutation[t] * rows, rows).ToArray();
            for (int i = 0; i < rows; i++) Assert.Equal(original[i], column[i], 12);
        }
    }

    [Fact]
    public void PivotedQrSolvesAFullRankSystem()
    {
        const int n = 6;
        var sampler = new NormalSampler(52);
        var a = new double[n * n];
        var x = new double[n];
        sampler.Fill(a);
        sampler.Fill(x);
        var rhs = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) rhs[i] += a[j * n + i] * x[j]; // a stored by columns
        PivotedQr qr = PivotedQr.Factor(a, n, n);
        qr.ApplyQTranspose(rhs);
        qr.SolveUpper(n, rhs);
        for (int t = 0; t < n; t++) Assert.Equal(x[qr.Permutation[t]], rhs[t], 10);
    }

    [Fact]
    public void InverseFromCholeskyInverts()
    {
        const int n = 5;
        var sampler = new NormalSampler(53);
        var g = new double[n * n];
        sampler.Fill(g);
        var spd = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++) spd[i * n + j] += g[i * n + k] * g[j * n + k];
                if (i == j) spd[i * n + j] += 0.5;
            }
        var factor = (double[])spd.Clone();
        Assert.True(Cholesky.Factor(factor, n));
        var inverse = new double[n * n];
        LowerTriangular.InverseFromCholesky(factor, n, inverse);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += spd[i * n + k] * inverse[k * n + j];
                Assert.Equal(i == j ? 1 : 0, sum, 10);
            }
    }
}
