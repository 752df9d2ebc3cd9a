using Engine.Experiments.Overparam;
using Engine.Kernels.Random;

namespace Engine.Tests.Experiments.Overparam;

public class PlantedDatasetTests
{
    [Fact]
    public void ReluProductMeanMatchesTheClosedFormCases()
    {
        // Same unit: E[relu(a)^2] = s^2 / 2. Uncorrelated: E[relu(a)] E[relu(b)] = sa sb / (2 pi). Opposite: zero.
        Assert.Equal(4.5, PlantedNetwork.ReluProductMean(3, 3, 9), 12);
        Assert.Equal(2 * 5 / (2 * Math.PI), PlantedNetwork.ReluProductMean(2, 5, 0), 12);
        Assert.Equal(0, PlantedNetwork.ReluProductMean(2, 5, -10), 12);
    }

    [Fact]
    public void ReluProductMeanMatchesMonteCarloForACorrelatedPair()
    {
        const int samples = 400_000;
        const double sa = 1.5, sb = 0.7, rho = 0.4;
        var sampler = new NormalSampler(11);
        var g = new double[2 * samples];
        sampler.Fill(g);
        double sum = 0, sumSq = 0;
        for (int i = 0; i < samples; i++)
        {
            double a = sa * g[2 * i];
            double b = sb * (rho * g[2 * i] + Math.Sqrt(1 - rho * rho) * g[2 * i + 1]);
            double p = Math.Max(a, 0) * Math.Max(b, 0);
            sum += p;
            sumSq += p * p;
        }
        double mean = sum / samples;
        double se = Math.Sqrt((sumSq / samples - mean * mean) / samples);
        double exact = PlantedNetwork.ReluProductMean(sa, sb, rho * sa * sb);
        Assert.InRange(mean, exact - 5 * se, exact + 5 * se);
    }

    [Fact]
    public void MeanSquaredNormOfLabelsMatchesTheAnalyticExpectation()
    {
        // 10,000 fresh samples at the homework's sizes; the bound is 5 standard errors of the sample mean (CLT).
        var planted = PlantedNetwork.Draw(new NormalSampler(3), 150, 60, 10);
        var stream = new PlantedStream(planted, new NormalSampler(3, 1), 50);
        double sum = 0, sumSq = 0;
        int count = 0;
        for (int b = 0; b < 200; b++)
        {
            stream.Next();
            for (int i = 0; i < stream.Batch; i++)
            {
                double q = stream.SquaredNormOfLabel(i);
                sum += q;
                sumSq += q * q;
                count++;
            }
        }
        double mean = sum / count;
        double se = Math.Sqrt((sumSq / count - mean * mean) / count);
        double expected = planted.ExpectedSquaredNorm();
        Assert.InRange(mean, expected - 5 * se, expected + 5 * se);
        // The check has teeth: the cross terms are larger than the bound, so the diagonal-only formula is not enough here.
        Assert.True(Math.Abs(planted.ExpectedSquaredNormTerms().Diagonal - expected) > 5 * se, $"diag {planted.ExpectedSquaredNormTerms().Diagonal} exact {expected} se {se}");
    }

    [Fact]
    public void DiagonalPartIsHalfTheProductOfColumnNorms()
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(5), 7, 4, 3);
        double direct = 0;
        for (int j = 0; j < 4; j++)
        {
            double u2 = 0, v2 = 0;
            for (int i = 0; i < 3; i++) u2 += Math.Pow(planted.U0[i * 4 + j], 2);
            for (int d = 0; d < 7; d++) v2 += Math.Pow(planted.V0[d * 4 + j], 2);
            direct += u2 * v2 / 2;
        }
        Assert.Equal(direct, planted.ExpectedSquaredNormTerms().Diagonal, 1e-9);
    }

    [Fact]
    public void EveryMiniBatchIsFreshAndLabelledByThePlantedNetwork()
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(8), 6, 3, 2);
        var stream = new PlantedStream(planted, new NormalSampler(8, 1), 4);
        stream.Next();
        float[] first = (float[])stream.X.Clone();
        stream.Next();
        Assert.NotEqual(first, stream.X);
        for (int i = 0; i < 4; i++)
        {
            for (int k = 0; k < 2; k++)
            {
                double y = 0;
                for (int j = 0; j < 3; j++)
                {
                    double z = 0;
                    for (int d = 0; d < 6; d++) z += stream.X[i * 6 + d] * planted.V0[d * 3 + j];
                    y += planted.U0[k * 3 + j] * Math.Max(z, 0);
                }
                Assert.Equal(y, stream.Y[i * 2 + k], 1e-5);
            }
        }
    }

    [Fact]
    public void A_batch_drawn_into_buffers_of_ones_own_is_the_batch_next_draws()
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(8), 6, 3, 2);
        var drawn = new PlantedStream(planted, new NormalSampler(8, 1), 4);
        var into = new PlantedStream(planted, new NormalSampler(8, 1), 4);
        float[] x = new float[2 * 24 + 1], y = new float[2 * 8 + 1];
        for (int b = 0; b < 2; b++)
        {
            drawn.Next();
            into.NextInto(x.AsSpan(1 + b * 24, 24), y.AsSpan(1 + b * 8, 8));
            Assert.Equal(drawn.X, x[(1 + b * 24)..(1 + (b + 1) * 24)]);
            Assert.Equal(drawn.Y, y[(1 + b * 8)..(1 + (b + 1) * 8)]);
        }
        Assert.Equal(0f, x[0]);
        Assert.Equal(0f, y[0]);
        Assert.Throws<ArgumentException>(() => into.NextInto(new float[23], new float[8]));
        Assert.Throws<ArgumentException>(() => into.NextInto(new float[24], new float[9]));
    }

    [Fact]
    public void PlantedWeightsHaveTheRequestedVariances()
    {
        var planted = PlantedNetwork.Draw(new NormalSampler(9), 400, 100, 50);
        double u = planted.U0.Average(v => (double)v * v), w = planted.V0.Average(v => (double)v * v);
        Assert.Equal(1.0 / 100, u, 0.1 / 100);
        Assert.Equal(1.0 / 400, w, 0.1 / 400);
    }
}
