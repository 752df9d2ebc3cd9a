namespace Engine.Kernels.FlowLimit;

/// <summary>
/// Picks a maximal set of linearly independent rows of a matrix, so that the dual Newton system has full rank,
/// and checks that the right-hand side is consistent with the rows it drops.
/// </summary>
/// <remarks>
/// A matrix given with full row rank can lose it when the coordinates forced to zero are removed (a row that was
/// nonzero only there becomes zero), and then the dual variable is not unique. Keeping only independent rows
/// restores a unique dual; the dropped rows are combinations of the kept ones, so satisfying the kept
/// equations satisfies them too whenever the system is consistent.
/// </remarks>
internal static class RowBasis
{
    // Rows are scaled to unit norm first, so this is a bound on how close to dependent a kept row may be.
    private const double IndependenceThreshold = 1e-11;

    // A right-hand side farther than this (relative to its norm) from the range is reported as inconsistent.
    private const double ConsistencyTolerance = 1e-8;

    /// <summary>
    /// The indices (ascending) of independent rows of the n x k row-major <paramref name="matrix"/>.
    /// Throws when <paramref name="y"/> is not in the range of the matrix.
    /// </summary>
    public static int[] Select(ReadOnlySpan<double> matrix, int n, int k, ReadOnlySpan<double> y, string problem)
    {
        if (n == 0) return [];
        var scaled = new double[n * k];
        var scaledY = new double[n];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int j = 0; j < k; j++) norm = Math.Max(norm, Math.Abs(matrix[i * k + j]));
            double inverse = norm > 0 ? 1 / norm : 0;
            for (int j = 0; j < k; j++) scaled[i * k + j] = matrix[i * k + j] * inverse;
            scaledY[i] = norm > 0 ? y[i] * inverse : 0;
            if (norm == 0 && y[i] != 0)
                throw new ArgumentException($"{problem}: row {i} of the matrix is zero but y[{i}] = {y[i]:G6}, so no w solves Aw = y.");
        }
        if (k == 0)
        {
            CheckConsistent(matrix, n, k, y, new double[0], problem);
            return [];
        }

        var ones = new double[k];
        ones.AsSpan().Fill(1);
        var system = new GradedNormalEquations(n, k, IndependenceThreshold);
        system.Factor(scaled, ones);
        int rank = system.Rank;
        var rows = new int[rank];
        for (int j = 0; j < rank; j++) rows[j] = system.PivotOrder(j);
        Array.Sort(rows);

        // The minimum-norm solution of the kept equations must satisfy the dropped ones too.
        var kept = new double[rank * k];
        var keptY = new double[rank];
        for (int t = 0; t < rank; t++)
        {
            scaled.AsSpan(rows[t] * k, k).CopyTo(kept.AsSpan(t * k, k));
            keptY[t] = scaledY[rows[t]];
        }
        var w = new double[k];
        if (rank > 0)
        {
            var keptSystem = new GradedNormalEquations(rank, k, IndependenceThreshold * IndependenceThreshold);
            keptSystem.Factor(kept, ones);
            var z = new double[rank];
            double f = keptSystem.Solve(keptY, z);
            for (int t = 0; t < rank; t++)
                for (int j = 0; j < k; j++) w[j] += f * z[t] * kept[t * k + j];
        }
        CheckConsistent(matrix, n, k, y, w, problem);
        return rows;
    }

    private static void CheckConsistent(ReadOnlySpan<double> matrix, int n, int k, ReadOnlySpan<double> y, double[] w, string problem)
    {
        double residual = 0, yNorm = 0;
        for (int i = 0; i < n; i++)
        {
            double sum = -y[i];
            for (int j = 0; j < k; j++) sum += matrix[i * k + j] * w[j];
            residual += sum * sum;
            yNorm += y[i] * y[i];
        }
        if (Math.Sqrt(residual) > ConsistencyTolerance * Math.Sqrt(yNorm))
            throw new ArgumentException($"{problem}: y is not in the range of the matrix (relative distance {Math.Sqrt(residual / yNorm):G3}), so no w solves Aw = y.");
    }
}
