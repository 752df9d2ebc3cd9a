namespace Engine.Kernels.FlowLimit;

/// <summary>Argument checks shared by the flow-limit solvers, with messages that name the solver.</summary>
internal static class FlowLimitInput
{
    public static void CheckProblem(string name, ReadOnlySpan<double> matrix, int rows, int columns, ReadOnlySpan<double> y)
    {
        if (rows < 0 || columns < 1) throw new ArgumentException($"{name}: need at least one column and no negative sizes (n={rows}, m={columns}).");
        if (matrix.Length != (long)rows * columns) throw new ArgumentException($"{name}: A has {matrix.Length} entries, expected {rows} x {columns}.");
        if (y.Length != rows) throw new ArgumentException($"{name}: y has {y.Length} entries, expected {rows}.");
        foreach (double v in matrix) if (!double.IsFinite(v)) throw new ArgumentException($"{name}: A holds NaN or infinity.");
        foreach (double v in y) if (!double.IsFinite(v)) throw new ArgumentException($"{name}: y holds NaN or infinity.");
    }

    /// <summary>The logarithm of a prior that must be positive and finite.</summary>
    public static double[] LogPrior(string name, string what, ReadOnlySpan<double> prior, int columns)
    {
        if (prior.Length != columns) throw new ArgumentException($"{name}: {what} has {prior.Length} entries, expected {columns}.");
        var log = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            if (!(prior[j] > 0) || !double.IsFinite(prior[j])) throw new ArgumentException($"{name}: {what}[{j}] = {prior[j]:G6}; every prior entry must be positive and finite.");
            log[j] = Math.Log(prior[j]);
        }
        return log;
    }

    /// <summary><c>log(a^2)</c> for every coordinate; computed from a so that a = 1e-200 (a^2 below double range) still works.</summary>
    public static double[] LogPriorOfScale(string name, double initialScale, int columns)
    {
        if (!(initialScale > 0) || !double.IsFinite(initialScale)) throw new ArgumentException($"{name}: the initial scale a must be positive and finite, got {initialScale:G6}.");
        var log = new double[columns];
        log.AsSpan().Fill(2 * Math.Log(initialScale));
        return log;
    }

    public static void CheckDualStart(string name, ReadOnlySpan<double> dualStart, int rows)
    {
        if (dualStart.IsEmpty) return;
        if (dualStart.Length != rows) throw new ArgumentException($"{name}: the dual start has {dualStart.Length} entries, expected {rows}.");
        foreach (double v in dualStart) if (!double.IsFinite(v)) throw new ArgumentException($"{name}: the dual start holds NaN or infinity.");
    }
}
