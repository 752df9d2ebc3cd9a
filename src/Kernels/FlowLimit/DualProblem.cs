namespace Engine.Kernels.FlowLimit;

/// <summary>
/// A flow-limit problem made ready for Newton: the coordinates that may be nonzero, the independent rows of A on
/// them, the engine, and the translation of the engine's output back to all coordinates and rows.
/// </summary>
internal sealed class DualProblem
{
    private readonly double[] _matrix;
    private readonly double[] _y;
    private readonly int _n, _m;
    private readonly int[] _free;
    private readonly int[] _rows;
    private readonly int[] _forcedZeros;
    private readonly DualNewton _newton;
    private readonly double[] _logPlus, _logMinus, _nu;

    public DualProblem(ReadOnlySpan<double> matrix, int n, int m, ReadOnlySpan<double> y, bool[] isFree, string name)
    {
        _matrix = matrix.ToArray();
        _y = y.ToArray();
        _n = n;
        _m = m;
        _free = Enumerable.Range(0, m).Where(j => isFree[j]).ToArray();
        _forcedZeros = Enumerable.Range(0, m).Where(j => !isFree[j]).ToArray();
        int k = _free.Length;
        var restricted = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) restricted[i * k + j] = matrix[i * m + _free[j]];
        _rows = RowBasis.Select(restricted, n, k, y, name);
        _newton = new DualNewton(matrix, n, m, y, _free, _rows);
        _logPlus = new double[k];
        _logMinus = new double[k];
        _nu = new double[_rows.Length];
    }

    public int[] ForcedZeros => _forcedZeros;

    /// <summary>
    /// Solves for the priors given by their logarithms over all m coordinates (<paramref name="logMinus"/> empty for
    /// the nonnegative model), starting from <paramref name="dualStart"/> (length n, or empty for zero).
    /// </summary>
    public FlowLimitResult Solve(ReadOnlySpan<double> logPlus, ReadOnlySpan<double> logMinus, ReadOnlySpan<double> dualStart, FlowLimitOptions options)
    {
        bool signed = !logMinus.IsEmpty;
        int k = _free.Length;
        for (int j = 0; j < k; j++)
        {
            _logPlus[j] = logPlus[_free[j]];
            if (signed) _logMinus[j] = logMinus[_free[j]];
        }
        // A start worse than the cold one (the dual at nu = 0, w = p) is dropped: Newton from a point where some
        // weights overshoot by many orders of magnitude crawls, and the cold start never overshoots.
        _nu.AsSpan().Clear();
        if (!dualStart.IsEmpty)
        {
            double cold = _newton.DualValue(_logPlus.AsSpan(0, k), signed ? _logMinus.AsSpan(0, k) : [], _nu);
            for (int t = 0; t < _rows.Length; t++) _nu[t] = dualStart[_rows[t]];
            double warm = _newton.DualValue(_logPlus.AsSpan(0, k), signed ? _logMinus.AsSpan(0, k) : [], _nu);
            if (!(warm >= cold)) _nu.AsSpan().Clear();
        }

        NewtonOutcome outcome = _newton.Run(_logPlus, signed ? _logMinus : [], _nu, options);

        var w = new double[_m];
        var nu = new double[_n];
        ReadOnlySpan<double> freeW = _newton.W;
        for (int j = 0; j < k; j++) w[_free[j]] = freeW[j];
        for (int t = 0; t < _rows.Length; t++) nu[_rows[t]] = _nu[t];

        double gap = 0, dual = 0;
        for (int i = 0; i < _n; i++)
        {
            double residual = -_y[i];
            for (int j = 0; j < _m; j++) residual += _matrix[i * _m + j] * w[j];
            gap += nu[i] * residual;
            dual += nu[i] * _y[i];
        }
        double primal = 0;
        for (int j = 0; j < k; j++)
        {
            double wj = freeW[j];
            if (signed)
            {
                double logGeometric = 0.5 * (_logPlus[j] + _logMinus[j]);
                double twiceGeometric = 2 * Math.Exp(logGeometric);
                double s = Math.Asinh(wj / twiceGeometric) + 0.5 * (_logMinus[j] - _logPlus[j]);
                primal += wj * s - Hypot(wj, twiceGeometric);
                dual -= _newton.Curvature(j);
            }
            else
            {
                double p = Math.Exp(_logPlus[j]);
                primal += (wj > 0 ? wj * (Math.Log(wj) - _logPlus[j]) : 0) - wj + p;
                dual -= wj - p;
            }
        }
        return new FlowLimitResult(w, nu, outcome.Iterations, outcome.RelativeResidual, gap, primal, dual, outcome.Converged, _forcedZeros.ToArray());
    }

    /// <summary>
    /// The dual objective at <paramref name="nu"/> (length n; entries of dropped rows are ignored), as
    /// <see cref="FlowLimitResult.DualObjective"/> defines it.
    /// </summary>
    public double DualObjective(ReadOnlySpan<double> logPlus, ReadOnlySpan<double> logMinus, ReadOnlySpan<double> nu)
    {
        bool signed = !logMinus.IsEmpty;
        int k = _free.Length;
        double constant = 0;
        for (int j = 0; j < k; j++)
        {
            _logPlus[j] = logPlus[_free[j]];
            if (signed) _logMinus[j] = logMinus[_free[j]];
            else constant += Math.Exp(_logPlus[j]);
        }
        var reduced = new double[_rows.Length];
        for (int t = 0; t < _rows.Length; t++) reduced[t] = nu[_rows[t]];
        return _newton.DualValue(_logPlus, signed ? _logMinus : [], reduced) + constant;
    }

    private static double Hypot(double a, double b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        double big = Math.Max(a, b), small = Math.Min(a, b);
        if (big == 0) return 0;
        double ratio = small / big;
        return big * Math.Sqrt(1 + ratio * ratio);
    }
}
