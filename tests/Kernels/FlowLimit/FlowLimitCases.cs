using Engine.Kernels.FlowLimit;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.FlowLimit;

/// <summary>A problem <c>A w = y</c> with the sparse x* it was made from.</summary>
internal sealed record FlowLimitCase(double[] A, int N, int M, double[] Y, double[] XStar)
{
    public override string ToString() => $"{N}x{M}";
}

/// <summary>
/// Instances, independent checks and reference computations for the flow-limit tests, written without the solver's
/// code: plain loops, a brute-force linear program, plain gradient descent.
/// </summary>
internal static class FlowLimitCases
{
    /// <summary>
    /// HW3 2(e)(i)-(ii): A with standard normal entries and unit-norm columns, x* with k nonzeros at random places
    /// drawn from N(0, 1/k) (their absolute values unless <paramref name="signed"/>), y = A x*.
    /// </summary>
    public static FlowLimitCase Homework(ulong seed, int n = 20, int m = 40, int k = 10, bool signed = false)
    {
        var sampler = new NormalSampler(seed, (ulong)(n * 1000 + m));
        var a = new double[n * m];
        sampler.Fill(a);
        for (int j = 0; j < m; j++)
        {
            double norm = 0;
            for (int i = 0; i < n; i++) norm += a[i * m + j] * a[i * m + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) a[i * m + j] /= norm;
        }
        var order = Enumerable.Range(0, m).ToArray();
        for (int t = 0; t < k; t++)
        {
            int pick = t + sampler.NextInt(m - t);
            (order[t], order[pick]) = (order[pick], order[t]);
        }
        var x = new double[m];
        for (int t = 0; t < k; t++)
        {
            double v = sampler.NextNormal() / Math.Sqrt(k);
            x[order[t]] = signed ? v : Math.Abs(v);
        }
        return new FlowLimitCase(a, n, m, Multiply(a, n, m, x), x);
    }

    public static double[] Multiply(double[] a, int n, int m, double[] x)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) y[i] += a[i * m + j] * x[j];
        return y;
    }

    public static double[] MultiplyTransposed(double[] a, int n, int m, double[] nu)
    {
        var s = new double[m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) s[j] += a[i * m + j] * nu[i];
        return s;
    }

    public static double Norm(IEnumerable<double> x) => Math.Sqrt(x.Sum(v => v * v));

    public static double MaxAbsDifference(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();

    public static double RelativeResidual(FlowLimitCase c, double[] w)
    {
        double[] aw = Multiply(c.A, c.N, c.M, w);
        return Norm(aw.Zip(c.Y, (p, q) => p - q)) / Norm(c.Y);
    }

    /// <summary>
    /// Checks the optimality conditions of a nonnegative-model result for the prior with logarithms
    /// <paramref name="logPrior"/>: interpolation, positivity (zero on the forced zeros), stationarity
    /// <c>log(w / p) = A^T nu</c>, and the reported objectives and gap.
    /// </summary>
    public static void AssertEntropicKkt(FlowLimitCase c, double[] logPrior, FlowLimitResult result, string label)
    {
        Assert.True(result.Converged, $"{label}: did not converge (residual {result.RelativeResidual:E2}, {result.Iterations} iterations)");
        double residual = RelativeResidual(c, result.W);
        Assert.True(residual <= 1e-12, $"{label}: ||Aw - y|| / ||y|| = {residual:E2}");
        double[] s = MultiplyTransposed(c.A, c.N, c.M, result.Nu);
        var forced = new HashSet<int>(result.ForcedZeros);
        double primal = 0;
        for (int j = 0; j < c.M; j++)
        {
            if (forced.Contains(j))
            {
                Assert.True(result.W[j] == 0, $"{label}: forced zero {j} holds {result.W[j]:E3}");
                continue;
            }
            double logW = logPrior[j] + s[j];
            if (logW < -650)
            {
                // Below double range w is zero, as exp of the stationarity condition says.
                Assert.True(result.W[j] < 1e-280, $"{label}: w[{j}] = {result.W[j]:E3} where log(p) + A^T nu = {logW:F1}");
                primal += Math.Exp(logPrior[j]);
                continue;
            }
            Assert.True(result.W[j] > 0, $"{label}: w[{j}] = {result.W[j]:E3} is not positive");
            double stationarity = Math.Log(result.W[j]) - logPrior[j] - s[j];
            Assert.True(Math.Abs(stationarity) <= 1e-9 * (1 + Math.Abs(logPrior[j]) + Math.Abs(s[j])),
                $"{label}: log(w/p) - A^T nu = {stationarity:E2} at {j}");
            primal += result.W[j] * (Math.Log(result.W[j]) - logPrior[j]) - result.W[j] + Math.Exp(logPrior[j]);
        }
        AssertObjectives(result, primal, label);
    }

    /// <summary>The same for the signed model: <c>s*(w) = A^T nu</c> with s* the inverse of <c>w = p+ e^s - p- e^-s</c>.</summary>
    public static void AssertHypentropyKkt(FlowLimitCase c, double[] logPlus, double[] logMinus, FlowLimitResult result, string label)
    {
        Assert.True(result.Converged, $"{label}: did not converge (residual {result.RelativeResidual:E2}, {result.Iterations} iterations)");
        Assert.Empty(result.ForcedZeros);
        double residual = RelativeResidual(c, result.W);
        Assert.True(residual <= 1e-12, $"{label}: ||Aw - y|| / ||y|| = {residual:E2}");
        double[] s = MultiplyTransposed(c.A, c.N, c.M, result.Nu);
        double primal = 0;
        for (int j = 0; j < c.M; j++)
        {
            double geometric = Math.Exp(0.5 * (logPlus[j] + logMinus[j]));
            double inverse = Math.Asinh(result.W[j] / (2 * geometric)) + 0.5 * (logMinus[j] - logPlus[j]);
            double stationarity = inverse - s[j];
            Assert.True(Math.Abs(stationarity) <= 1e-9 * (1 + Math.Abs(logPlus[j]) + Math.Abs(s[j])),
                $"{label}: s*(w) - A^T nu = {stationarity:E2} at {j}");
            primal += result.W[j] * inverse - Math.Sqrt(result.W[j] * result.W[j] + 4 * geometric * geometric);
        }
        AssertObjectives(result, primal, label);
    }

    private static void AssertObjectives(FlowLimitResult result, double primal, string label)
    {
        double size = 1 + Math.Abs(primal);
        Assert.True(Math.Abs(result.PrimalObjective - primal) <= 1e-12 * size,
            $"{label}: reported primal {result.PrimalObjective:R}, recomputed {primal:R}");
        Assert.True(Math.Abs(result.DualityGap) <= 1e-9 * size, $"{label}: duality gap {result.DualityGap:E2}");
        double difference = result.PrimalObjective - result.DualObjective;
        Assert.True(Math.Abs(difference - result.DualityGap) <= 1e-12 * (size + Math.Abs(result.DualObjective)),
            $"{label}: primal - dual = {difference:E3}, reported gap {result.DualityGap:E3}");
    }

    /// <summary>
    /// Minimizes <c>c^T x</c> over <c>E x = b, x &gt;= 0</c> by visiting every basis (small problems only) and
    /// returns the optimal vertex, or null when the optimum is attained at two different vertices (not unique).
    /// </summary>
    public static double[]? UniqueOptimalVertex(double[] e, int rows, int columns, double[] b, double[] c)
    {
        double[]? best = null, runnerUp = null;
        double bestValue = double.PositiveInfinity, runnerUpValue = double.PositiveInfinity;
        foreach (int[] basis in Subsets(columns, rows))
        {
            double[]? xb = SolveSquare(e, rows, columns, basis, b);
            if (xb is null || xb.Any(v => v < -1e-10)) continue;
            var x = new double[columns];
            for (int t = 0; t < rows; t++) x[basis[t]] = Math.Max(0, xb[t]);
            double value = x.Select((v, j) => v * c[j]).Sum();
            if (best is not null && MaxAbsDifference(x, best) <= 1e-9) continue;
            if (value < bestValue)
            {
                (runnerUp, runnerUpValue) = (best, bestValue);
                (best, bestValue) = (x, value);
            }
            else if (value < runnerUpValue && (runnerUp is null || MaxAbsDifference(x, runnerUp) > 1e-9))
            {
                (runnerUp, runnerUpValue) = (x, value);
            }
        }
        Assert.NotNull(best);
        return runnerUpValue - bestValue > 1e-7 * (1 + Math.Abs(bestValue)) ? best : null;
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        var set = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])set.Clone();
            int i = k - 1;
            while (i >= 0 && set[i] == n - k + i) i--;
            if (i < 0) yield break;
            set[i]++;
            for (int j = i + 1; j < k; j++) set[j] = set[j - 1] + 1;
        }
    }

    // Gaussian elimination with partial pivoting on the columns `basis` of E; null when (nearly) singular.
    private static double[]? SolveSquare(double[] e, int rows, int columns, int[] basis, double[] b)
    {
        int n = rows;
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < n; t++) m[i, t] = e[i * columns + basis[t]];
            m[i, n] = b[i];
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++) if (Math.Abs(m[i, col]) > Math.Abs(m[pivot, col])) pivot = i;
            if (Math.Abs(m[pivot, col]) < 1e-10) return null;
            for (int t = 0; t <= n; t++) (m[col, t], m[pivot, t]) = (m[pivot, t], m[col, t]);
            for (int i = 0; i < n; i++)
            {
                if (i == col) continue;
                double f = m[i, col] / m[col, col];
                for (int t = col; t <= n; t++) m[i, t] -= f * m[col, t];
            }
        }
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = m[i, n] / m[i, i];
        return x;
    }

    /// <summary>
    /// Plain gradient descent on <c>1/2 ||A (x ⊙ x) - y||^2</c> from x (updated in place) with step eta, until the
    /// relative residual is at most <paramref name="tolerance"/> or <paramref name="maxSteps"/> steps; returns x ⊙ x.
    /// </summary>
    public static double[] GradientDescent(FlowLimitCase c, double[] x, double eta, int maxSteps, double tolerance, out int steps)
    {
        int n = c.N, m = c.M;
        var r = new double[n];
        double yNorm = Norm(c.Y);
        for (steps = 0; steps < maxSteps; steps++)
        {
            for (int i = 0; i < n; i++)
            {
                double sum = -c.Y[i];
                for (int j = 0; j < m; j++) sum += c.A[i * m + j] * x[j] * x[j];
                r[i] = sum;
            }
            if (Norm(r) <= tolerance * yNorm) break;
            for (int j = 0; j < m; j++)
            {
                double g = 0;
                for (int i = 0; i < n; i++) g += c.A[i * m + j] * r[i];
                x[j] -= eta * 2 * x[j] * g;
            }
        }
        return x.Select(v => v * v).ToArray();
    }

    /// <summary>
    /// Plain gradient descent on <c>1/2 ||A (u ⊙ u - v ⊙ v) - y||^2</c> from (u, v) (updated in place); returns
    /// <c>u ⊙ u - v ⊙ v</c>.
    /// </summary>
    public static double[] SignedGradientDescent(FlowLimitCase c, double[] u, double[] v, double eta, int maxSteps, double tolerance, out int steps)
    {
        int n = c.N, m = c.M;
        var r = new double[n];
        double yNorm = Norm(c.Y);
        for (steps = 0; steps < maxSteps; steps++)
        {
            for (int i = 0; i < n; i++)
            {
                double sum = -c.Y[i];
                for (int j = 0; j < m; j++) sum += c.A[i * m + j] * (u[j] * u[j] - v[j] * v[j]);
                r[i] = sum;
            }
            if (Norm(r) <= tolerance * yNorm) break;
            for (int j = 0; j < m; j++)
            {
                double g = 0;
                for (int i = 0; i < n; i++) g += c.A[i * m + j] * r[i];
                u[j] -= eta * 2 * u[j] * g;
                v[j] += eta * 2 * v[j] * g;
            }
        }
        return u.Select((p, j) => p * p - v[j] * v[j]).ToArray();
    }
}
