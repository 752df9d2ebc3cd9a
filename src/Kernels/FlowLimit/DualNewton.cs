namespace Engine.Kernels.FlowLimit;

/// <summary>
/// Damped Newton ascent on the concave dual shared by both flow limits,
/// <c>D(nu) = nu^T y - sum_i (u_i + v_i)</c> with <c>u = exp(log p+ + A^T nu)</c>, <c>v = exp(log p- - A^T nu)</c>,
/// whose maximizer gives the limit <c>w = u - v</c> (v is absent in the nonnegative model).
/// </summary>
/// <remarks>
/// <para>The gradient of D is the residual <c>y - A w</c> and its Hessian is <c>-A diag(u + v) A^T</c>. Each step
/// solves the Newton system through <see cref="GradedNormalEquations"/> (the weights u + v span as many orders
/// of magnitude as the prior and the limit do) and backtracks along the direction until the Armijo condition
/// holds. Only logarithms of u and v are stored, so priors such as 1e-60 and limits whose entries span hundreds of
/// orders of magnitude are represented without overflow or loss.</para>
/// <para>The increase of D along a step is evaluated as <c>t d^T g - sum_i [u_i phi(t ds_i) + v_i phi(-t ds_i)]</c>,
/// with <c>phi(x) = e^x - 1 - x</c> and <c>ds = A^T d</c>: both terms are of the size of the increase itself, so the
/// test stays accurate to rounding even when D is a hundred and the increase 1e-24. Comparing two values of D
/// directly would stall long before the residual reaches 1e-12.</para>
/// <para>The first trial step lifts no weight far above the size that y calls for (<see cref="LongestStep"/>):
/// from a prior of 1e-60 the full Newton step asks for changes of 1e60 in the log weights, and halving down from
/// there would waste two hundred trials. When the full Newton step is accepted, the step is doubled while the
/// dual keeps increasing, which removes the slow phase in which Newton shrinks an overshooting weight by a
/// factor e per iteration.</para>
/// <para>The Newton system is regularized Levenberg-Marquardt style, <c>(A diag(u + v) A^T + mu I) d = g</c> with
/// <c>mu = 1e-8 min(1, relative residual) trace(A diag(u + v) A^T)</c>. When the limit has fewer large entries
/// than A has rows (an exactly recovered sparse x*, say), some directions of nu are seen only by weights of 1e-100
/// and below; the plain Newton step moves along them by amounts of 1e100 that no line search can use, and the
/// dual drifts there from one solve to the next until weights underflow. The term caps those moves, and because
/// mu shrinks with the residual it leaves the quadratic convergence of the other directions intact.</para>
/// <para>The engine works on the independent rows of A restricted to the coordinates that can be nonzero (see
/// <see cref="RowBasis"/> and <see cref="FeasibleSupport"/>), and measures the stopping rule on all rows.</para>
/// </remarks>
internal sealed class DualNewton
{
    private const double ArmijoFraction = 1e-4;
    private const double MaxLogStep = 30;
    private const int MaxHalvings = 60;
    private const int MaxDoublings = 60;
    private const double Regularization = 1e-8;

    private readonly int _n, _r, _k;
    private readonly double[] _all;      // n x k: every row of A on the free coordinates, for the stopping rule
    private readonly double[] _y;
    private readonly double _yNorm;
    private readonly double[] _reduced;  // r x k: the independent rows
    private readonly double[] _reducedY;
    private readonly double[] _columnNormSquared; // squared norms of the columns of the reduced matrix
    private readonly double[] _logColumnScale; // log(||y||_inf / max_j |A_ji|): the size of w_i that y calls for
    private readonly GradedNormalEquations _system;
    private readonly double[] _s, _logU, _logV, _u, _v, _w, _root, _g, _z, _ds, _residual;

    public DualNewton(ReadOnlySpan<double> matrix, int n, int m, ReadOnlySpan<double> y, int[] free, int[] rows)
    {
        _n = n;
        _r = rows.Length;
        _k = free.Length;
        int k = _k;
        _all = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) _all[i * k + j] = matrix[i * m + free[j]];
        _y = y.ToArray();
        _yNorm = Norm(_y);
        _reduced = new double[_r * k];
        _reducedY = new double[_r];
        for (int t = 0; t < _r; t++)
        {
            _all.AsSpan(rows[t] * k, k).CopyTo(_reduced.AsSpan(t * k, k));
            _reducedY[t] = y[rows[t]];
        }
        double largestY = 0;
        foreach (double v in _y) largestY = Math.Max(largestY, Math.Abs(v));
        _logColumnScale = new double[k];
        for (int j = 0; j < k; j++)
        {
            double largestEntry = 0;
            for (int i = 0; i < n; i++) largestEntry = Math.Max(largestEntry, Math.Abs(_all[i * k + j]));
            _logColumnScale[j] = largestY > 0 && largestEntry > 0 ? Math.Log(largestY / largestEntry) : 0;
        }
        _columnNormSquared = new double[k];
        for (int t = 0; t < _r; t++)
            for (int j = 0; j < k; j++) _columnNormSquared[j] += _reduced[t * k + j] * _reduced[t * k + j];
        _system = new GradedNormalEquations(_r, k);
        _s = new double[k];
        _logU = new double[k];
        _logV = new double[k];
        _u = new double[k];
        _v = new double[k];
        _w = new double[k];
        _root = new double[k];
        _g = new double[_r];
        _z = new double[_r];
        _ds = new double[k];
        _residual = new double[n];
    }

    /// <summary>The number of independent rows, the length of the dual vector this engine works with.</summary>
    public int Rows => _r;

    /// <summary>w at the last evaluated dual point.</summary>
    public ReadOnlySpan<double> W => _w;

    /// <summary>u + v, the curvature weights, at the last evaluated dual point.</summary>
    public double Curvature(int i) => _u[i] + _v[i];

    /// <summary>
    /// Runs Newton from <paramref name="nu"/> (length <see cref="Rows"/>, updated in place) for the priors given
    /// by their logarithms; <paramref name="logMinus"/> is empty for the nonnegative model.
    /// </summary>
    public NewtonOutcome Run(ReadOnlySpan<double> logPlus, ReadOnlySpan<double> logMinus, Span<double> nu, FlowLimitOptions options)
    {
        bool signed = !logMinus.IsEmpty;
        for (int iteration = 0; ; iteration++)
        {
            double relativeResidual = Evaluate(logPlus, logMinus, nu, signed);
            if (relativeResidual <= options.Tolerance) return new NewtonOutcome(iteration, relativeResidual, true);
            if (iteration == options.MaxIterations || !double.IsFinite(relativeResidual))
                return new NewtonOutcome(iteration, relativeResidual, false);

            double trace = 0;
            for (int i = 0; i < _k; i++) trace += (_u[i] + _v[i]) * _columnNormSquared[i];
            double mu = Regularization * Math.Min(relativeResidual, 1) * trace;
            _system.Factor(_reduced, _root, double.IsFinite(mu) ? mu : 0);
            double newton = _system.Solve(_g, _z);
            MultiplyTransposed(_z, _ds);
            double slope = 0;
            for (int t = 0; t < _r; t++) slope += _z[t] * _g[t];
            if (!(slope > 0) || !double.IsFinite(slope)) return new NewtonOutcome(iteration, relativeResidual, false);

            double longest = LongestStep(signed);
            double step = Math.Min(newton, longest);
            double increase = Increase(step, slope, signed);
            for (int halving = 0; !(increase >= ArmijoFraction * step * slope); halving++)
            {
                if (halving == MaxHalvings) return new NewtonOutcome(iteration, relativeResidual, false);
                step *= 0.5;
                increase = Increase(step, slope, signed);
            }
            if (step == newton)
            {
                // The full step was accepted: keep doubling while the dual still increases. Newton's linearization of
                // exp asks a weight that is far too large to shrink by a factor e per step only; the concave dual
                // along the direction shows how far to go.
                for (int doubling = 0; doubling < MaxDoublings && 2 * step <= longest; doubling++)
                {
                    double longer = Increase(2 * step, slope, signed);
                    if (!(longer > increase)) break;
                    step *= 2;
                    increase = longer;
                }
            }
            for (int t = 0; t < _r; t++) nu[t] += step * _z[t];
        }
    }

    /// <summary>The dual objective <c>nu^T y - sum (u + v)</c> (without constants) at <paramref name="nu"/>; it overwrites the evaluated point.</summary>
    public double DualValue(ReadOnlySpan<double> logPlus, ReadOnlySpan<double> logMinus, ReadOnlySpan<double> nu)
    {
        bool signed = !logMinus.IsEmpty;
        Evaluate(logPlus, logMinus, nu, signed);
        double value = 0;
        for (int t = 0; t < _r; t++) value += nu[t] * _reducedY[t];
        for (int i = 0; i < _k; i++) value -= _u[i] + _v[i];
        return double.IsNaN(value) ? double.NegativeInfinity : value;
    }

    /// <summary>
    /// The increase of the dual from the evaluated point to a step of length <paramref name="step"/> along
    /// <c>z</c>, <c>step z^T g - sum [u phi(step ds) + v phi(-step ds)]</c>.
    /// </summary>
    private double Increase(double step, double slope, bool signed)
    {
        double excess = 0;
        for (int i = 0; i < _k; i++)
        {
            double x = step * _ds[i];
            excess += _u[i] * ExpMinusOneMinusX(x);
            if (signed) excess += _v[i] * ExpMinusOneMinusX(-x);
        }
        return step * slope - excess;
    }

    /// <summary>
    /// The longest step along z that lifts no log weight above the larger of its current value plus one and
    /// <see cref="MaxLogStep"/> plus the log of the size of w_i that y calls for (column i alone producing y).
    /// A weight far below that ceiling may rise all the way in one trial (a coordinate at 1e-200 that must reach
    /// 1e-3 then needs one step, not fifteen, and backtracking trims any overshoot), while a step never asks exp
    /// for values that could only be rejected.
    /// </summary>
    private double LongestStep(bool signed)
    {
        double step = double.PositiveInfinity;
        for (int i = 0; i < _k; i++)
        {
            double rate = _ds[i], ceiling = _logColumnScale[i] + MaxLogStep;
            if (rate > 0) step = Math.Min(step, Math.Max(ceiling - _logU[i], 1) / rate);
            else if (rate < 0 && signed) step = Math.Min(step, Math.Max(ceiling - _logV[i], 1) / -rate);
        }
        return step;
    }

    /// <summary>
    /// Sets s, u, v, w, the Newton weights and the reduced gradient at <paramref name="nu"/>, and returns the
    /// relative residual <c>||A w - y|| / ||y||</c> over all rows (relative to <c>|| |A| |w| ||</c> when y = 0).
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> logPlus, ReadOnlySpan<double> logMinus, ReadOnlySpan<double> nu, bool signed)
    {
        int k = _k;
        MultiplyTransposed(nu, _s);
        for (int i = 0; i < k; i++)
        {
            double logU = logPlus[i] + _s[i];
            _logU[i] = logU;
            _u[i] = Math.Exp(logU);
            if (signed)
            {
                double logV = logMinus[i] - _s[i];
                _logV[i] = logV;
                _v[i] = Math.Exp(logV);
                // sqrt(u + v) from the logarithms, so that it does not underflow before u + v itself would matter.
                double high = Math.Max(logU, logV), low = Math.Min(logU, logV);
                _root[i] = Math.Exp(0.5 * high) * Math.Sqrt(1 + Math.Exp(low - high));
            }
            else
            {
                _v[i] = 0;
                _root[i] = Math.Exp(0.5 * logU);
            }
            _w[i] = _u[i] - _v[i];
        }
        for (int t = 0; t < _r; t++)
        {
            double sum = _reducedY[t];
            ReadOnlySpan<double> row = _reduced.AsSpan(t * k, k);
            for (int i = 0; i < k; i++) sum -= row[i] * _w[i];
            _g[t] = sum;
        }
        double magnitude = 0;
        for (int i = 0; i < _n; i++)
        {
            double sum = -_y[i], absolute = 0;
            ReadOnlySpan<double> row = _all.AsSpan(i * k, k);
            for (int j = 0; j < k; j++)
            {
                sum += row[j] * _w[j];
                absolute += Math.Abs(row[j] * _w[j]);
            }
            _residual[i] = sum;
            magnitude += absolute * absolute;
        }
        double residual = Norm(_residual);
        double denominator = _yNorm > 0 ? _yNorm : Math.Sqrt(magnitude);
        return denominator > 0 ? residual / denominator : residual;
    }

    /// <summary><c>out = M^T x</c> for the reduced matrix M (r x k).</summary>
    private void MultiplyTransposed(ReadOnlySpan<double> x, Span<double> result)
    {
        int k = _k;
        result.Clear();
        for (int t = 0; t < _r; t++)
        {
            double xt = x[t];
            if (xt == 0) continue;
            ReadOnlySpan<double> row = _reduced.AsSpan(t * k, k);
            for (int i = 0; i < k; i++) result[i] += xt * row[i];
        }
    }

    /// <summary>
    /// <c>e^x - 1 - x</c>: a Taylor series near zero, where the direct formula would cancel to nothing; elsewhere
    /// the direct formula, whose relative error (a few 1e-12 at worst) is immaterial next to the Armijo fraction.
    /// </summary>
    internal static double ExpMinusOneMinusX(double x)
    {
        if (Math.Abs(x) < 1e-2)
        {
            // Terms up to x^7 leave a relative error below 1e-16 for |x| < 1e-2.
            double x2 = x * x;
            return x2 * (1.0 / 2 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120 + x * (1.0 / 720 + x * (1.0 / 5040))))));
        }
        if (x > 709) return double.PositiveInfinity;
        return Math.Exp(x) - 1 - x;
    }

    private static double Norm(ReadOnlySpan<double> x)
    {
        double big = 0;
        foreach (double v in x) big = Math.Max(big, Math.Abs(v));
        if (big == 0 || !double.IsFinite(big)) return big;
        double sum = 0;
        foreach (double v in x) sum += (v / big) * (v / big);
        return big * Math.Sqrt(sum);
    }
}

/// <summary>How a Newton run ended: iterations taken, the final relative residual, and whether it met the tolerance.</summary>
internal readonly record struct NewtonOutcome(int Iterations, double RelativeResidual, bool Converged);
