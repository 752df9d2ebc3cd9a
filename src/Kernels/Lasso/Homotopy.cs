using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The exact Lasso path by homotopy (LARS with the Lasso modification), signed or positive.
/// </summary>
/// <remarks>
/// In the unscaled form <c>1/2 ||y - Xw||^2 + lambda ||w||_1</c> the solution is piecewise linear in lambda.
/// Between breakpoints the active set A and its signs s are fixed, the active correlations equal
/// <c>lambda s</c>, and w_A moves along <c>d = (X_A^T X_A)^{-1} s</c> as lambda decreases. A breakpoint is the
/// first lambda where an inactive correlation reaches <c>±lambda</c> (the feature joins) or an active
/// coefficient reaches zero (it leaves: the Lasso modification of LARS). The Gram matrix of the active set is
/// kept as a Cholesky factor, extended by one row when a feature joins and downdated by Givens rotations when
/// one leaves. Run to
/// lambda = 0 on an under-determined X of full row rank, the path ends at an interpolant of minimum l1 norm
/// (nonnegative when positive).
/// </remarks>
public static class Homotopy
{
    /// <summary>
    /// The exact path of the (prepared) problem from alpha_max down to <paramref name="alphaMin"/> (0: to the end,
    /// least squares or the minimum-l1 interpolant), at most <paramref name="maxSteps"/> breakpoints (0: 8 min(n, p) + 100).
    /// </summary>
    public static HomotopyPath Path(LassoProblem problem, bool positive = false, double alphaMin = 0, int maxSteps = 0)
    {
        int n = problem.Samples, p = problem.Features;
        if (maxSteps <= 0) maxSteps = 8 * Math.Min(n, p) + 100;
        double lambdaMin = alphaMin * n;
        var w = new double[p];
        var r = problem.Y.ToArray();
        var c = problem.CorrelationWithY.ToArray();
        var u = new double[n];
        var a = new double[p];
        var excluded = new bool[p];
        var isActive = new bool[p];
        var active = new List<int>();
        var signs = new List<double>();
        // With no more features than samples the p x p Gram matrix is cheaper than X itself (scikit-learn's
        // precompute='auto' rule): every step then costs O(p |A|) instead of passes over X.
        double[]? gram = p <= n ? ComputeGram(problem) : null;
        var factor = new ActiveCholesky(problem, gram);
        var alphas = new List<double>();
        var points = new List<double[]>();

        double lambda = DualityGap.DualNorm(c, positive);
        // Each feature's own floor: the rounding of its correlation x_j^T r scales with sum_i |x_ij| |y_i| (r = y - X w,
        // and near the end X w is y), so one floor for all, taken from the largest correlation, would refuse a small
        // column's true breakpoint, and one from ||x_j|| ||y|| that of a column orthogonal to most of y.
        var noiseFloor = new double[p];
        for (int j = 0; j < p; j++)
        {
            ReadOnlySpan<double> column = problem.Column(j);
            double scale = 0;
            for (int i = 0; i < n; i++) scale += Math.Abs(column[i] * problem.Y[i]);
            noiseFloor[j] = RoundingFloor * scale;
        }
        if (!(lambda > lambdaMin))
        {
            alphas.Add(Math.Max(lambda, 0) / n);
            points.Add(w.ToArray());
            return new HomotopyPath(alphas.ToArray(), points.ToArray(), positive);
        }
        int first = ArgDualNorm(c, positive);
        active.Add(first);
        isActive[first] = true;
        signs.Add(positive ? 1 : Math.Sign(c[first]));
        factor.Add(first);
        alphas.Add(lambda / n);
        points.Add(w.ToArray());

        int justDropped = -1;
        var d = new List<double>();
        for (int step = 0; step < maxSteps && lambda > lambdaMin; step++)
        {
            factor.Solve(signs, d);
            if (gram is not null)
            {
                a.AsSpan().Clear();
                for (int k = 0; k < active.Count; k++) Gemv.RowAxpy(d[k], gram.AsSpan(active[k] * p, p), a);
            }
            else
            {
                u.AsSpan().Clear();
                for (int k = 0; k < active.Count; k++) Blas1.Axpy(d[k], problem.Column(active[k]), u);
                Gemv.Multiply(Op.None, p, n, 1, problem.Columns, problem.Stride, u, 0, a);
            }

            double gamma = lambda - lambdaMin;
            int joining = -1, leaving = -1;
            double joiningSign = 0;
            // An event below the floor, where every correlation is rounding (lambda bounds them all), is noise: the path
            // takes none there and goes on to its end with the features it has (see RoundingFloor).
            for (int j = 0; j < p; j++)
            {
                if (isActive[j] || excluded[j]) continue;
                // A feature that just left sits exactly on its constraint; it may only come back later.
                double floor = j == justDropped ? 1e-9 * lambda : -1;
                double down = 1 - a[j];
                if (down > 1e-12)
                {
                    double g = Math.Max(0, (lambda - c[j]) / down);
                    if (g < gamma && g > floor && lambda - g > noiseFloor[j]) { gamma = g; joining = j; joiningSign = 1; }
                }
                double up = 1 + a[j];
                if (!positive && up > 1e-12)
                {
                    double g = Math.Max(0, (lambda + c[j]) / up);
                    if (g < gamma && g > floor && lambda - g > noiseFloor[j]) { gamma = g; joining = j; joiningSign = -1; }
                }
            }
            for (int k = 0; k < active.Count; k++)
            {
                int j = active[k];
                if (w[j] == 0 || Math.Sign(d[k]) == Math.Sign(w[j])) continue;
                double g = -w[j] / d[k];
                if (g < gamma && lambda - g > noiseFloor[j]) { gamma = g; leaving = k; joining = -1; }
            }

            for (int k = 0; k < active.Count; k++)
            {
                int j = active[k];
                double before = w[j];
                w[j] += gamma * d[k];
                // A sign change below the floor is not taken as an event: the coefficient, of the size of rounding there,
                // ends at zero rather than on the wrong side (a negative one on the nonnegative path).
                if (before != 0 && Math.Sign(w[j]) == -Math.Sign(before)) w[j] = 0;
            }
            lambda -= gamma;
            justDropped = -1;
            if (leaving >= 0)
            {
                int j = active[leaving];
                w[j] = 0;
                isActive[j] = false;
                active.RemoveAt(leaving);
                signs.RemoveAt(leaving);
                factor.Remove(leaving);
                justDropped = j;
            }
            // Exact correlations at the new point keep rounding from accumulating along the path.
            if (gram is not null)
            {
                problem.CorrelationWithY.CopyTo(c, 0);
                for (int j = 0; j < p; j++) if (w[j] != 0) Gemv.RowAxpy(-w[j], gram.AsSpan(j * p, p), c);
            }
            else
            {
                problem.Residual(w, r);
                Gemv.Multiply(Op.None, p, n, 1, problem.Columns, problem.Stride, r, 0, c);
            }
            if (joining >= 0)
            {
                if (factor.Add(joining))
                {
                    active.Add(joining);
                    isActive[joining] = true;
                    signs.Add(joiningSign);
                }
                else excluded[joining] = true;
            }
            if (lambda <= lambdaMin) lambda = lambdaMin;
            alphas.Add(lambda / n);
            points.Add(w.ToArray());
            if (active.Count == 0) break;
        }
        return new HomotopyPath(alphas.ToArray(), points.ToArray(), positive);
    }

    /// <summary>
    /// Below <c>RoundingFloor sum_i |x_ij| |y_i|</c> the path takes no event of feature j: there its correlation x_j^T r,
    /// at most lambda, is of the size of its rounding error (about 1e-16 of that sum, with room to spare). On
    /// implicit-l1's 20 x 40 instances the path reached its interpolant near lambda = 1e-3 lambda_max and then took 25 more
    /// breakpoints between 1e-17 and 2e-15, each adding a feature the exact path does not have and breaking the
    /// optimality conditions between them by up to 136 lambda.
    /// </summary>
    public const double RoundingFloor = 1e-12;

    private static double[] ComputeGram(LassoProblem problem)
    {
        int p = problem.Features;
        var gram = new double[p * p];
        for (int j = 0; j < p; j++)
            Gemv.Multiply(Op.None, p, problem.Samples, 1, problem.Columns, problem.Stride, problem.Column(j), 0, gram.AsSpan(j * p, p));
        return gram;
    }

    private static int ArgDualNorm(ReadOnlySpan<double> c, bool positive)
    {
        int best = 0;
        for (int j = 1; j < c.Length; j++)
            if ((positive ? c[j] : Math.Abs(c[j])) > (positive ? c[best] : Math.Abs(c[best]))) best = j;
        return best;
    }

    /// <summary>The Cholesky factor L of the active set's Gram matrix X_A^T X_A, one row per active feature (row i has i + 1 entries).</summary>
    private sealed class ActiveCholesky(LassoProblem problem, double[]? gram)
    {
        private readonly List<double[]> _rows = [];
        private readonly List<int> _features = [];

        /// <summary>Appends feature j; false (and nothing changes) when X_j is numerically in the span of the active columns.</summary>
        public bool Add(int j)
        {
            int k = _features.Count;
            var row = new double[k + 1];
            ReadOnlySpan<double> xj = problem.Column(j);
            double diagonal = problem.ColumnNormsSquared[j];
            for (int i = 0; i < k; i++)
            {
                double s = gram is null ? Gemv.RowDot(problem.Column(_features[i]), xj) : gram[_features[i] * problem.Features + j];
                double[] li = _rows[i];
                for (int t = 0; t < i; t++) s -= li[t] * row[t];
                row[i] = s / li[i];
                diagonal -= row[i] * row[i];
            }
            if (!(diagonal > 1e-10 * problem.ColumnNormsSquared[j])) return false;
            row[k] = Math.Sqrt(diagonal);
            _rows.Add(row);
            _features.Add(j);
            return true;
        }

        /// <summary>
        /// Drops the k-th active feature. Deleting row k of L leaves rows below it one entry too long; Givens
        /// rotations of neighbouring columns (an orthogonal change that keeps L L^T) bring it back to lower
        /// triangular in O(size^2), without recomputing any Gram entry.
        /// </summary>
        public void Remove(int k)
        {
            _rows.RemoveAt(k);
            _features.RemoveAt(k);
            for (int r = k; r < _rows.Count; r++)
            {
                double a = _rows[r][r], b = _rows[r][r + 1];
                double h = Math.Sqrt(a * a + b * b);
                double c = a / h, s = b / h;
                for (int q = r; q < _rows.Count; q++)
                {
                    double[] row = _rows[q];
                    double x = row[r], y = row[r + 1];
                    row[r] = c * x + s * y;
                    row[r + 1] = -s * x + c * y;
                }
                _rows[r] = _rows[r][..(r + 1)];
            }
        }

        /// <summary>Solves <c>L L^T d = s</c>.</summary>
        public void Solve(IReadOnlyList<double> s, List<double> d)
        {
            int k = _rows.Count;
            var z = new double[k];
            for (int i = 0; i < k; i++)
            {
                double v = s[i];
                double[] li = _rows[i];
                for (int t = 0; t < i; t++) v -= li[t] * z[t];
                z[i] = v / li[i];
            }
            for (int i = k - 1; i >= 0; i--)
            {
                double v = z[i];
                for (int t = i + 1; t < k; t++) v -= _rows[t][i] * z[t];
                z[i] = v / _rows[i][i];
            }
            d.Clear();
            d.AddRange(z);
        }
    }
}

/// <summary>
/// An exact Lasso path: the solution at each breakpoint, alphas decreasing (scikit-learn's scaling,
/// <c>alpha = lambda / n</c>); between breakpoints the solution is linear in alpha, and above the first it is zero.
/// </summary>
/// <param name="Alphas">The breakpoints' alphas, decreasing.</param>
/// <param name="Coefficients">The solution of the prepared problem at each breakpoint (solver scale; <see cref="OnGrid"/> maps to the original scale).</param>
/// <param name="Positive">Whether the coefficients were constrained to be nonnegative.</param>
public sealed record HomotopyPath(double[] Alphas, double[][] Coefficients, bool Positive)
{
    /// <summary>The number of breakpoints, alpha_max first.</summary>
    public int Breakpoints => Alphas.Length;

    /// <summary>The solution at the end of the path (the minimum-l1 interpolant when the path ran to alpha = 0).</summary>
    public double[] End => Coefficients[^1];

    /// <summary>The solution at <paramref name="alpha"/>, interpolated between breakpoints.</summary>
    public double[] At(double alpha)
    {
        int p = Coefficients[0].Length;
        if (alpha >= Alphas[0]) return new double[p];
        for (int k = 1; k < Alphas.Length; k++)
        {
            if (alpha < Alphas[k]) continue;
            double t = (Alphas[k - 1] - alpha) / (Alphas[k - 1] - Alphas[k]);
            var w = new double[p];
            for (int j = 0; j < p; j++) w[j] = Coefficients[k - 1][j] + t * (Coefficients[k][j] - Coefficients[k - 1][j]);
            return w;
        }
        return End.ToArray();
    }

    /// <summary>
    /// The exact path of <paramref name="problem"/> sampled on a grid, with scikit-learn's duality gap at each point
    /// (NaN at alpha = 0); coefficients and intercepts on the original scale, as <see cref="CoordinateDescent"/> gives them.
    /// </summary>
    public LassoPath OnGrid(LassoProblem problem, IReadOnlyList<double> alphas)
    {
        var points = alphas.Select(At).ToArray();
        // At alpha = 0 the problem is least squares and the gap formula has no dual point to scale; it is NaN there.
        var gaps = alphas.Select((alpha, k) => alpha > 0 ? DualityGap.Of(problem, points[k], alpha, Positive) : double.NaN).ToArray();
        var coefficients = new double[alphas.Count][];
        var intercepts = new double[alphas.Count];
        for (int k = 0; k < alphas.Count; k++)
        {
            coefficients[k] = new double[points[k].Length];
            intercepts[k] = problem.ToOriginalScale(points[k], coefficients[k]);
        }
        return new LassoPath(alphas.ToArray(), coefficients, gaps, new int[alphas.Count], Positive) { Intercepts = intercepts };
    }
}
