using Engine.Experiments.Statistics;
using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Experiments.Theory;

// Homework 3, problem 1 (a): the expectation in (3) over sampled unit-norm rank-one factors equals, up to a
// positive factor and an additive constant, the squared-nuclear-norm-regularized problem (4).

/// <summary>One instance of the dropout variant: data X (D x N) and factors U (D x r), V (N x r), row-major.</summary>
public sealed class DropoutVariantInstance
{
    public DropoutVariantInstance(int d, int n, int r, NormalSampler sampler)
    {
        D = d; N = n; R = r;
        X = new double[d * n]; U = new double[d * r]; V = new double[n * r];
        sampler.Fill(X);
        sampler.Fill(U);
        sampler.Fill(V);
        FactorNorms = new double[r];
        Product = new double[d * n];
        Refresh();
    }

    /// <summary>Recomputes the factor norms, Theta and U V^T after U or V changed.</summary>
    public void Refresh()
    {
        for (int i = 0; i < R; i++) FactorNorms[i] = ColumnNorm(U, D, R, i) * ColumnNorm(V, N, R, i);
        Theta = FactorNorms.Sum();
        Gemm.Multiply(Op.None, Op.Transpose, D, N, R, 1.0, U, R, V, R, 0.0, Product, N);
    }

    public int D { get; }
    public int N { get; }
    public int R { get; }
    public double[] X { get; }
    public double[] U { get; }
    public double[] V { get; }
    /// <summary>||u_i v_i^T||_F = ||u_i|| ||v_i|| for each factor.</summary>
    public double[] FactorNorms { get; }
    /// <summary>Theta(U, V) = sum_i ||u_i v_i^T||_F.</summary>
    public double Theta { get; private set; }
    /// <summary>U V^T.</summary>
    public double[] Product { get; }

    private static double ColumnNorm(double[] a, int rows, int cols, int j)
    {
        double s = 0;
        for (int i = 0; i < rows; i++) s += a[i * cols + j] * a[i * cols + j];
        return Math.Sqrt(s);
    }
}

/// <summary>The two sides of problem 1 (a) for one instance and sample size m.</summary>
/// <param name="LossRange">The length of an interval that holds every sampled loss: ||M||_F &lt;= Theta, so
/// ||X - M||^2 lies in [max(0, ||X|| - Theta)^2, (||X|| + Theta)^2].</param>
/// <param name="VarianceTerm">(Theta^2 - ||UV^T||^2)/m, the part of the closed form that (a) turns into the regularizer.</param>
/// <param name="ExactExpectation">The expectation in (3) summed over every multiset of m draws; null where there are
/// more than <see cref="DropoutVariant.EnumerationLimit"/> of them.</param>
/// <param name="Instance">Which random (X, U, V) instance the check ran on (<c>instance&lt;i&gt;_*.csv</c>).</param>
public sealed record DropoutVariantCheck(int M, int Samples, double MonteCarloMean, double MonteCarloStdError,
    double ClosedForm, double Objective4, double Offset, double ExpectedOffset, double LossRange, double VarianceTerm,
    double? ExactExpectation, int Instance = 0)
{
    /// <summary>
    /// How many standard errors the Monte Carlo mean is from the closed form; null when every draw gave the same loss,
    /// so the standard error is zero and says nothing about the spread (two draws of the same factors, a rank-one U V^T).
    /// </summary>
    public double? ZScore => MonteCarloStdError > 0 ? (MonteCarloMean - ClosedForm) / MonteCarloStdError : null;

    /// <summary>
    /// The half-width of the interval around the Monte Carlo mean that holds the true expectation with probability at
    /// least 1 - <paramref name="delta"/>, whatever the number of draws (empirical Bernstein, from the loss range).
    /// </summary>
    public double HalfWidth(double delta) =>
        EmpiricalBernstein.HalfWidth(MonteCarloStdError * MonteCarloStdError * Samples, Samples, LossRange, delta);
}

public static class DropoutVariant
{
    /// <summary>The most multisets of draws <see cref="ExactExpectation"/> sums over (each costs one D x N x r product).</summary>
    public const int EnumerationLimit = 100_000;

    /// <summary>
    /// The expectation in (3) computed exactly, with no sampling and no use of the closed form: the sampled objective
    /// depends only on how many times c_i each factor was drawn, so it sums ||X - Theta/m sum_i c_i u_i v_i^T / ||u_i v_i^T|| ||^2
    /// over every count vector c with sum m, weighted by its multinomial probability m!/prod c_i! prod p_i^c_i.
    /// Returns null when there are more than <see cref="EnumerationLimit"/> count vectors, C(m + r - 1, r - 1).
    /// </summary>
    public static double? ExactExpectation(DropoutVariantInstance p, int m)
    {
        if (m < 1) throw new ArgumentOutOfRangeException(nameof(m), "m must be at least 1.");
        double multisets = 1;
        for (int k = 1; k < p.R; k++)
        {
            multisets = multisets * (m + k) / k;
            if (multisets > EnumerationLimit) return null;
        }
        var counts = new int[p.R];
        var sample = new double[p.D * p.N];
        double expectation = 0;
        // Factor i takes c_i of the k draws still unassigned, with probability C(k, c_i) p_i^c_i; the last factor takes the rest.
        void Assign(int i, int left, double probability)
        {
            if (probability == 0) return;
            if (i == p.R - 1)
            {
                counts[i] = left;
                probability *= Math.Pow(p.FactorNorms[i] / p.Theta, left);
                if (probability == 0) return;
                Array.Clear(sample);
                for (int j = 0; j < p.R; j++)
                    if (counts[j] > 0) AddFactor(p, j, p.Theta * counts[j] / (m * p.FactorNorms[j]), sample);
                expectation += probability * ResidualSquared(p, sample);
                return;
            }
            double pi = p.FactorNorms[i] / p.Theta, choose = 1, power = 1;
            for (int c = 0; c <= left; c++)
            {
                counts[i] = c;
                Assign(i + 1, left - c, probability * choose * power);
                choose = choose * (left - c) / (c + 1);
                power *= pi;
            }
        }
        Assign(0, m, 1);
        return expectation;
    }

    /// <summary>
    /// The expectation in (3) in closed form: the sample average M of m draws has mean U V^T and
    /// E||M - U V^T||^2 = (Theta^2 - ||U V^T||^2) / m, so E||X - M||^2 = ||X - U V^T||^2 + (Theta^2 - ||U V^T||^2) / m.
    /// </summary>
    public static double ClosedForm(DropoutVariantInstance p, int m)
    {
        double residual = 0, product = 0;
        for (int i = 0; i < p.X.Length; i++)
        {
            double e = p.X[i] - p.Product[i];
            residual += e * e;
            product += p.Product[i] * p.Product[i];
        }
        return residual + (p.Theta * p.Theta - product) / m;
    }

    /// <summary>Objective (4): ||m/(m-1) X - U V^T||^2 + Theta^2 / (m - 1).</summary>
    public static double Objective4(DropoutVariantInstance p, int m)
    {
        double scale = m / (m - 1.0), s = 0;
        for (int i = 0; i < p.X.Length; i++)
        {
            double e = scale * p.X[i] - p.Product[i];
            s += e * e;
        }
        return s + p.Theta * p.Theta / (m - 1);
    }

    /// <summary>
    /// Estimates the expectation in (3) by drawing, <paramref name="samples"/> times, m factor indices i with
    /// probability ||u_i v_i^T|| / Theta, forming M = Theta/m * sum_j u_i v_i^T / ||u_i v_i^T|| explicitly, and
    /// averaging ||X - M||_F^2. Also returns the offset m/(m-1) E - (4), which the derivation says is the
    /// constant -m/(m-1)^2 ||X||^2 (independent of U and V), so (3) and (4) have the same minimizers.
    /// </summary>
    public static DropoutVariantCheck Check(DropoutVariantInstance p, int m, int samples, NormalSampler sampler)
    {
        if (m < 2) throw new ArgumentOutOfRangeException(nameof(m), "The dropout variant needs m >= 2.");
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), "A Monte Carlo check needs at least two draws.");
        var cumulative = new double[p.R];
        double acc = 0;
        for (int i = 0; i < p.R; i++) { acc += p.FactorNorms[i] / p.Theta; cumulative[i] = acc; }
        var scratch = new double[p.D * p.N];
        var drawn = new int[m];
        double mean = 0, m2 = 0;
        for (int s = 0; s < samples; s++)
        {
            for (int j = 0; j < m; j++) drawn[j] = Draw(cumulative, sampler.NextDouble());
            double loss = SampledLoss(p, drawn, scratch);
            // Welford's running mean and variance.
            double delta = loss - mean;
            mean += delta / (s + 1);
            m2 += delta * (loss - mean);
        }
        double stdError = Math.Sqrt(m2 / (samples - 1) / samples);
        double closed = ClosedForm(p, m);
        double objective4 = Objective4(p, m);
        double xNorm2 = p.X.Sum(v => v * v), xNorm = Math.Sqrt(xNorm2);
        double lossRange = (xNorm + p.Theta) * (xNorm + p.Theta) - Math.Pow(Math.Max(0, xNorm - p.Theta), 2);
        double productNorm2 = p.Product.Sum(v => v * v);
        return new DropoutVariantCheck(m, samples, mean, stdError, closed, objective4,
            m / (m - 1.0) * closed - objective4, -m / ((m - 1.0) * (m - 1.0)) * xNorm2,
            lossRange, (p.Theta * p.Theta - productNorm2) / m, ExactExpectation(p, m));
    }

    /// <summary>
    /// Problem 1 (b), made exact: the gradient of the sampled objective with the draws held fixed (what SGD on (3)
    /// computes), averaged over every ordered m-tuple of draws with its probability, against the gradient of the
    /// expectation itself. They differ by the score-function term sum_t L_t grad p_t, because the sampling
    /// distribution depends on (U, V). Gradients are central differences in double precision over (U, V).
    /// Returns the relative difference ||pathwise - true|| / ||true||.
    /// </summary>
    public static double PathwiseGradientBias(DropoutVariantInstance p, int m, double h = 1e-6)
    {
        int tuples = checked((int)Math.Pow(p.R, m));
        var tupleProbability = new double[tuples];
        var indices = new int[tuples][];
        for (int t = 0; t < tuples; t++)
        {
            int code = t;
            indices[t] = new int[m];
            tupleProbability[t] = 1;
            for (int j = 0; j < m; j++)
            {
                indices[t][j] = code % p.R;
                code /= p.R;
                tupleProbability[t] *= p.FactorNorms[indices[t][j]] / p.Theta;
            }
        }
        var scratch = new double[p.D * p.N];
        // The sampled loss of tuple t at the current (U, V), with Theta and the factor norms recomputed.
        double LossOfTuple(int t)
        {
            p.Refresh();
            return SampledLoss(p, indices[t], scratch);
        }
        double ExpectationAt(double[] block, int k, double value)
        {
            block[k] = value;
            p.Refresh();
            return ClosedForm(p, m);
        }
        double diff2 = 0, true2 = 0;
        foreach (double[] block in new[] { p.U, p.V })
        {
            for (int k = 0; k < block.Length; k++)
            {
                double saved = block[k];
                double pathwise = 0;
                for (int t = 0; t < tuples; t++)
                {
                    block[k] = saved + h;
                    double plus = LossOfTuple(t);
                    block[k] = saved - h;
                    double minus = LossOfTuple(t);
                    pathwise += tupleProbability[t] * (plus - minus) / (2 * h);
                }
                double exact = (ExpectationAt(block, k, saved + h) - ExpectationAt(block, k, saved - h)) / (2 * h);
                block[k] = saved;
                diff2 += (pathwise - exact) * (pathwise - exact);
                true2 += exact * exact;
            }
        }
        p.Refresh();
        return Math.Sqrt(diff2 / true2);
    }

    /// <summary>
    /// The sampled objective of (3) for the drawn factor indices: ||X - M||_F^2 with
    /// M = Theta/m sum_j u_i v_i^T / ||u_i v_i^T|| (m = the number of indices), formed explicitly in <paramref name="scratch"/>.
    /// </summary>
    private static double SampledLoss(DropoutVariantInstance p, ReadOnlySpan<int> indices, double[] scratch)
    {
        Array.Clear(scratch);
        int m = indices.Length;
        foreach (int i in indices) AddFactor(p, i, p.Theta / m / p.FactorNorms[i], scratch);
        return ResidualSquared(p, scratch);
    }

    /// <summary>Adds <paramref name="weight"/> u_i v_i^T to the D x N matrix in <paramref name="sum"/>.</summary>
    private static void AddFactor(DropoutVariantInstance p, int i, double weight, double[] sum)
    {
        for (int a = 0; a < p.D; a++)
        {
            double ua = weight * p.U[a * p.R + i];
            for (int b = 0; b < p.N; b++) sum[a * p.N + b] += ua * p.V[b * p.R + i];
        }
    }

    /// <summary>||X - M||_F^2 for the sample average M in <paramref name="sum"/>.</summary>
    private static double ResidualSquared(DropoutVariantInstance p, double[] sum)
    {
        double loss = 0;
        for (int k = 0; k < sum.Length; k++) { double e = p.X[k] - sum[k]; loss += e * e; }
        return loss;
    }

    private static int Draw(double[] cumulative, double u)
    {
        for (int i = 0; i < cumulative.Length - 1; i++) if (u < cumulative[i]) return i;
        return cumulative.Length - 1;
    }
}
