using System.Diagnostics;
using Engine.Kernels.Blas;
using Engine.Kernels.Lasso;
using LassoSolutionPath = Engine.Kernels.Lasso.LassoPath;

namespace Engine.Experiments.LassoPath;

/// <summary>A Lasso path with the time it took and how well every alpha above zero converged.</summary>
/// <param name="Seconds">Wall-clock time of the solver alone (for an exact path: the homotopy, not its evaluation at the breakpoints).</param>
/// <param name="GapTolerance">The absolute duality-gap tolerance: the relative tolerance times ||y||^2.</param>
/// <param name="EndStationarity">
/// At alpha = 0, the end of an exact path, the duality gap is not defined; what is checked there instead is the
/// least-squares optimality of the end point, the largest violation of its stationarity conditions
/// (<see cref="LassoPathExperiment.Stationarity"/>). Null when the path does not reach alpha = 0.
/// </param>
public sealed record LassoPathResult(LassoSolutionPath Path, bool Exact, double Seconds, double GapTolerance, double LargestGap, int NotConverged,
    double? EndStationarity = null);

/// <summary>A timed coordinate-descent path and its duality gaps recomputed from scratch after the timing.</summary>
public sealed record LassoBenchResult(LassoSolutionPath Path, double Seconds, double CpuSeconds, double[] Gaps);

/// <summary>
/// The Lasso path of a data set in scikit-learn's conventions, by coordinate descent on a grid or by homotopy at
/// its breakpoints, with its convergence checked by the duality gap.
/// </summary>
public static class LassoPathExperiment
{
    /// <param name="tolerance">Duality-gap tolerance relative to ||y||^2 (scikit-learn's tol).</param>
    public static LassoPathResult Run(LassoProblem problem, bool exact, bool positive, int alphas, double eps, double tolerance) =>
        Run(problem, exact, alphas, eps, new LassoOptions(tolerance, positive));

    /// <summary>
    /// The path with every coordinate-descent option (elastic net, solver, threads); an exact path takes only
    /// <see cref="LassoOptions.Positive"/> and the Lasso penalty. The problem carries its preprocessing (intercept,
    /// standardization, weights), and the coefficients come back on the original scale.
    /// </summary>
    public static LassoPathResult Run(LassoProblem problem, bool exact, int alphas, double eps, LassoOptions options)
    {
        bool positive = options.Positive;
        double tolerance = options.Tolerance;
        var clock = Stopwatch.StartNew();
        LassoSolutionPath path;
        double seconds;
        if (exact)
        {
            var homotopy = Homotopy.Path(problem, positive);
            seconds = clock.Elapsed.TotalSeconds;
            path = homotopy.OnGrid(problem, homotopy.Alphas);
        }
        else
        {
            path = CoordinateDescent.Path(problem, alphas, eps, options);
            seconds = clock.Elapsed.TotalSeconds;
        }
        double gapTolerance = tolerance * problem.YNormSquared;
        var (largestGap, notConverged) = Convergence(path, gapTolerance);
        double? end = path.Alphas[^1] == 0 ? Stationarity(problem, path.Coefficients[^1], positive) : null;
        return new LassoPathResult(path, exact, seconds, gapTolerance, largestGap, notConverged, end);
    }

    /// <summary>
    /// How far w is from minimizing <c>(1/(2n)) ||y - X w||^2</c> (over w &gt;= 0 when <paramref name="positive"/>):
    /// with <c>c = X^T (y - X w) / n</c>, the largest |c_j|, or for the nonnegative problem the largest |c_j| over
    /// w_j &gt; 0 and c_j over w_j = 0. Zero exactly at a minimizer.
    /// </summary>
    public static double Stationarity(LassoProblem problem, ReadOnlySpan<double> w, bool positive)
    {
        var r = new double[problem.Samples];
        problem.Residual(w, r);
        double worst = 0;
        for (int j = 0; j < problem.Features; j++)
        {
            double c = Gemv.RowDot(problem.Column(j), r) / problem.Samples;
            worst = Math.Max(worst, positive && w[j] == 0 ? Math.Max(c, 0) : Math.Abs(c));
        }
        return worst;
    }

    /// <summary>
    /// The largest duality gap over the alphas above zero (NaN if any is not finite) and how many of those alphas
    /// have a gap above <paramref name="tolerance"/> or not finite. Only alpha = 0, the end of an exact path, is
    /// left out: its gap is not defined.
    /// </summary>
    public static (double LargestGap, int NotConverged) Convergence(LassoSolutionPath path, double tolerance)
    {
        double largest = 0;
        int notConverged = 0;
        for (int k = 0; k < path.Count; k++)
        {
            if (path.Alphas[k] == 0) continue;
            double gap = path.DualityGaps[k];
            if (!double.IsFinite(gap)) largest = double.NaN;
            else if (!double.IsNaN(largest)) largest = Math.Max(largest, gap);
            if (!(gap <= tolerance)) notConverged++;
        }
        return (largest, notConverged);
    }

    /// <summary>
    /// Times the coordinate-descent path (wall clock and this process's CPU time), then recomputes every duality gap
    /// from scratch, so a peer's solution and the engine's are judged by the same formula.
    /// </summary>
    public static LassoBenchResult Time(LassoProblem problem, int alphas, double eps, double tolerance)
    {
        // The process's CPU time is read before the clock starts, so reading it is not part of the timed region.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var path = CoordinateDescent.Path(problem, alphas, eps, new LassoOptions(tolerance));
        double seconds = clock.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var gaps = path.Alphas.Select((a, k) => DualityGap.Of(problem, path.Coefficients[k], a, positive: false)).ToArray();
        return new LassoBenchResult(path, seconds, cpuSeconds, gaps);
    }
}
