using Engine.Experiments.Context;
using Engine.Kernels.Blas;
using Engine.Kernels.Random;

namespace Engine.Experiments.MinNorm;

/// <summary>
/// What <c>engine min-norm</c> measured: the problem's constants, the two runs' limits and their error curves, and the
/// instance they rest on (A row-major rows x cols, y, and the random start x0).
/// </summary>
public sealed record MinNormResult(
    int Rows, int Cols, double L, double SmallestPositiveEigenvalue, double RateBound, double Eta, int Steps,
    double ResidualOfMinimumNorm, double DistanceFromZeroRun, double DistanceFromRandomRun, double NullSpaceNormOfStart,
    double DistanceRandomRunToPredictedLimit, double[] ErrorFromZero, double[] ErrorFromRandom, double[] A, double[] Y, double[] X0)
{
    /// <summary>The contraction per step of the run from 0, read off its error curve.</summary>
    public ContractionRate RateFromZero => ContractionRate.Of(ErrorFromZero);

    /// <summary>The contraction per step of the run from the random start, read off its error curve.</summary>
    public ContractionRate RateFromRandom => ContractionRate.Of(ErrorFromRandom);

    /// <summary>
    /// The first step (counted from 0) at which either run's error is not finite, or null. With eta = 1/L gradient
    /// descent contracts, so this would take a smoothness constant that is badly wrong; the check makes sure a run
    /// that blows up is named rather than plotted.
    /// </summary>
    public int? DivergedAtStep
    {
        get
        {
            for (int k = 0; k < ErrorFromZero.Length; k++)
                if (!double.IsFinite(ErrorFromZero[k]) || !double.IsFinite(ErrorFromRandom[k])) return k;
            return null;
        }
    }
}

/// <summary>Homework 3, problem 2 (a)-(d): gradient descent with step 1/L from 0 and from a random start.</summary>
public static class MinNormExperiment
{
    /// <summary>The homework's instance: A is 20 x 40, and 1,200 steps take both runs to rounding level.</summary>
    public const int DefaultRows = 20, DefaultCols = 40, DefaultSteps = 1200;

    /// <param name="progress">
    /// Where the run reports: the setup's phases (see <see cref="MinNormProblem"/>), then both gradient descent runs,
    /// one unit per step; none when null.
    /// </param>
    public static MinNormResult Run(int rows, int cols, int steps, NormalSampler sampler, IProgressReporter? progress = null)
    {
        progress ??= SilentProgress.Instance;
        var problem = MinNormProblem.Random(rows, cols, sampler.Split(0), progress);
        double eta = 1 / problem.L;
        double[] xHat = problem.MinimumNormSolution;
        var r = new double[rows];
        problem.Residual(xHat, r);

        var x0 = new double[cols];
        sampler.Split(1).Fill(x0);
        double[] nullPart = problem.NullSpaceComponent(x0);
        // Where the run from x0 must end: x_hat plus the null-space part of x0, which gradient descent never changes.
        double[] predicted = xHat.ToArray();
        Blas1.Axpy(1, nullPart, predicted);

        var errorFromZero = new double[steps + 1];
        var errorFromRandom = new double[steps + 1];
        (double[] fromZero, double[] fromRandom) = progress.Run("min-norm: gradient descent", 2.0 * steps, sink =>
        {
            // Each step's distance to where the run must end; step 0 is the start, which costs no product with A.
            Action<int, double[]> Record(double[] errors, double[] limit) => (k, x) =>
            {
                errors[k] = Distance(x, limit);
                if (k > 0) sink.Advance(1);
            };
            return (problem.GradientDescent(new double[cols], eta, steps, Record(errorFromZero, xHat)),
                problem.GradientDescent(x0, eta, steps, Record(errorFromRandom, predicted)));
        });

        return new MinNormResult(rows, cols, problem.L, problem.SmallestPositiveEigenvalue, problem.RateBound, eta, steps,
            Blas1.Nrm2(r), Distance(fromZero, xHat), Distance(fromRandom, xHat), Blas1.Nrm2(nullPart),
            Distance(fromRandom, predicted), errorFromZero, errorFromRandom, problem.A, problem.Y, x0);
    }

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }
}
