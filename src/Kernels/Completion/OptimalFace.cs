using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The set of minimum nuclear-norm completions of a certified result, as a face of the PSD cone:
/// <c>{ X = B W B^T : W PSD, X_ij = Y_ij on Omega }</c>, with B (n x q) an orthonormal basis found from the dual slack.
/// </summary>
/// <remarks>
/// <para>Why this is the optimal set: for the certified dual slack S (PSD on the face P) every optimal X has
/// <c>&lt;P^T X P, S&gt; = trace(X) - dual objective = 0</c>, and two PSD matrices with zero inner product have
/// orthogonal ranges, so the optimal X are exactly the feasible <c>X = P U W U^T P^T</c> with U a basis of
/// null(S). The null space is decided by the indicator rule on the pair (Z, S): an eigenvector of S is in it when
/// its S-eigenvalue is below the Z Rayleigh quotient along it or below 1e-12 (1 + ||S||) (numerically zero).</para>
/// <para>That face generally has no Slater point in the full space, so facial reduction runs again from
/// <c>B0 = P U</c> (<see cref="FacialReduction"/>), and the observations become independent constraints on the
/// reduced basis B. With Slater's condition on that face, the optimal set is a convex body of dimension
/// <see cref="AffineDimension"/> = q (q + 1) / 2 minus the number of independent constraints: zero means a single
/// point.</para>
/// </remarks>
internal sealed class OptimalFace
{
    private const double NumericallyZero = 1e-12;

    private OptimalFace(CompletionProblem problem, double[] basis, int q, FaceConstraints constraints, double trace, double dualObjective)
    {
        Problem = problem;
        Basis = basis;
        Q = q;
        Constraints = constraints;
        AffineDimension = q * (q + 1) / 2 - constraints.Count;
        Trace = trace;
        DualObjective = dualObjective;
    }

    public CompletionProblem Problem { get; }

    /// <summary>B, n x q row-major, orthonormal columns.</summary>
    public double[] Basis { get; }

    public int Q { get; }

    /// <summary>Independent observations as constraints on W.</summary>
    public FaceConstraints Constraints { get; }

    public int AffineDimension { get; }

    /// <summary>The certified minimum trace and dual objective of the result.</summary>
    public double Trace { get; }
    public double DualObjective { get; }

    public static OptimalFace Of(CompletionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Certificate.Certified)
            throw new InvalidOperationException("The optimal set can only be described from a certified completion.");
        CompletionProblem problem = result.Problem;
        CompletionFace face = result.Face;
        int n = problem.N, r = face.Dimension;
        var z = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, result.X, z);
        var s = new double[r * r];
        SquareMatrix.Compress(face.Basis, n, r, result.FaceLambda, s);
        for (int k = 0; k < r * r; k++) s[k] = -s[k];
        for (int i = 0; i < r; i++) s[i * r + i] += 1;

        int[] columns = NullOfSlack(z, s, r, out double[] vectors);
        int q0 = columns.Length;
        var u = new double[r * q0];
        for (int i = 0; i < r; i++)
            for (int c = 0; c < q0; c++) u[i * q0 + c] = vectors[i * r + columns[c]];
        var start = new double[n * q0];
        SquareMatrix.MultiplyRectangular(face.Basis, u, start, n, r, q0);

        CompletionFace optimal = FacialReduction.Reduce(problem, start, q0, face.RankTolerance);
        FaceConstraints constraints = MinimumTraceCompletion.Independent(problem, optimal);
        return new OptimalFace(problem, optimal.Basis, optimal.Dimension, constraints,
            result.Certificate.PrimalObjective, result.Certificate.FaceDualObjective);
    }

    /// <summary>The eigenvector indices of S spanning its null space by the rule in the remarks.</summary>
    private static int[] NullOfSlack(double[] z, double[] s, int r, out double[] vectors)
    {
        if (r == 0)
        {
            vectors = [];
            return [];
        }
        (double[] eigenvalues, double[] q) = SymmetricEigenSolver.Of(s, r);
        vectors = q;
        double zero = NumericallyZero * (1 + Math.Max(Math.Abs(eigenvalues[0]), Math.Abs(eigenvalues[r - 1])));
        var columns = new List<int>();
        var v = new double[r];
        for (int t = 0; t < r; t++)
        {
            for (int i = 0; i < r; i++) v[i] = q[i * r + t];
            double rayleigh = 0;
            for (int i = 0; i < r; i++)
            {
                double row = 0;
                for (int j = 0; j < r; j++) row += z[i * r + j] * v[j];
                rayleigh += v[i] * row;
            }
            if (eigenvalues[t] < rayleigh || eigenvalues[t] <= zero) columns.Add(t);
        }
        return [.. columns];
    }

    /// <summary><c>X = B W B^T</c> (n x n).</summary>
    public double[] Lift(double[] w)
    {
        int n = Problem.N;
        var x = new double[n * n];
        SquareMatrix.Congruence(Basis, n, Q, w, x);
        return x;
    }

    /// <summary>The relative equality residual on Omega and PSD violation of an n x n X, as in the certificate.</summary>
    public (double Equality, double Psd) Residuals(double[] x)
    {
        int n = Problem.N;
        ReadOnlySpan<bool> observed = Problem.Observed;
        ReadOnlySpan<double> y = Problem.Y;
        double equality2 = 0;
        for (int k = 0; k < n * n; k++)
            if (observed[k]) equality2 += (x[k] - y[k]) * (x[k] - y[k]);
        double psd = n == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(x, n).Eigenvalues[0]) / (1 + SquareMatrix.FrobeniusNorm(x));
        return (Math.Sqrt(equality2) / (1 + Problem.ObservedNorm), psd);
    }
}
