namespace Engine.Kernels.FlowLimit;

/// <summary>
/// A two-phase dense tableau simplex method for small linear programs in standard form:
/// minimize <c>c^T x</c> subject to <c>E x = b</c>, <c>x &gt;= 0</c>.
/// </summary>
/// <remarks>
/// <para>Meant for the facial reduction of the flow-limit problems (a few dozen rows), where exactness matters more
/// than speed: rows are scaled to unit largest entry so that one set of absolute tolerances fits every problem,
/// Dantzig's rule picks the entering column, and Bland's rule takes over for good after a run of pivots that do
/// not improve the objective. Bland's rule rules out cycling only in exact arithmetic; on the degenerate vertices
/// these problems are full of, rounding let it cycle for good (a 60 x 120 flow-limit instance), so phase one stops
/// once the artificials are zero to rounding and phase two runs on a slightly perturbed right-hand side.</para>
/// <para>Phase one starts from a basis of unit columns of E where there are any and artificial columns elsewhere,
/// and minimizes the sum of the artificials; a positive minimum means the constraints are infeasible.
/// Artificials still basic at level zero are then pivoted out, or their row is dropped as redundant.</para>
/// </remarks>
internal static class DenseSimplex
{
    private const double PivotTolerance = 1e-9;
    private const double CostTolerance = 1e-9;
    private const double FeasibilityTolerance = 1e-9;
    private const double RightHandPerturbation = 1e-9;
    private const double GoldenRatio = 1.6180339887498949;

    private static double Fraction(double v) => v - Math.Floor(v);

    /// <summary>
    /// Solves the program; returns null when it is infeasible. Throws when it is unbounded or the pivot limit is
    /// reached (the callers only build bounded programs).
    /// </summary>
    public static double[]? Minimize(ReadOnlySpan<double> e, int rows, int columns, ReadOnlySpan<double> b, ReadOnlySpan<double> c)
    {
        var tableau = new Tableau(e, rows, columns, b);
        if (!tableau.PhaseOne()) return null;
        tableau.PhaseTwo(c);
        return tableau.Solution();
    }

    private sealed class Tableau
    {
        private readonly int _rows, _columns, _width;  // _width = structural + artificial columns
        // (_rows + 1) x (_width + 2); the last row is the objective. Column _width is the right-hand side the pivots
        // are chosen by (perturbed in phase two), column _width + 1 the unperturbed one that the solution is read from.
        private readonly double[] _t;
        private readonly int[] _basis;
        private readonly bool[] _rowActive;
        private int _artificialStart;

        public Tableau(ReadOnlySpan<double> e, int rows, int columns, ReadOnlySpan<double> b)
        {
            _rows = rows;
            _columns = columns;
            _basis = new int[rows];
            _rowActive = new bool[rows];
            _rowActive.AsSpan().Fill(true);

            // A unit column (one positive entry, in its row) can start in the basis of that row after scaling.
            var unitColumnOfRow = new int[rows];
            unitColumnOfRow.AsSpan().Fill(-1);
            for (int j = 0; j < columns; j++)
            {
                int row = -1;
                bool unit = true;
                for (int i = 0; i < rows && unit; i++)
                {
                    double v = e[i * columns + j];
                    if (v == 0) continue;
                    if (row >= 0 || v < 0) unit = false;
                    row = i;
                }
                if (unit && row >= 0 && unitColumnOfRow[row] < 0) unitColumnOfRow[row] = j;
            }
            int artificials = 0;
            for (int i = 0; i < rows; i++) if (unitColumnOfRow[i] < 0 || b[i] < 0) artificials++;
            _artificialStart = columns;
            _width = columns + artificials;
            _t = new double[(rows + 1) * Stride];

            int next = columns;
            for (int i = 0; i < rows; i++)
            {
                double scale = Math.Abs(b[i]);
                for (int j = 0; j < columns; j++) scale = Math.Max(scale, Math.Abs(e[i * columns + j]));
                // Rows with b < 0 are negated so that the starting basis is feasible.
                double factor = (scale > 0 ? 1 / scale : 1) * (b[i] < 0 ? -1 : 1);
                for (int j = 0; j < columns; j++) this[i, j] = e[i * columns + j] * factor;
                this[i, _width] = this[i, Exact] = b[i] * factor;
                if (unitColumnOfRow[i] >= 0 && b[i] >= 0)
                {
                    // Rescale the row once more so that the unit column is exactly one.
                    double pivot = this[i, unitColumnOfRow[i]];
                    for (int j = 0; j < Stride; j++) this[i, j] /= pivot;
                    _basis[i] = unitColumnOfRow[i];
                }
                else
                {
                    this[i, next] = 1;
                    _basis[i] = next++;
                }
            }
        }

        private int Stride => _width + 2;

        private int Exact => _width + 1;

        private ref double this[int i, int j] => ref _t[i * Stride + j];

        /// <summary>Minimizes the sum of the artificials; false when it stays positive (infeasible).</summary>
        public bool PhaseOne()
        {
            int objective = _rows;
            for (int j = 0; j < Stride; j++) this[objective, j] = 0;
            for (int i = 0; i < _rows; i++)
            {
                if (_basis[i] < _artificialStart) continue;
                for (int j = 0; j < Stride; j++) this[objective, j] -= this[i, j];
                this[objective, _basis[i]] = 0;
            }
            // The rows are scaled to unit largest entry, so every basic value starts at most one and the sum of the
            // artificials has an absolute scale. Phase one stops as soon as that sum is zero to rounding: pivoting on
            // past that point only trades rounding errors of the size of the tolerances, and on the degenerate vertices
            // of these programs such pivots can cycle.
            Iterate(_width, stopAtOrBelow: FeasibilityTolerance);
            double sumOfArtificials = -this[objective, _width];
            if (sumOfArtificials > FeasibilityTolerance) return false;
            // The artificials still basic are zero to rounding; making them exactly zero keeps the pivots below degenerate.
            for (int i = 0; i < _rows; i++)
                if (_basis[i] >= _artificialStart) this[i, _width] = this[i, Exact] = 0;

            // Drive the artificials left in the basis (at level zero) out of it, or drop their rows as redundant.
            for (int i = 0; i < _rows; i++)
            {
                if (_basis[i] < _artificialStart) continue;
                int entering = -1;
                for (int j = 0; j < _artificialStart; j++)
                    if (Math.Abs(this[i, j]) > PivotTolerance) { entering = j; break; }
                if (entering >= 0) Pivot(i, entering);
                else _rowActive[i] = false;
            }
            return true;
        }

        public void PhaseTwo(ReadOnlySpan<double> c)
        {
            int objective = _rows;
            for (int j = 0; j < Stride; j++) this[objective, j] = j < _columns ? c[j] : 0;
            for (int i = 0; i < _rows; i++)
            {
                if (!_rowActive[i]) continue;
                double cost = this[objective, _basis[i]];
                if (cost == 0) continue;
                for (int j = 0; j < Stride; j++) this[objective, j] -= cost * this[i, j];
                this[objective, _basis[i]] = 0;
            }
            // Phase two starts on a vertex where many basic values are zero, and on such vertices Dantzig's and Bland's
            // rules alike can pivot for thousands of steps without moving. Raising every basic value by a distinct
            // amount of order RightHandPerturbation (the right-hand side becomes b + B·epsilon for the current basis B,
            // so the program stays feasible) makes the ties unlikely and every pivot a strict improvement. The pivots
            // carry the unperturbed right-hand side along, and the solution is read from it: the final basis is optimal
            // for b itself, since the reduced costs do not depend on the right-hand side.
            for (int i = 0; i < _rows; i++)
                if (_rowActive[i]) this[i, _width] += RightHandPerturbation * (1 + Fraction(i * GoldenRatio));
            Iterate(_artificialStart);
        }

        public double[] Solution()
        {
            var x = new double[_columns];
            for (int i = 0; i < _rows; i++)
                if (_rowActive[i] && _basis[i] < _columns) x[_basis[i]] = Math.Max(0, this[i, Exact]);
            return x;
        }

        // Pivots until no column below `limit` has a negative reduced cost, or the objective is at or below `stopAtOrBelow`.
        private void Iterate(int limit, double stopAtOrBelow = double.NegativeInfinity)
        {
            int objective = _rows;
            int maxPivots = 50 * (_rows + _width) + 1000;
            bool bland = false;
            int stalled = 0;
            double best = -this[objective, _width];
            for (int pivots = 0; ; pivots++)
            {
                if (-this[objective, _width] <= stopAtOrBelow) return;
                if (pivots > maxPivots) throw new InvalidOperationException("Simplex: pivot limit reached.");
                int entering = -1;
                double mostNegative = -CostTolerance;
                for (int j = 0; j < limit; j++)
                {
                    double reduced = this[objective, j];
                    if (reduced >= -CostTolerance) continue;
                    if (bland) { entering = j; break; }
                    if (reduced < mostNegative) { mostNegative = reduced; entering = j; }
                }
                if (entering < 0) return;

                int leaving = -1;
                double ratio = double.PositiveInfinity;
                for (int i = 0; i < _rows; i++)
                {
                    if (!_rowActive[i]) continue;
                    double a = this[i, entering];
                    if (a <= PivotTolerance) continue;
                    double q = this[i, _width] / a;
                    // Ties go to the smallest basic index (Bland), which also keeps Dantzig's choices reproducible.
                    if (q < ratio - 1e-12 || (q <= ratio + 1e-12 && leaving >= 0 && _basis[i] < _basis[leaving]))
                    {
                        ratio = Math.Min(q, ratio);
                        leaving = i;
                    }
                }
                if (leaving < 0) throw new InvalidOperationException("Simplex: the program is unbounded.");
                Pivot(leaving, entering);

                double value = -this[objective, _width];
                if (value < best - 1e-12 * Math.Max(1, Math.Abs(best))) { best = value; stalled = 0; }
                else if (++stalled > _rows) bland = true;
            }
        }

        private void Pivot(int row, int column)
        {
            int stride = Stride;
            double pivot = this[row, column];
            Span<double> pivotRow = _t.AsSpan(row * stride, stride);
            for (int j = 0; j < stride; j++) pivotRow[j] /= pivot;
            pivotRow[column] = 1;
            for (int i = 0; i <= _rows; i++)
            {
                if (i == row) continue;
                double factor = this[i, column];
                if (factor == 0) continue;
                Span<double> target = _t.AsSpan(i * stride, stride);
                for (int j = 0; j < stride; j++) target[j] -= factor * pivotRow[j];
                target[column] = 0;
            }
            // Rounding can leave a basic value a hair below zero; it is zero.
            for (int i = 0; i < _rows; i++) if (this[i, _width] < 0 && this[i, _width] > -1e-13) this[i, _width] = 0;
            _basis[row] = column;
        }
    }
}
