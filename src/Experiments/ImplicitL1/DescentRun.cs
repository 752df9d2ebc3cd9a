using System.Diagnostics;
using Engine.Kernels.Factorized;

namespace Engine.Experiments.ImplicitL1;

/// <summary>Which factorization gradient descent runs on.</summary>
public enum FactorizedModel
{
    /// <summary>The homework's <c>w = x ⊙ x</c>, from <c>x0 = a 1</c>: only nonnegative w.</summary>
    Nonnegative,

    /// <summary><c>w = u ⊙ u - v ⊙ v</c>, from <c>u0 = v0 = a 1</c>: any sign.</summary>
    Signed,
}

/// <summary>One run of gradient descent on a factorized least-squares problem and where it ended.</summary>
/// <param name="Record">The recorded effective regressors w, row-major <paramref name="RecordedRows"/> x m (row 0 is w0).</param>
/// <param name="StepsDone">Steps taken; fewer than <paramref name="StepsAsked"/> when an iterate stopped being finite or the run interpolated early.</param>
/// <param name="W">The last iterate's w.</param>
/// <param name="PriorPlus">The last iterate's <c>x ⊙ x</c> (or <c>u ⊙ u</c>): where the flow continues from.</param>
/// <param name="PriorMinus">The last iterate's <c>v ⊙ v</c> in the signed model; empty in the nonnegative one.</param>
/// <param name="RelativeResidual"><c>||A w - y|| / ||y||</c> at the last iterate.</param>
/// <param name="Milliseconds">Wall time of the steps (not part of any file: it varies between runs).</param>
/// <param name="CheckedResiduals">A run to interpolation's <c>||A w - y|| / ||y||</c> at each check, every <paramref name="CheckEvery"/> steps; empty for a recorded run.</param>
/// <param name="StepMovedAtCheck">
/// For each check, whether the one step into it changed the residual (by more than rounding): where the checks see the
/// same residual again and again, this tells an iterate that cycles with a period dividing <paramref name="CheckEvery"/>
/// from one that sits still; empty for a recorded run.
/// </param>
public sealed record DescentRun(
    FactorizedModel Model, double Scale, double Eta, int StepsAsked, int StepsDone, double[] Record, int RecordedRows,
    double[] W, double[] PriorPlus, double[] PriorMinus, double RelativeResidual, double Milliseconds, string Kernel,
    double[]? CheckedResiduals = null, int CheckEvery = 0, bool[]? StepMovedAtCheck = null)
{
    /// <summary>An iterate overflowed (or became NaN): the run has no limit to speak of.</summary>
    public bool Diverged => !W.All(double.IsFinite) || !double.IsFinite(RelativeResidual);

    /// <summary>
    /// The leading recorded rows whose w is finite: every row the run wrote when it did not diverge, the rows before
    /// the first non-finite one when it did. A diverged run's path ends there.
    /// </summary>
    public int FiniteRows
    {
        get
        {
            int m = W.Length;
            for (int k = 0; k < RecordedRows; k++)
                for (int j = 0; j < m; j++)
                    if (!double.IsFinite(Record[k * m + j])) return k;
            return RecordedRows;
        }
    }

    /// <summary>The first and last step between which the run stopped being finite (its chunk of steps).</summary>
    public (int First, int Last) DivergenceWindow(int chunk) => (Math.Max(0, StepsDone - 1) / chunk * chunk + 1, StepsDone);
}

/// <summary>Runs gradient descent on either factorized model: recorded, or until it interpolates.</summary>
public static class FactorizedDescent
{
    /// <summary>
    /// Steps between two progress reports of a run: a few milliseconds at the homework's size, a second or so at the
    /// largest the command allows, where a run of 300,000 steps takes half a minute.
    /// </summary>
    public const int ProgressChunk = 10_000;

    /// <summary>
    /// <paramref name="steps"/> steps of size <paramref name="eta"/> from scale <paramref name="a"/>, recording w every
    /// <paramref name="recordEvery"/> steps. <paramref name="progress"/> receives the fraction of the steps done after
    /// each chunk of about <see cref="ProgressChunk"/> of them, adding up to 1 (a run that diverges reports the rest at
    /// its end). The chunks are whole record intervals, so the iterates are those of one uninterrupted run.
    /// </summary>
    public static DescentRun Recorded(FactorizedModel model, ImplicitL1Problem problem, double a, double eta, int steps, int recordEvery,
        Action<double>? progress = null)
    {
        int m = problem.Cols;
        int rows = FactorizedLeastSquaresDescent.RecordRows(steps, recordEvery);
        var record = new double[rows * m];
        var state = new DescentState(model, problem, a);
        var clock = Stopwatch.StartNew();
        int perChunk = recordEvery * Math.Max(1, ProgressChunk / recordEvery);
        int done = 0;
        while (done < steps)
        {
            // done is a whole number of record intervals here, so the chunk's row 0 is the row the last chunk ended on.
            int chunk = Math.Min(perChunk, steps - done);
            int first = done / recordEvery;
            int ran = state.Run(eta, chunk, recordEvery, record.AsSpan(first * m, FactorizedLeastSquaresDescent.RecordRows(chunk, recordEvery) * m));
            done += ran;
            progress?.Invoke((double)ran / steps);
            // The kernels stop at the first record interval whose iterate is not finite, which may be a chunk's last.
            if (ran < chunk || !state.Finite()) break;
        }
        if (done < steps) progress?.Invoke((double)(steps - done) / steps);
        double ms = clock.Elapsed.TotalMilliseconds;
        // A run that stopped early fills fewer rows; the rest of the buffer is not part of the path.
        int filled = Math.Min(rows, (done + recordEvery - 1) / recordEvery + 1);
        return state.Finish(eta, steps, done, record, filled, ms);
    }

    /// <summary>Steps between the residual checks of a run to interpolation.</summary>
    public const int CheckEvery = 50_000;

    /// <summary>A residual counts as higher than (or different from) another when it differs from it by this relative amount: far above rounding.</summary>
    public const double RisingResidual = 1e-9;

    /// <summary>
    /// Steps of size <paramref name="eta"/> from scale <paramref name="a"/> until <c>||A w - y|| &lt;= tolerance ||y||</c>
    /// (tested every <paramref name="checkEvery"/> steps), an iterate overflows, or <paramref name="maxSteps"/> are done.
    /// <paramref name="progress"/> receives the fraction of <paramref name="maxSteps"/> done after each check, and the
    /// rest of the budget when the run stops early, so its reports add up to 1.
    /// </summary>
    public static DescentRun ToInterpolation(FactorizedModel model, ImplicitL1Problem problem, double a, double eta,
        int maxSteps, double tolerance, int checkEvery = CheckEvery, Action<double>? progress = null)
    {
        int m = problem.Cols;
        var scratch = new double[2 * m];
        var state = new DescentState(model, problem, a);
        var clock = Stopwatch.StartNew();
        int done = 0;
        double yNorm = problem.YNorm;
        var checkedResiduals = new List<double>();
        var stepMoved = new List<bool>();
        while (done < maxSteps)
        {
            // The chunk's last step runs on its own, with the residual before it, so each check also tells whether one
            // step moves the residual; the steps are the same either way (each step depends only on the iterate).
            int chunk = Math.Min(checkEvery, maxSteps - done);
            int ran = chunk > 1 ? state.Run(eta, chunk - 1, chunk - 1, scratch) : 0;
            double before = chunk > 1 && ran == chunk - 1 ? problem.ResidualNorm(state.W()) / yNorm : double.NaN;
            if (ran == chunk - 1) ran += state.Run(eta, 1, 1, scratch);
            done += ran;
            progress?.Invoke((double)ran / maxSteps);
            if (ran < chunk) break;
            double residual = problem.ResidualNorm(state.W()) / yNorm;
            checkedResiduals.Add(residual);
            stepMoved.Add(Math.Abs(residual - before) > before * RisingResidual);
            if (!double.IsFinite(residual) || residual <= tolerance) break;
        }
        if (done < maxSteps) progress?.Invoke((double)(maxSteps - done) / maxSteps);
        return state.Finish(eta, maxSteps, done, [.. state.W()], 1, clock.Elapsed.TotalMilliseconds) with
        {
            CheckedResiduals = [.. checkedResiduals],
            CheckEvery = checkEvery,
            StepMovedAtCheck = [.. stepMoved],
        };
    }

    /// <summary>The iterate of one run, in either model.</summary>
    private sealed class DescentState
    {
        private readonly FactorizedModel _model;
        private readonly ImplicitL1Problem _problem;
        private readonly double _a;
        private readonly FactorizedLeastSquaresDescent? _nonnegative;
        private readonly DifferenceOfSquaresDescent? _signed;
        private readonly double[] _x, _v;

        public DescentState(FactorizedModel model, ImplicitL1Problem problem, double a)
        {
            _model = model;
            _problem = problem;
            _a = a;
            _x = Enumerable.Repeat(a, problem.Cols).ToArray();
            _v = model == FactorizedModel.Signed ? Enumerable.Repeat(a, problem.Cols).ToArray() : [];
            if (model == FactorizedModel.Nonnegative) _nonnegative = new FactorizedLeastSquaresDescent(problem.A, problem.Rows, problem.Cols, problem.Y);
            else _signed = new DifferenceOfSquaresDescent(problem.A, problem.Rows, problem.Cols, problem.Y);
        }

        public int Run(double eta, int steps, int recordEvery, Span<double> record)
        {
            if (_nonnegative is not null)
            {
                int done = _nonnegative.Run(_x, eta, steps, recordEvery, record);
                // The kernel records x; the regressor is w = x ⊙ x.
                for (int k = 0; k < record.Length; k++) record[k] *= record[k];
                return done;
            }
            return _signed!.Run(_x, _v, eta, steps, recordEvery, record);
        }

        /// <summary>Whether every factor is finite: the test the kernels stop on.</summary>
        public bool Finite() => _x.All(double.IsFinite) && _v.All(double.IsFinite);

        public double[] W() => _model == FactorizedModel.Nonnegative
            ? _x.Select(v => v * v).ToArray()
            : _x.Zip(_v, (u, v) => u * u - v * v).ToArray();

        public DescentRun Finish(double eta, int asked, int done, double[] record, int rows, double ms)
        {
            double[] w = W();
            double residual = w.All(double.IsFinite) ? _problem.ResidualNorm(w) / _problem.YNorm : double.NaN;
            string kernel = _nonnegative is not null ? _nonnegative.Fastest.ToString() : "Gemv";
            return new DescentRun(_model, _a, eta, asked, done, record, rows, w,
                _x.Select(v => v * v).ToArray(), _v.Select(v => v * v).ToArray(), residual, ms, kernel);
        }
    }
}
