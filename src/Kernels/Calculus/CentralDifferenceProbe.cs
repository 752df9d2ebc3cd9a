using Engine.Kernels.Random;

namespace Engine.Kernels.Calculus;

/// <summary>
/// Runs a derivative check: probes the selected coordinates and the seeded random directions with the
/// <see cref="RichardsonScheme"/>, derives each row's tolerance, and restores the point.
/// </summary>
/// <remarks>
/// <para>All buffers are allocated once per check, so evaluations allocate nothing beyond the function itself. The
/// point is displaced in place (a function that reads a captured array sees the displacement) and every coordinate is
/// put back from a saved copy, bit for bit, also when the function throws.</para>
/// <para>A displaced coordinate <c>fl(x_i + t)</c> is generally not <c>x_i + t</c>. A coordinate row divides by the
/// distance actually stepped, <c>(x+ - x) + (x - x-)</c>, which is exact where it matters (Sterbenz). A direction row
/// moves every coordinate, so instead the claimed derivative is taken along the direction the differences actually
/// probed: the Richardson combination of the displacements, which differs from d by about <c>eps |x| / t</c>.</para>
/// </remarks>
internal sealed class CentralDifferenceProbe<TTarget> where TTarget : struct, IDerivativeTarget
{
    private readonly TTarget _target;
    private readonly DerivativeCheckOptions _options;
    private readonly int _n;
    private readonly int _m;
    private readonly double[] _noiseOf;
    private double _noise;
    private double _measured;
    private double _relativeStep;

    private readonly double[] _saved;
    private readonly double[] _direction;
    private readonly double[] _probed;
    private readonly double[] _bestProbed;

    private readonly double[] _plus;
    private readonly double[] _minus;
    private readonly double[] _centerMagnitude;
    private readonly double[] _differences;
    private readonly double[] _magnitude;
    private readonly double[] _numeric;
    private readonly double[] _truncation;
    private readonly double[] _rounding;
    private readonly double[] _bestNumeric;
    private readonly double[] _bestTruncation;
    private readonly double[] _bestRounding;
    private readonly double[] _analytic;
    private readonly double[] _allowance;
    private double _bestStep;
    private int _evaluations;

    private CentralDifferenceProbe(TTarget target, DerivativeCheckOptions options, int n)
    {
        _target = target;
        _options = options;
        _n = n;
        _m = target.Outputs;
        _noiseOf = new double[_m];
        _saved = new double[n];
        _direction = new double[n];
        _probed = new double[n];
        _bestProbed = new double[n];
        _plus = new double[_m];
        _minus = new double[_m];
        _centerMagnitude = new double[_m];
        _differences = new double[RichardsonScheme.Levels * _m];
        _magnitude = new double[_m];
        _numeric = new double[_m];
        _truncation = new double[_m];
        _rounding = new double[_m];
        _bestNumeric = new double[_m];
        _bestTruncation = new double[_m];
        _bestRounding = new double[_m];
        _analytic = new double[_m];
        _allowance = new double[_m];
    }

    /// <summary>Checks <paramref name="target"/> at <paramref name="x"/>, which is restored exactly before returning.</summary>
    public static DerivativeCheckResult Run(TTarget target, Span<double> x, DerivativeCheckOptions options)
    {
        int n = x.Length;
        options.Validate(n);
        foreach (double v in x)
            if (!double.IsFinite(v)) throw new ArgumentException("The point must be finite in every coordinate.", nameof(x));

        var root = new NormalSampler(options.Seed);
        int[] coordinates = SelectCoordinates(options, n, root.Split(0));
        int directions = n == 0 ? 0 : options.Directions;
        var rows = new DerivativeCheckRow[coordinates.Length + directions];
        var probe = new CentralDifferenceProbe<TTarget>(target, options, n);
        x.CopyTo(probe._saved);
        try
        {
            probe.Evaluate(x, probe._plus);
            for (int c = 0; c < probe._m; c++) probe._centerMagnitude[c] = Math.Abs(probe._plus[c]);
            probe.MeasureNoise(x, root.Split(2));
            int r = 0;
            foreach (int i in coordinates) rows[r++] = probe.CheckCoordinate(x, i);
            NormalSampler directionStreams = root.Split(1);
            for (int k = 0; k < directions; k++)
            {
                probe.DrawDirection(directionStreams.Split((ulong)k));
                rows[r++] = probe.CheckDirection(x, k);
            }
        }
        finally
        {
            probe._saved.CopyTo(x);
        }
        return new DerivativeCheckResult(rows, n, probe._m, probe._evaluations, options, probe._noise, probe._measured, probe._relativeStep);
    }

    private static int[] SelectCoordinates(DerivativeCheckOptions options, int n, NormalSampler sampler)
    {
        if (options.Coordinates is not null) return options.Coordinates.ToArray();
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        if (options.CoordinateSample is not int k) return all;
        // A partial Fisher-Yates shuffle draws k distinct coordinates; they are checked in increasing order.
        for (int p = 0; p < k; p++)
        {
            int q = p + sampler.NextInt(n - p);
            (all[p], all[q]) = (all[q], all[p]);
        }
        int[] sample = all[..k];
        Array.Sort(sample);
        return sample;
    }

    private double TypicalScale(int i) => _options.TypicalScales?[i] ?? 1.0;

    /// <summary>
    /// A standard normal vector scaled so that its largest entry is 1, then entry i by the coordinate's scale
    /// <c>max(|x_i|, typical_i)</c>: along it, no coordinate moves further than its own coordinate step would.
    /// </summary>
    private void DrawDirection(NormalSampler sampler)
    {
        sampler.Fill(_direction);
        double largest = 0;
        foreach (double z in _direction) largest = Math.Max(largest, Math.Abs(z));
        for (int i = 0; i < _n; i++)
            _direction[i] = _direction[i] / largest * Math.Max(Math.Abs(_saved[i]), TypicalScale(i));
    }

    /// <summary>
    /// Sets each output's noise level to the largest of the stated one, the one measured along a seeded direction and
    /// the one implied by the precision the values carry (see <see cref="EvaluationNoise"/>), and the first relative
    /// step from the largest of them.
    /// </summary>
    private void MeasureNoise(Span<double> x, NormalSampler sampler)
    {
        Array.Fill(_noiseOf, _options.NoiseLevel);
        if (_options.MeasureNoise && _n > 0)
        {
            DrawDirection(sampler);
            var values = new double[EvaluationNoise.Points * _m];
            int middle = EvaluationNoise.Points / 2;
            for (int j = 0; j < EvaluationNoise.Points; j++)
            {
                Span<double> value = values.AsSpan(j * _m, _m);
                if (j == middle)
                {
                    _plus.CopyTo(value);
                    continue;
                }
                double t = (j - middle) * EvaluationNoise.Spacing;
                for (int i = 0; i < _n; i++) x[i] = _saved[i] + t * _direction[i];
                Evaluate(x, value);
            }
            _saved.CopyTo(x);
            Span<double> column = stackalloc double[EvaluationNoise.Points];
            for (int c = 0; c < _m; c++)
            {
                double magnitude = 0;
                for (int j = 0; j < EvaluationNoise.Points; j++)
                {
                    column[j] = values[j * _m + c];
                    magnitude = Math.Max(magnitude, Math.Abs(column[j]));
                }
                double relative = Math.Max(EvaluationNoise.Bound * EvaluationNoise.Deviation(column) / magnitude,
                    EvaluationNoise.ForPrecision(EvaluationNoise.SignificantBits(column)));
                if (double.IsFinite(relative))
                {
                    _measured = Math.Max(_measured, relative);
                    _noiseOf[c] = Math.Max(_noiseOf[c], relative);
                }
            }
        }
        foreach (double level in _noiseOf) _noise = Math.Max(_noise, level);
        _relativeStep = _options.RelativeStep ?? Math.Pow(_noise, 0.2);
    }

    private void Evaluate(ReadOnlySpan<double> x, Span<double> value)
    {
        _evaluations++;
        _target.Evaluate(x, value);
    }

    private DerivativeCheckRow CheckCoordinate(Span<double> x, int i)
    {
        double first = _relativeStep * Math.Max(Math.Abs(_saved[i]), TypicalScale(i));
        Refine(x, i, first);
        _target.AlongCoordinate(x, i, _noise, _analytic, _allowance);
        return Row(DerivativeCheckKind.Coordinate, i);
    }

    private DerivativeCheckRow CheckDirection(Span<double> x, int k)
    {
        Refine(x, -1, _relativeStep);
        _target.AlongDirection(x, _bestProbed, _noise, _analytic, _allowance);
        return Row(DerivativeCheckKind.Direction, k);
    }

    /// <summary>
    /// Estimates the derivative along coordinate <paramref name="coordinate"/> (or along the drawn direction when it
    /// is -1) from the first step, shrinking the step while truncation dominates and the estimate improves, and keeps
    /// the attempt whose error bound is smallest relative to the estimate.
    /// </summary>
    private void Refine(Span<double> x, int coordinate, double first)
    {
        double best = double.PositiveInfinity;
        bool kept = false;
        double h = first;
        for (int attempt = 0; attempt <= _options.MaxRefinements; attempt++)
        {
            if (coordinate >= 0) DifferencesAlongCoordinate(x, coordinate, h);
            else DifferencesAlongDirection(x, h);
            (double score, bool truncationDominates) = Assess(h);
            if (!kept || score < best)
            {
                best = score;
                kept = true;
                _bestStep = h;
                _numeric.CopyTo(_bestNumeric, 0);
                _truncation.CopyTo(_bestTruncation, 0);
                _rounding.CopyTo(_bestRounding, 0);
                if (coordinate < 0) _probed.CopyTo(_bestProbed, 0);
            }
            else if (double.IsFinite(best))
            {
                break;
            }
            if (!truncationDominates) break;
            h /= RichardsonScheme.Refinement;
        }
    }

    private void DifferencesAlongCoordinate(Span<double> x, int i, double h)
    {
        double xi = _saved[i];
        _centerMagnitude.CopyTo(_magnitude, 0);
        for (int k = 0; k < RichardsonScheme.Levels; k++)
        {
            double t = h * RichardsonScheme.StepFraction[k];
            x[i] = xi + t;
            double up = x[i] - xi;
            Evaluate(x, _plus);
            x[i] = xi - t;
            double down = xi - x[i];
            Evaluate(x, _minus);
            x[i] = xi;
            Record(k, up + down);
        }
    }

    private void DifferencesAlongDirection(Span<double> x, double h)
    {
        _centerMagnitude.CopyTo(_magnitude, 0);
        Array.Clear(_probed);
        for (int k = 0; k < RichardsonScheme.Levels; k++)
        {
            double t = h * RichardsonScheme.StepFraction[k];
            double weight = RichardsonScheme.FineWeight[k] / (2 * t);
            for (int i = 0; i < _n; i++) x[i] = _saved[i] + t * _direction[i];
            Evaluate(x, _plus);
            for (int i = 0; i < _n; i++)
            {
                double up = x[i] - _saved[i];
                x[i] = _saved[i] - t * _direction[i];
                double down = _saved[i] - x[i];
                _probed[i] += weight * (up + down);
            }
            Evaluate(x, _minus);
            Record(k, 2 * t);
        }
        _saved.CopyTo(x);
    }

    private void Record(int level, double width)
    {
        for (int c = 0; c < _m; c++)
        {
            _differences[level * _m + c] = (_plus[c] - _minus[c]) / width;
            _magnitude[c] = Math.Max(_magnitude[c], Math.Max(Math.Abs(_plus[c]), Math.Abs(_minus[c])));
        }
    }

    /// <summary>
    /// Forms the estimate R(h/2), its truncation estimate and its rounding bound per output; returns the attempt's
    /// score (the largest bound relative to its estimate) and whether truncation exceeds what noise can explain.
    /// </summary>
    private (double Score, bool TruncationDominates) Assess(double h)
    {
        double score = 0;
        bool dominates = false;
        for (int c = 0; c < _m; c++)
        {
            double d0 = _differences[c], d1 = _differences[_m + c], d2 = _differences[2 * _m + c];
            double fine = RichardsonScheme.Fine(d1, d2);
            double gap = Math.Abs(RichardsonScheme.Coarse(d0, d1) - fine);
            double unit = _noiseOf[c] * _magnitude[c] / h;
            _numeric[c] = fine;
            _truncation[c] = gap;
            _rounding[c] = RichardsonScheme.FineNoise * unit;
            if (!(gap <= RichardsonScheme.GapNoise * unit)) dominates = true;
            double bound = gap + _rounding[c];
            double q = bound == 0 ? 0 : bound / Math.Max(Math.Abs(fine), _rounding[c]);
            score = Math.Max(score, double.IsNaN(q) ? double.PositiveInfinity : q);
        }
        return (score, dominates);
    }

    /// <summary>The row for the kept attempt, reporting the output whose difference is largest against its bound.</summary>
    private DerivativeCheckRow Row(DerivativeCheckKind kind, int index)
    {
        DerivativeCheckRow? worst = null;
        for (int c = 0; c < _m; c++)
        {
            double analytic = _analytic[c], numeric = _bestNumeric[c];
            double rounding = _bestRounding[c] + _allowance[c];
            double bound = _options.Safety * (_bestTruncation[c] + rounding);
            double difference = Math.Abs(analytic - numeric);
            double scale = Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), rounding);
            double error = difference == 0 ? 0 : difference / scale;
            double tolerance = scale == 0 ? 0 : bound / scale;
            var row = new DerivativeCheckRow(kind, index, c, analytic, numeric, _bestStep, _bestTruncation[c], rounding, bound, error, tolerance);
            if (worst is null || row.Ratio > worst.Value.Ratio) worst = row;
        }
        return worst!.Value;
    }
}
