using Engine.Kernels.Blas;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The Lasso path by cyclic coordinate descent with warm starts, gap-safe screening and working sets.
/// </summary>
/// <remarks>
/// At each alpha an outer loop computes all correlations <c>X^T r</c> once (one pass over X), the duality gap,
/// and from it the gap-safe sphere: a feature whose correlation with the dual point stays below one over the
/// whole sphere is zero at the optimum and is dropped for the rest of this alpha. Of the survivors, the
/// features closest to their dual constraint (and every nonzero one) form a working set, on which cyclic
/// coordinate descent with residual updates runs until its own gap is a fraction of the outer one. The working
/// set doubles whenever the outer gap is still too large, so the loop ends on the full problem's gap, the
/// same criterion as scikit-learn's, while most epochs touch only a few hundred columns.
/// </remarks>
public static class CoordinateDescent
{
    /// <summary>The path on scikit-learn's default grid (<paramref name="count"/> alphas down to eps * alpha_max).</summary>
    public static LassoPath Path(LassoProblem problem, int count = 100, double eps = 1e-3, LassoOptions? options = null) =>
        Path(problem, problem.AlphaGrid(count, eps), options);

    /// <summary>The path at the given alphas (any order; warm starts follow that order).</summary>
    public static LassoPath Path(LassoProblem problem, IReadOnlyList<double> alphas, LassoOptions? options = null)
    {
        options ??= LassoOptions.Default;
        var solver = new Solver(problem, options);
        var coefficients = new double[alphas.Count][];
        var gaps = new double[alphas.Count];
        var epochs = new int[alphas.Count];
        for (int k = 0; k < alphas.Count; k++)
        {
            if (!(alphas[k] > 0) || !double.IsFinite(alphas[k])) throw new ArgumentOutOfRangeException(nameof(alphas), $"Lasso: alpha must be > 0, got {alphas[k]}.");
            (gaps[k], epochs[k]) = solver.Solve(alphas[k]);
            coefficients[k] = solver.W.ToArray();
        }
        return new LassoPath(alphas.ToArray(), coefficients, gaps, epochs, options.Positive);
    }

    /// <summary>The solution at one alpha, from zero.</summary>
    public static double[] Solve(LassoProblem problem, double alpha, LassoOptions? options = null) =>
        Path(problem, [alpha], options).Coefficients[0];

    private sealed class Solver
    {
        private const int SmallestWorkingSet = 64;
        private readonly LassoProblem _problem;
        private readonly LassoOptions _options;
        private readonly int _n, _p;
        private readonly double[] _r, _c, _score;
        private readonly bool[] _screened;
        private readonly int[] _order, _workingSet;
        private int _lastWorkingSetSize;

        public Solver(LassoProblem problem, LassoOptions options)
        {
            _problem = problem;
            _options = options;
            _n = problem.Samples;
            _p = problem.Features;
            W = new double[_p];
            _r = problem.Y.ToArray();
            _c = new double[_p];
            _score = new double[_p];
            _screened = new bool[_p];
            _order = new int[_p];
            _workingSet = new int[_p];
        }

        public double[] W { get; }

        public (double Gap, int Epochs) Solve(double alpha)
        {
            double lambda = _n * alpha;
            double tolerance = _options.Tolerance * _problem.YNormSquared;
            bool positive = _options.Positive;
            Array.Clear(_screened);
            int epochs = 0;
            int wsSize = 0;
            double gap = double.PositiveInfinity;
            for (int outer = 0; ; outer++)
            {
                Gemv.Multiply(Op.None, _p, _n, 1, _problem.Xt, _n, _r, 0, _c);
                double dualNorm = DualityGap.DualNorm(_c, positive);
                gap = DualityGap.FromParts(Gemv.RowDot(_r, _r), Gemv.RowDot(_r, _problem.Y), L1(W), dualNorm, lambda);
                if (gap <= tolerance || epochs >= _options.MaxEpochs || !double.IsFinite(gap)) break;

                double scale = Math.Max(lambda, dualNorm);
                double radius = Math.Sqrt(2 * Math.Max(gap, 0)) / lambda;
                int survivors = 0, nonzero = 0;
                for (int j = 0; j < _p; j++)
                {
                    double norm = Math.Sqrt(_problem.ColumnNormsSquared[j]);
                    double t = positive ? _c[j] / scale : Math.Abs(_c[j]) / scale;
                    if (_screened[j] || norm == 0 || t + norm * radius < 1)
                    {
                        if (!_screened[j] && W[j] != 0) SetCoordinate(j, 0);
                        _screened[j] = true;
                        continue;
                    }
                    // Distance of the dual point to feature j's constraint; nonzero features always stay in.
                    _score[j] = W[j] != 0 ? double.NegativeInfinity : (1 - t) / norm;
                    _order[survivors++] = j;
                    if (W[j] != 0) nonzero++;
                }
                if (survivors == 0) continue;

                wsSize = Math.Max(Math.Max(2 * nonzero, SmallestWorkingSet), outer == 0 ? _lastWorkingSetSize / 2 : 2 * wsSize);
                wsSize = Math.Min(wsSize, survivors);
                Span<int> candidates = _order.AsSpan(0, survivors);
                if (wsSize < survivors) SelectSmallest(candidates, wsSize);
                Span<int> ws = _workingSet.AsSpan(0, wsSize);
                candidates[..wsSize].CopyTo(ws);
                ws.Sort();
                _lastWorkingSetSize = wsSize;

                epochs += SolveWorkingSet(ws, lambda, Math.Max(0.3 * gap, 0.1 * tolerance), _options.MaxEpochs - epochs);
            }
            return (gap, epochs);
        }

        // Cyclic coordinate descent on the working set until its gap (with dual norm over the working set only)
        // reaches the target; returns the epochs spent.
        private int SolveWorkingSet(ReadOnlySpan<int> ws, double lambda, double target, int maxEpochs)
        {
            bool positive = _options.Positive;
            double[] xt = _problem.Xt;
            int epoch = 0;
            while (epoch < maxEpochs)
            {
                epoch++;
                double maxChange = 0, maxW = 0;
                foreach (int j in ws)
                {
                    double normSq = _problem.ColumnNormsSquared[j];
                    ReadOnlySpan<double> column = xt.AsSpan(j * _n, _n);
                    double old = W[j];
                    double z = Gemv.RowDot(column, _r) + old * normSq;
                    double updated = (positive ? SoftThreshold.ApplyNonnegative(z, lambda) : SoftThreshold.Apply(z, lambda)) / normSq;
                    if (updated != old)
                    {
                        Blas1.Axpy(old - updated, column, _r);
                        W[j] = updated;
                        maxChange = Math.Max(maxChange, Math.Abs(updated - old));
                    }
                    maxW = Math.Max(maxW, Math.Abs(updated));
                }
                // Like scikit-learn, only evaluate the gap once the largest step is small relative to w.
                if (maxW != 0 && maxChange / maxW > 1e-3 && epoch % 10 != 0) continue;
                double dualNorm = positive ? double.NegativeInfinity : 0;
                double l1 = 0;
                foreach (int j in ws)
                {
                    double c = Gemv.RowDot(xt.AsSpan(j * _n, _n), _r);
                    dualNorm = positive ? Math.Max(dualNorm, c) : Math.Max(dualNorm, Math.Abs(c));
                    l1 += Math.Abs(W[j]);
                }
                double gap = DualityGap.FromParts(Gemv.RowDot(_r, _r), Gemv.RowDot(_r, _problem.Y), l1, dualNorm, lambda);
                if (gap <= target || !double.IsFinite(gap)) break;
            }
            return epoch;
        }

        private void SetCoordinate(int j, double value)
        {
            Blas1.Axpy(W[j] - value, _problem.Column(j), _r);
            W[j] = value;
        }

        private static double L1(ReadOnlySpan<double> w)
        {
            double s = 0;
            foreach (double v in w) s += Math.Abs(v);
            return s;
        }

        // Moves the k candidates with the smallest scores to the front (quickselect on the score).
        private void SelectSmallest(Span<int> candidates, int k)
        {
            int lo = 0, hi = candidates.Length - 1;
            while (lo < hi)
            {
                double pivot = _score[candidates[(lo + hi) >>> 1]];
                int i = lo, j = hi;
                while (i <= j)
                {
                    while (_score[candidates[i]] < pivot) i++;
                    while (_score[candidates[j]] > pivot) j--;
                    if (i <= j)
                    {
                        (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
                        i++;
                        j--;
                    }
                }
                if (k - 1 <= j) hi = j;
                else if (k - 1 >= i) lo = i;
                else break;
            }
        }
    }
}
