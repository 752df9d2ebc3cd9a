using Engine.Kernels.Blas;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Gemm;

namespace Engine.Kernels.Lasso;

/// <summary>
/// The Lasso path by cyclic coordinate descent with warm starts, gap-safe screening and working sets.
/// </summary>
/// <remarks>
/// At each alpha an outer loop takes all correlations <c>X^T r</c> (one pass over X, reused from the previous
/// alpha's final check when nothing moved since), the duality gap, and from it the gap-safe sphere: a feature
/// whose correlation with the dual point stays below one over the whole sphere is zero at the optimum and is
/// dropped for the rest of this alpha. Of the survivors, the nonzero features plus a quarter as many more (at
/// least 64), those closest to their dual constraint, form a working set, on which cyclic coordinate descent
/// with residual updates and Anderson extrapolation runs to half the tolerance. If the full gap is still too
/// large the working set doubles. The loop therefore ends on the full problem's gap, scikit-learn's criterion,
/// while almost every epoch touches only the columns that matter, and most alphas cost a single pass over X.
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
        private readonly double[] _c, _score;
        private readonly AlignedBuffer _residual;
        private readonly bool[] _screened;
        private readonly int[] _order, _workingSet;
        private bool _correlationsCurrent;

        public Solver(LassoProblem problem, LassoOptions options)
        {
            _problem = problem;
            _options = options;
            _n = problem.Samples;
            _p = problem.Features;
            W = new double[_p];
            _residual = new AlignedBuffer(_n);
            problem.Y.CopyTo(_residual.Span);
            _c = new double[_p];
            _score = new double[_p];
            _screened = new bool[_p];
            _order = new int[_p];
            _workingSet = new int[_p];
        }

        public double[] W { get; }

        // r = y - X w, kept up to date by every coordinate update.
        private Span<double> Residual => _residual.Span;

        public (double Gap, int Epochs) Solve(double alpha)
        {
            double lambda = _n * alpha;
            double tolerance = _options.Tolerance * _problem.YNormSquared;
            bool positive = _options.Positive;
            Array.Clear(_screened);
            int epochs = 0;
            int wsSize = 0;
            double gap = double.PositiveInfinity;
            bool allScreened = false;
            for (int outer = 0; ; outer++)
            {
                // The correlations left by the previous alpha's last check are those of the current point.
                if (!_correlationsCurrent) Gemv.Multiply(Op.None, _p, _n, 1, _problem.Columns, _problem.Stride, Residual, 0, _c);
                _correlationsCurrent = true;
                double dualNorm = DualityGap.DualNorm(_c, positive);
                gap = DualityGap.FromParts(Gemv.RowDot(Residual, Residual), Gemv.RowDot(Residual, _problem.Y), L1(W), dualNorm, lambda);
                // With every feature screened out the solution is zero and the gap just computed is its final word.
                // Otherwise every alpha gets at least one pass, as in scikit-learn: a warm start that is already
                // within tolerance would else be returned unchanged and the path would repeat rows.
                bool passed = outer > 0;
                if ((gap <= tolerance && passed) || epochs >= _options.MaxEpochs || !double.IsFinite(gap) || allScreened) break;

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
                _correlationsCurrent = false;
                allScreened = survivors == 0;
                if (allScreened) continue;

                wsSize = Math.Max(nonzero + Math.Max(nonzero / 4, SmallestWorkingSet), outer == 0 ? 0 : 2 * wsSize);
                wsSize = Math.Min(wsSize, survivors);
                Span<int> candidates = _order.AsSpan(0, survivors);
                if (wsSize < survivors) SelectSmallest(candidates, wsSize);
                Span<int> ws = _workingSet.AsSpan(0, wsSize);
                candidates[..wsSize].CopyTo(ws);
                ws.Sort();

                epochs += SolveWorkingSet(ws, lambda, 0.5 * tolerance, _options.MaxEpochs - epochs);
            }
            return (gap, epochs);
        }

        // Cyclic coordinate descent on the working set until its gap (with dual norm over the working set only)
        // reaches the target; returns the epochs spent. Every AndersonDepth epochs the last iterates are
        // extrapolated (Anderson acceleration) and the extrapolation kept when it lowers the objective, which cuts
        // the epochs on the ill-conditioned end of the path, where the support approaches n, several fold.
        private int SolveWorkingSet(ReadOnlySpan<int> ws, double lambda, double target, int maxEpochs)
        {
            bool positive = _options.Positive;
            int k = ws.Length;
            EnsureHistory(k);
            for (int t = 0; t < k; t++) _history[t] = W[ws[t]];
            int epoch = 0;
            while (epoch < maxEpochs)
            {
                epoch++;
                foreach (int j in ws)
                {
                    double normSq = _problem.ColumnNormsSquared[j];
                    ReadOnlySpan<double> column = _problem.Column(j);
                    double old = W[j];
                    double z = Gemv.RowDot(column, Residual) + old * normSq;
                    double updated = (positive ? SoftThreshold.ApplyNonnegative(z, lambda) : SoftThreshold.Apply(z, lambda)) / normSq;
                    if (updated != old)
                    {
                        Gemv.RowAxpy(old - updated, column, Residual);
                        W[j] = updated;
                    }
                }
                int slot = epoch % (AndersonDepth + 1);
                for (int t = 0; t < k; t++) _history[slot * k + t] = W[ws[t]];
                if (slot == 0) TryExtrapolate(ws, lambda);
                // The gap costs as much as an epoch, so it is checked once per extrapolation cycle.
                if (slot != 0) continue;
                double dualNorm = positive ? double.NegativeInfinity : 0;
                double l1 = 0;
                foreach (int j in ws)
                {
                    double c = Gemv.RowDot(_problem.Column(j), Residual);
                    dualNorm = positive ? Math.Max(dualNorm, c) : Math.Max(dualNorm, Math.Abs(c));
                    l1 += Math.Abs(W[j]);
                }
                double gap = DualityGap.FromParts(Gemv.RowDot(Residual, Residual), Gemv.RowDot(Residual, _problem.Y), l1, dualNorm, lambda);
                if (gap <= target || !double.IsFinite(gap)) break;
            }
            return epoch;
        }

        private const int AndersonDepth = 5;
        private double[] _history = [], _extrapolated = [], _rExtrapolated = [];

        private void EnsureHistory(int k)
        {
            if (_history.Length >= (AndersonDepth + 1) * k) return;
            _history = new double[(AndersonDepth + 1) * k];
            _extrapolated = new double[k];
            _rExtrapolated = new double[_n];
        }

        // Anderson extrapolation from the iterates in the history (slots 0..depth, slot 0 the newest after a wrap):
        // with U the matrix of successive differences, c solves min ||U c|| subject to sum c = 1.
        private bool TryExtrapolate(ReadOnlySpan<int> ws, double lambda)
        {
            const int d = AndersonDepth;
            int k = ws.Length;
            // Order the slots oldest to newest: slot 1 was written first in this cycle, slot 0 last.
            Span<int> order = stackalloc int[d + 1];
            for (int i = 0; i < d; i++) order[i] = i + 1;
            order[d] = 0;
            Span<double> gram = stackalloc double[d * d];
            for (int a = 0; a < d; a++)
                for (int b = 0; b <= a; b++)
                {
                    double s = 0;
                    int a0 = order[a] * k, a1 = order[a + 1] * k, b0 = order[b] * k, b1 = order[b + 1] * k;
                    for (int t = 0; t < k; t++) s += (_history[a1 + t] - _history[a0 + t]) * (_history[b1 + t] - _history[b0 + t]);
                    gram[a * d + b] = gram[b * d + a] = s;
                }
            double trace = 0;
            for (int a = 0; a < d; a++) trace += gram[a * d + a];
            if (!(trace > 0)) return false;
            for (int a = 0; a < d; a++) gram[a * d + a] += 1e-10 * trace;
            Span<double> c = stackalloc double[d];
            c.Fill(1);
            if (!SolveSmall(gram, c, d)) return false;
            double sum = 0;
            foreach (double v in c) sum += v;
            if (!(Math.Abs(sum) > 1e-300)) return false;
            Span<double> e = _extrapolated.AsSpan(0, k);
            e.Clear();
            for (int a = 0; a < d; a++)
            {
                double weight = c[a] / sum;
                int row = order[a + 1] * k;
                for (int t = 0; t < k; t++) e[t] += weight * _history[row + t];
            }
            if (_options.Positive) foreach (double v in e) if (v < 0) return false;
            // Objective of the extrapolation against the current point, both on the working set.
            _problem.Y.CopyTo(_rExtrapolated, 0);
            double l1New = 0, l1Old = 0;
            for (int t = 0; t < k; t++)
            {
                if (e[t] != 0) Gemv.RowAxpy(-e[t], _problem.Column(ws[t]), _rExtrapolated);
                l1New += Math.Abs(e[t]);
                l1Old += Math.Abs(W[ws[t]]);
            }
            double objectiveNew = 0.5 * Gemv.RowDot(_rExtrapolated, _rExtrapolated) + lambda * l1New;
            double objectiveOld = 0.5 * Gemv.RowDot(Residual, Residual) + lambda * l1Old;
            if (!(objectiveNew < objectiveOld)) return false;
            for (int t = 0; t < k; t++) W[ws[t]] = e[t];
            _rExtrapolated.AsSpan().CopyTo(Residual);
            for (int t = 0; t < k; t++) _history[t] = e[t];
            return true;
        }

        // Gaussian elimination with partial pivoting on a d x d system, in place; false when singular.
        private static bool SolveSmall(Span<double> m, Span<double> rhs, int d)
        {
            for (int col = 0; col < d; col++)
            {
                int pivot = col;
                for (int r = col + 1; r < d; r++) if (Math.Abs(m[r * d + col]) > Math.Abs(m[pivot * d + col])) pivot = r;
                if (!(Math.Abs(m[pivot * d + col]) > 0)) return false;
                if (pivot != col)
                {
                    for (int t = 0; t < d; t++) (m[col * d + t], m[pivot * d + t]) = (m[pivot * d + t], m[col * d + t]);
                    (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
                }
                for (int r = col + 1; r < d; r++)
                {
                    double f = m[r * d + col] / m[col * d + col];
                    for (int t = col; t < d; t++) m[r * d + t] -= f * m[col * d + t];
                    rhs[r] -= f * rhs[col];
                }
            }
            for (int r = d - 1; r >= 0; r--)
            {
                double s = rhs[r];
                for (int t = r + 1; t < d; t++) s -= m[r * d + t] * rhs[t];
                rhs[r] = s / m[r * d + r];
            }
            return true;
        }

        private void SetCoordinate(int j, double value)
        {
            Gemv.RowAxpy(W[j] - value, _problem.Column(j), Residual);
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
