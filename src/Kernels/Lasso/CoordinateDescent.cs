namespace Engine.Kernels.Lasso;

/// <summary>
/// The Lasso and elastic-net path by cyclic coordinate descent with warm starts, gap-safe screening and working
/// sets, in scikit-learn's conventions (the same alphas, tolerance and duality gap as its <c>enet_path</c>).
/// </summary>
/// <remarks>
/// <para>At each alpha an outer loop takes the correlations <c>X^T r - lambda2 w</c> of every feature, the duality
/// gap, and from it the gap-safe sphere: a feature whose correlation with the dual point stays below one over the
/// whole sphere is zero at the optimum and is dropped for the rest of this alpha. Of the survivors, the nonzero
/// features plus a quarter as many more (at least 64), those closest to their dual constraint, form a working set,
/// on which coordinate descent with Anderson extrapolation runs to half the tolerance. If the full gap is still
/// too large the working set doubles. The loop therefore ends on the full problem's gap, scikit-learn's
/// criterion, while almost every epoch touches only the columns that matter.</para>
/// <para>Two solvers share that loop. With at least as many samples as features the Gram matrix is built once
/// and every update is a covariance update (<c>X^T r</c> kept current through rows of <c>X^T X</c>), so no pass
/// over X is ever needed. Otherwise the residual is updated and the correlations of all features come from an
/// int8 copy of X with proven error bounds (<see cref="QuantizedColumns"/>): only features that the bound cannot
/// certify below the penalty are computed in double, so the full pass that dominated the path costs an eighth of
/// its memory traffic.</para>
/// </remarks>
public static partial class CoordinateDescent
{
    /// <summary>The most features for which <see cref="LassoPrecompute.Auto"/> builds the Gram matrix (it takes p^2 doubles).</summary>
    public const int MaxGramFeatures = 2048;

    /// <summary>The path on scikit-learn's default grid (<paramref name="count"/> alphas down to eps * alpha_max).</summary>
    public static LassoPath Path(LassoProblem problem, int count = 100, double eps = 1e-3, LassoOptions? options = null) =>
        Path(problem, problem.AlphaGrid(count, eps, (options ?? LassoOptions.Default).L1Ratio), options);

    /// <summary>The path at the given alphas (any order; warm starts follow that order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An alpha is not positive and finite, or an option is out of range.</exception>
    public static LassoPath Path(LassoProblem problem, IReadOnlyList<double> alphas, LassoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= LassoOptions.Default;
        options.Validate();
        for (int k = 0; k < alphas.Count; k++)
            if (!(alphas[k] > 0) || !double.IsFinite(alphas[k])) throw new ArgumentOutOfRangeException(nameof(alphas), $"Lasso: alpha must be > 0, got {alphas[k]}.");
        PathSolver solver = UsesGram(problem, options) ? new GramSolver(problem, options) : new ResidualSolver(problem, options);
        var coefficients = new double[alphas.Count][];
        var intercepts = new double[alphas.Count];
        var gaps = new double[alphas.Count];
        var epochs = new int[alphas.Count];
        for (int k = 0; k < alphas.Count; k++)
        {
            (gaps[k], epochs[k]) = solver.Solve(alphas[k]);
            coefficients[k] = new double[problem.Features];
            intercepts[k] = problem.ToOriginalScale(solver.W, coefficients[k]);
        }
        return new LassoPath(alphas.ToArray(), coefficients, gaps, epochs, options.Positive) { Intercepts = intercepts, L1Ratio = options.L1Ratio };
    }

    /// <summary>The solution at one alpha, from zero (original scale; see <see cref="Path(LassoProblem, IReadOnlyList{double}, LassoOptions?)"/> for the intercept).</summary>
    public static double[] Solve(LassoProblem problem, double alpha, LassoOptions? options = null) =>
        Path(problem, [alpha], options).Coefficients[0];

    /// <summary>Whether a path on this problem with these options runs on the Gram matrix.</summary>
    public static bool UsesGram(LassoProblem problem, LassoOptions options) => options.Precompute switch
    {
        LassoPrecompute.Gram => true,
        LassoPrecompute.Residual => false,
        _ => problem.Features <= problem.Samples && problem.Features <= MaxGramFeatures,
    };

    /// <summary>
    /// The outer loop shared by both solvers: correlations, gap, screening, working set. A solver supplies the
    /// correlations (<see cref="Refresh"/>), the working-set solve and the move of one coordinate.
    /// </summary>
    private abstract class PathSolver
    {
        private const int SmallestWorkingSet = 64;
        protected readonly LassoProblem Problem;
        protected readonly LassoOptions Options;
        protected readonly int N, P;
        protected readonly bool Positive;
        private readonly double[] _score;
        private readonly bool[] _screened;
        private readonly int[] _order, _workingSet;

        protected PathSolver(LassoProblem problem, LassoOptions options)
        {
            Problem = problem;
            Options = options;
            N = problem.Samples;
            P = problem.Features;
            Positive = options.Positive;
            W = new double[P];
            Value = new double[P];
            Bound = new double[P];
            _score = new double[P];
            _screened = new bool[P];
            _order = new int[P];
            _workingSet = new int[P];
        }

        /// <summary>The current point (solver scale).</summary>
        public double[] W { get; }

        /// <summary>
        /// After <see cref="Refresh"/>: for every feature, an estimate of its dual-constraint value
        /// <c>v_j = X_j^T r - lambda2 w_j</c>, exact wherever <see cref="Bound"/> exceeds lambda1.
        /// </summary>
        protected double[] Value { get; }

        /// <summary>
        /// After <see cref="Refresh"/>: an upper bound on <c>|v_j|</c> (on <c>v_j</c> for the positive problem); equal to
        /// that value where it exceeds lambda1, since only there does the feature change the dual norm.
        /// </summary>
        protected double[] Bound { get; }

        /// <summary>Brings <see cref="Value"/> and <see cref="Bound"/> up to the current point; returns <c>||r||^2</c> and <c>r^T y</c>.</summary>
        protected abstract (double ResidualSquared, double ResidualDotY) Refresh(double lambda1, double lambda2);

        /// <summary>Coordinate descent on the working set until its own gap is at most target; returns the epochs spent.</summary>
        protected abstract int SolveWorkingSet(ReadOnlySpan<int> ws, double lambda1, double lambda2, double target, int maxEpochs);

        /// <summary>Moves coordinate j to value, keeping the solver's state (residual or correlations) consistent.</summary>
        protected abstract void SetCoordinate(int j, double value);

        /// <summary>Called once per alpha before the first refresh.</summary>
        protected virtual void BeginAlpha() { }

        public (double Gap, int Epochs) Solve(double alpha)
        {
            double lambda1 = N * alpha * Options.L1Ratio, lambda2 = N * alpha * (1 - Options.L1Ratio);
            double tolerance = Options.Tolerance * Problem.YNormSquared;
            Array.Clear(_screened);
            BeginAlpha();
            int epochs = 0;
            int wsSize = 0;
            double gap = double.PositiveInfinity;
            bool allScreened = false;
            for (int outer = 0; ; outer++)
            {
                var (rr, ry) = Refresh(lambda1, lambda2);
                double dualNorm = Positive ? double.NegativeInfinity : 0;
                double l1 = 0, l2 = 0;
                for (int j = 0; j < P; j++)
                {
                    // Certified features (bound at most lambda1) cannot change the scaling of the dual point.
                    if (Bound[j] > lambda1) dualNorm = Math.Max(dualNorm, Positive ? Value[j] : Math.Abs(Value[j]));
                    double w = W[j];
                    l1 += Math.Abs(w);
                    l2 += w * w;
                }
                gap = DualityGap.FromParts(rr, ry, l1, l2, dualNorm, lambda1, lambda2);
                // With every feature screened out the solution is zero and the gap just computed is its final word.
                // Otherwise every alpha gets at least one pass, as in scikit-learn: a warm start that is already
                // within tolerance would else be returned unchanged and the path would repeat rows.
                bool passed = outer > 0;
                if ((gap <= tolerance && passed) || epochs >= Options.MaxEpochs || !double.IsFinite(gap) || allScreened) break;

                double scale = Math.Max(lambda1, dualNorm);
                double radius = Math.Sqrt(2 * Math.Max(gap, 0)) / lambda1;
                int survivors = 0, nonzero = 0;
                for (int j = 0; j < P; j++)
                {
                    double columnSquared = Problem.ColumnNormsSquared[j];
                    // The elastic net is a Lasso on X stacked over sqrt(lambda2) I, whose columns are this long.
                    double norm = Math.Sqrt(columnSquared + lambda2);
                    if (_screened[j] || columnSquared == 0 || Bound[j] / scale + norm * radius < 1)
                    {
                        if (!_screened[j] && W[j] != 0) SetCoordinate(j, 0);
                        _screened[j] = true;
                        continue;
                    }
                    // Distance of the dual point to feature j's constraint; nonzero features always stay in.
                    double t = Positive ? Value[j] / scale : Math.Abs(Value[j]) / scale;
                    _score[j] = W[j] != 0 ? double.NegativeInfinity : (1 - t) / norm;
                    _order[survivors++] = j;
                    if (W[j] != 0) nonzero++;
                }
                allScreened = survivors == 0;
                if (allScreened) continue;

                wsSize = Math.Max(nonzero + Math.Max(nonzero / 4, SmallestWorkingSet), outer == 0 ? 0 : 2 * wsSize);
                wsSize = Math.Min(wsSize, survivors);
                Span<int> candidates = _order.AsSpan(0, survivors);
                if (wsSize < survivors) SelectSmallest(candidates, wsSize);
                Span<int> ws = _workingSet.AsSpan(0, wsSize);
                candidates[..wsSize].CopyTo(ws);
                ws.Sort();

                epochs += SolveWorkingSet(ws, lambda1, lambda2, 0.5 * tolerance, Options.MaxEpochs - epochs);
            }
            return (gap, epochs);
        }

        /// <summary>The coordinate update: the minimizer over w_j with the others fixed, given <c>z = X_j^T r + ||X_j||^2 w_j</c>.</summary>
        protected double Update(double z, double lambda1, double lambda2, double normSquared) =>
            (Positive ? Elementwise.SoftThreshold.ApplyNonnegative(z, lambda1) : Elementwise.SoftThreshold.Apply(z, lambda1)) / (normSquared + lambda2);

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
