using System.Runtime.CompilerServices;

namespace Engine.Kernels.Lasso;

public static partial class CoordinateDescent
{
    /// <summary>
    /// Coordinate descent with covariance updates: the correlations <c>c = X^T r = X^T y - G w</c> of all features are
    /// kept current through rows of the Gram matrix G, so a coordinate costs one axpy of length p when it moves and
    /// nothing else, the residual is never formed, and the gap needs no pass over X:
    /// <c>r^T y = ||y||^2 - w^T X^T y</c> and <c>||r||^2 = r^T y - w^T c</c>.
    /// </summary>
    private sealed class GramSolver : PathSolver
    {
        private readonly double[] _gram, _correlation, _direction;
        private readonly AndersonExtrapolation _anderson = new();
        private double[] _point = [], _extrapolated = [], _step = [];

        public GramSolver(LassoProblem problem, LassoOptions options) : base(problem, options)
        {
            if (P > MaxGramFeatures && options.Precompute != LassoPrecompute.Gram)
                throw new InvalidOperationException("Lasso: the Gram solver was chosen for too many features.");
            _gram = problem.Gram(options.Threads);
            _correlation = problem.CorrelationWithY.ToArray();
            _direction = new double[P];
        }

        private ReadOnlySpan<double> Row(int j) => _gram.AsSpan(j * P, P);

        // Rounding in the rank-one updates accumulates over a path, so each alpha starts from c recomputed
        // from the nonzero coefficients (p times the support, less than one epoch).
        protected override void BeginAlpha()
        {
            Problem.CorrelationWithY.CopyTo(_correlation, 0);
            for (int j = 0; j < P; j++) if (W[j] != 0) ColumnKernels.Axpy(-W[j], Row(j), _correlation, P);
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        protected override (double ResidualSquared, double ResidualDotY) Refresh(double lambda1, double lambda2)
        {
            double wXy = 0, wc = 0;
            for (int j = 0; j < P; j++)
            {
                double w = W[j];
                double v = _correlation[j] - lambda2 * w;
                Value[j] = v;
                Bound[j] = Positive ? v : Math.Abs(v);
                if (w == 0) continue;
                wXy += w * Problem.CorrelationWithY[j];
                wc += w * _correlation[j];
            }
            double ry = Problem.YNormSquared - wXy;
            return (ry - wc, ry);
        }

        protected override void SetCoordinate(int j, double value)
        {
            ColumnKernels.Axpy(W[j] - value, Row(j), _correlation, P);
            W[j] = value;
        }

        // Cyclic coordinate descent with covariance updates. The gap of the working set costs O(k) here, so it is
        // checked after every epoch; every Depth + 1 epochs the last iterates are extrapolated.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        protected override int SolveWorkingSet(ReadOnlySpan<int> ws, double lambda1, double lambda2, double target, int maxEpochs)
        {
            int k = ws.Length;
            EnsureScratch(k);
            _anderson.Reset(k);
            Span<double> point = _point.AsSpan(0, k);
            int epoch = 0;
            while (epoch < maxEpochs)
            {
                epoch++;
                foreach (int j in ws)
                {
                    double normSq = Problem.ColumnNormsSquared[j];
                    double old = W[j];
                    double updated = Update(_correlation[j] + old * normSq, lambda1, lambda2, normSq);
                    if (updated != old)
                    {
                        ColumnKernels.Axpy(old - updated, Row(j), _correlation, P);
                        W[j] = updated;
                    }
                }
                for (int t = 0; t < k; t++) point[t] = W[ws[t]];
                if (_anderson.Record(epoch, point)) TryExtrapolate(ws, lambda1, lambda2);
                if (WorkingSetGap(ws, lambda1, lambda2) <= target) break;
            }
            return epoch;
        }

        private double WorkingSetGap(ReadOnlySpan<int> ws, double lambda1, double lambda2)
        {
            double dualNorm = Positive ? double.NegativeInfinity : 0;
            double l1 = 0, l2 = 0, wXy = 0, wc = 0;
            foreach (int j in ws)
            {
                double w = W[j], c = _correlation[j];
                double v = c - lambda2 * w;
                dualNorm = Positive ? Math.Max(dualNorm, v) : Math.Max(dualNorm, Math.Abs(v));
                l1 += Math.Abs(w);
                l2 += w * w;
                wXy += w * Problem.CorrelationWithY[j];
                wc += w * c;
            }
            double ry = Problem.YNormSquared - wXy;
            double gap = DualityGap.FromParts(ry - wc, ry, l1, l2, dualNorm, lambda1, lambda2);
            // A gap that is not finite cannot improve: stop and let the outer loop report it.
            return double.IsFinite(gap) ? gap : double.NegativeInfinity;
        }

        private void EnsureScratch(int k)
        {
            if (_point.Length >= k) return;
            _point = new double[k];
            _extrapolated = new double[k];
            _step = new double[k];
        }

        // Keeps the extrapolation e when it lowers the objective. With d = e - w on the working set and u = G d, the
        // smooth part changes by -d^T c + d^T u / 2, so the test costs one product with the working set's rows of G,
        // which then also updates c.
        private void TryExtrapolate(ReadOnlySpan<int> ws, double lambda1, double lambda2)
        {
            int k = ws.Length;
            Span<double> e = _extrapolated.AsSpan(0, k);
            if (!_anderson.Extrapolate(e)) return;
            if (Positive) foreach (double v in e) if (v < 0) return;
            Span<double> d = _step.AsSpan(0, k);
            Array.Clear(_direction);
            double change = 0;
            for (int t = 0; t < k; t++)
            {
                int j = ws[t];
                double old = W[j];
                d[t] = e[t] - old;
                if (d[t] != 0) ColumnKernels.Axpy(d[t], Row(j), _direction, P);
                change += lambda1 * (Math.Abs(e[t]) - Math.Abs(old)) + 0.5 * lambda2 * (e[t] * e[t] - old * old) - d[t] * _correlation[j];
            }
            for (int t = 0; t < k; t++) change += 0.5 * d[t] * _direction[ws[t]];
            if (!(change < 0)) return;
            for (int t = 0; t < k; t++) W[ws[t]] = e[t];
            for (int j = 0; j < P; j++) _correlation[j] -= _direction[j];
            _anderson.ReplaceNewest(e);
        }
    }
}
