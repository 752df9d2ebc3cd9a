using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Kernels.Blas;
using Engine.Kernels.Gemm;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Lasso;

public static partial class CoordinateDescent
{
    /// <summary>
    /// Coordinate descent with residual updates: <c>r = y - Xw</c> is kept current, each coordinate costs a dot
    /// product and an axpy over its column, and the correlations of all features come from the int8 copy of X.
    /// </summary>
    private sealed class ResidualSolver : PathSolver
    {
        private readonly AlignedBuffer<double> _residual;
        private readonly QuantizedColumns _quantized;
        private readonly double[] _correlation, _estimate, _radius;
        private readonly int[] _exactVersion, _pending;
        private readonly AndersonExtrapolation _anderson = new();
        private double[] _point = [], _extrapolated = [];
        private readonly double[] _rExtrapolated;
        // Bumped whenever r changes; a correlation is exact for the current r when its version matches.
        private int _version = 1, _passVersion;

        public ResidualSolver(LassoProblem problem, LassoOptions options) : base(problem, options)
        {
            _residual = new AlignedBuffer<double>(N);
            problem.Y.CopyTo(_residual.Span);
            _rExtrapolated = new double[N];
            _quantized = problem.Quantized;
            _correlation = new double[P];
            _estimate = new double[P];
            _radius = new double[P];
            _exactVersion = new int[P];
            _pending = new int[P];
        }

        private Span<double> Residual => _residual.Span;

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        protected override (double ResidualSquared, double ResidualDotY) Refresh(double lambda1, double lambda2)
        {
            Span<double> r = Residual;
            if (_passVersion != _version)
            {
                int pending = 0;
                for (int j = 0; j < P; j++) if (_exactVersion[j] != _version) _pending[pending++] = j;
                if (_quantized.PrepareResidual(r)) Screen(_pending.AsSpan(0, pending));
                else
                {
                    Gemv.Multiply(Op.None, P, N, 1, Problem.Columns, Problem.Stride, r, 0, _correlation);
                    Array.Fill(_exactVersion, _version);
                }
                _passVersion = _version;
            }
            // Features the int8 bound cannot certify below lambda1 are computed exactly, four columns at a time.
            int uncertified = 0;
            for (int j = 0; j < P; j++)
            {
                if (_exactVersion[j] == _version) continue;
                double estimate = _estimate[j] - lambda2 * W[j];
                double bound = (Positive ? estimate : Math.Abs(estimate)) + _radius[j];
                if (bound > lambda1) _pending[uncertified++] = j;
                else
                {
                    Value[j] = estimate;
                    Bound[j] = bound;
                }
            }
            ExactCorrelations(_pending.AsSpan(0, uncertified));
            for (int j = 0; j < P; j++)
            {
                if (_exactVersion[j] != _version) continue;
                double v = _correlation[j] - lambda2 * W[j];
                Value[j] = v;
                Bound[j] = Positive ? v : Math.Abs(v);
            }
            return (ColumnKernels.Dot(r, r, N), ColumnKernels.Dot(r, Problem.Y, N));
        }

        // X_j^T r for the listed features, into _correlation, marked exact for the current r.
        private void ExactCorrelations(ReadOnlySpan<int> features)
        {
            ref double r = ref MemoryMarshal.GetReference(Residual);
            Span<double> dots = stackalloc double[4];
            int t = 0;
            for (; t + 4 <= features.Length; t += 4)
            {
                ColumnKernels.Dot4(ref ColumnStart(features[t]), ref ColumnStart(features[t + 1]), ref ColumnStart(features[t + 2]), ref ColumnStart(features[t + 3]), ref r, N, dots);
                for (int u = 0; u < 4; u++) _correlation[features[t + u]] = dots[u];
            }
            for (; t < features.Length; t++) _correlation[features[t]] = ColumnKernels.Dot(ref ColumnStart(features[t]), ref r, N);
            foreach (int j in features) _exactVersion[j] = _version;
        }

        // The int8 pass over the features whose correlation is not known exactly, split over threads when the pass
        // is long enough to pay for them.
        private void Screen(ReadOnlySpan<int> features)
        {
            int threads = Options.Threads;
            long work = (long)features.Length * N;
            if (threads <= 1 || work < 4_000_000)
            {
                _quantized.Correlations(features, _estimate, _radius);
                return;
            }
            int[] list = features.ToArray();
            int chunk = (list.Length + threads - 1) / threads;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int start = t * chunk, end = Math.Min(list.Length, start + chunk);
                if (start < end) _quantized.Correlations(list.AsSpan(start, end - start), _estimate, _radius);
            });
        }

        protected override void SetCoordinate(int j, double value)
        {
            ColumnKernels.Axpy(W[j] - value, Problem.Column(j), Residual, N);
            W[j] = value;
            _version++;
        }

        // Cyclic coordinate descent with residual updates. The exact gap of the working set costs as much as half an
        // epoch (a dot product per column), so each epoch first estimates it from the dot products it computed
        // anyway: X_j^T r just after coordinate j moved is its dot product minus the move times ||X_j||^2, which
        // later moves in the epoch change only a little once the iterates settle. Only an estimate within the
        // target (or an accepted extrapolation, after which the estimate is void) pays for the exact check. Every
        // Depth + 1 epochs the last iterates are extrapolated. When the loop ends on an exact check, the working
        // set's correlations are exact for the final r.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        protected override int SolveWorkingSet(ReadOnlySpan<int> ws, double lambda1, double lambda2, double target, int maxEpochs)
        {
            int k = ws.Length;
            EnsureScratch(k);
            _anderson.Reset(k);
            Span<double> point = _point.AsSpan(0, k);
            ref double r = ref MemoryMarshal.GetReference(Residual);
            int epoch = 0;
            while (epoch < maxEpochs)
            {
                epoch++;
                // r moves in this epoch: correlations marked exact before it are not any more.
                _version++;
                double dualNorm = Positive ? double.NegativeInfinity : 0;
                double l1 = 0, l2 = 0;
                for (int t = 0; t < k; t++)
                {
                    int j = ws[t];
                    double normSq = Problem.ColumnNormsSquared[j];
                    ref double column = ref ColumnStart(j);
                    double old = W[j];
                    double dot = ColumnKernels.Dot(ref column, ref r, N);
                    double updated = Update(dot + old * normSq, lambda1, lambda2, normSq);
                    if (updated != old)
                    {
                        ColumnKernels.Axpy(old - updated, ref column, ref r, N);
                        W[j] = updated;
                    }
                    point[t] = updated;
                    double v = dot - (updated - old) * normSq - lambda2 * updated;
                    dualNorm = Positive ? Math.Max(dualNorm, v) : Math.Max(dualNorm, Math.Abs(v));
                    l1 += Math.Abs(updated);
                    l2 += updated * updated;
                }
                bool extrapolated = _anderson.Record(epoch, point) && TryExtrapolate(ws, lambda1, lambda2);
                if (!extrapolated)
                {
                    double estimate = DualityGap.FromParts(ColumnKernels.Dot(ref r, ref r, N), ColumnKernels.Dot(ref r, ref MemoryMarshal.GetArrayDataReference(Problem.Y), N),
                        l1, l2, dualNorm, lambda1, lambda2);
                    if (estimate > target && double.IsFinite(estimate)) continue;
                }
                if (ExactGap(ws, lambda1, lambda2) <= target) break;
            }
            return epoch;
        }

        // The gap of the working set at the current point, with its correlations computed exactly (and kept);
        // NegativeInfinity when not finite, which ends the working-set loop.
        private double ExactGap(ReadOnlySpan<int> ws, double lambda1, double lambda2)
        {
            ref double r = ref MemoryMarshal.GetReference(Residual);
            ExactCorrelations(ws);
            double dualNorm = Positive ? double.NegativeInfinity : 0;
            double l1 = 0, l2 = 0;
            foreach (int j in ws)
            {
                double w = W[j];
                double v = _correlation[j] - lambda2 * w;
                dualNorm = Positive ? Math.Max(dualNorm, v) : Math.Max(dualNorm, Math.Abs(v));
                l1 += Math.Abs(w);
                l2 += w * w;
            }
            double gap = DualityGap.FromParts(ColumnKernels.Dot(ref r, ref r, N), ColumnKernels.Dot(ref r, ref MemoryMarshal.GetArrayDataReference(Problem.Y), N),
                l1, l2, dualNorm, lambda1, lambda2);
            return double.IsFinite(gap) ? gap : double.NegativeInfinity;
        }

        private ref double ColumnStart(int j) => ref Unsafe.AsRef(in Problem.Columns[j * Problem.Stride]);

        private void EnsureScratch(int k)
        {
            if (_point.Length >= k) return;
            _point = new double[k];
            _extrapolated = new double[k];
        }

        // Keeps the extrapolation when it lowers the objective on the working set; true when it did.
        private bool TryExtrapolate(ReadOnlySpan<int> ws, double lambda1, double lambda2)
        {
            int k = ws.Length;
            Span<double> e = _extrapolated.AsSpan(0, k);
            if (!_anderson.Extrapolate(e)) return false;
            if (Positive) foreach (double v in e) if (v < 0) return false;
            Problem.Y.CopyTo(_rExtrapolated, 0);
            double penaltyNew = 0, penaltyOld = 0;
            for (int t = 0; t < k; t++)
            {
                if (e[t] != 0) ColumnKernels.Axpy(-e[t], Problem.Column(ws[t]), _rExtrapolated, N);
                double old = W[ws[t]];
                penaltyNew += lambda1 * Math.Abs(e[t]) + 0.5 * lambda2 * e[t] * e[t];
                penaltyOld += lambda1 * Math.Abs(old) + 0.5 * lambda2 * old * old;
            }
            double objectiveNew = 0.5 * ColumnKernels.Dot(_rExtrapolated, _rExtrapolated, N) + penaltyNew;
            double objectiveOld = 0.5 * ColumnKernels.Dot(Residual, Residual, N) + penaltyOld;
            if (!(objectiveNew < objectiveOld)) return false;
            for (int t = 0; t < k; t++) W[ws[t]] = e[t];
            _rExtrapolated.AsSpan().CopyTo(Residual);
            _anderson.ReplaceNewest(e);
            return true;
        }
    }
}
