namespace Engine.Kernels.FlowLimit;

/// <summary>
/// The limit of the gradient flow of the signed factorization <c>1/2 ||A (u ⊙ u - v ⊙ v) - y||^2</c> from
/// <c>u0 = v0 = a 1</c> (Woodworth et al. 2020): effectively computes the minimizer of the hypentropy potential
/// <c>Q_a(w) = sum_i w_i asinh(w_i / (2 a^2)) - sqrt(w_i^2 + 4 a^4)</c> subject to <c>A w = y</c>.
/// </summary>
/// <remarks>
/// <para>The flow is <c>du/dt = -2 u ⊙ g</c>, <c>dv/dt = 2 v ⊙ g</c> with <c>g = A^T r</c>, so
/// <c>w = u ⊙ u - v ⊙ v = p+ ⊙ exp(s) - p- ⊙ exp(-s)</c> with <c>s = A^T nu</c>, <c>p+ = u0 ⊙ u0</c>,
/// <c>p- = v0 ⊙ v0</c>; the limit interpolates and has that form. General priors (<c>p+ = u_k ⊙ u_k</c>,
/// <c>p- = v_k ⊙ v_k</c> from a finite run) give where the flow from that iterate is heading. As a tends to zero
/// the limit tends to the interpolant of minimum l1 norm, where that is unique.</para>
/// <para>The solver maximizes the concave dual <c>nu^T y - sum_i (p+_i exp(s_i) + p-_i exp(-s_i))</c> by damped Newton
/// in the log domain and stops when <c>||A w - y|| / ||y||</c> reaches <see cref="FlowLimitOptions.Tolerance"/>. The
/// dual is coercive whenever A has full row rank, so there are no forced zeros; y outside the range of a
/// rank-deficient A is rejected at construction.</para>
/// <para>An instance keeps its scratch between solves and is not thread-safe.</para>
/// </remarks>
public sealed class HypentropyProjection : IFlowLimitProjection
{
    private const string Name = "Hypentropy projection";
    private readonly DualProblem _problem;

    /// <summary>Prepares the problem for A (row-major, <paramref name="rows"/> x <paramref name="columns"/>) and y.</summary>
    /// <exception cref="ArgumentException">A sizes mismatch, a non-finite entry, or y outside the range of A.</exception>
    public HypentropyProjection(ReadOnlySpan<double> matrix, int rows, int columns, ReadOnlySpan<double> y, FlowLimitOptions? options = null)
    {
        FlowLimitInput.CheckProblem(Name, matrix, rows, columns, y);
        Rows = rows;
        Columns = columns;
        Options = options ?? FlowLimitOptions.Default;
        var free = new bool[columns];
        free.AsSpan().Fill(true);
        _problem = new DualProblem(matrix, rows, columns, y, free, Name);
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <summary>The stopping rule every solve uses.</summary>
    public FlowLimitOptions Options { get; }

    /// <summary>
    /// The limit for the priors <paramref name="priorPlus"/> (<c>u0 ⊙ u0</c>) and <paramref name="priorMinus"/>
    /// (<c>v0 ⊙ v0</c>), both of length m with positive entries, starting Newton from <paramref name="dualStart"/>
    /// (length n, or empty for zero).
    /// </summary>
    public FlowLimitResult Solve(ReadOnlySpan<double> priorPlus, ReadOnlySpan<double> priorMinus, ReadOnlySpan<double> dualStart = default)
    {
        double[] logPlus = FlowLimitInput.LogPrior(Name, "the positive prior", priorPlus, Columns);
        double[] logMinus = FlowLimitInput.LogPrior(Name, "the negative prior", priorMinus, Columns);
        FlowLimitInput.CheckDualStart(Name, dualStart, Rows);
        return _problem.Solve(logPlus, logMinus, dualStart, Options);
    }

    /// <summary>The limit of the flow from <c>u0 = v0 = a 1</c>: the priors <c>a^2 1</c>. Any a &gt; 0 works, 1e-30 included.</summary>
    public FlowLimitResult Solve(double initialScale, ReadOnlySpan<double> dualStart = default)
    {
        double[] logPrior = FlowLimitInput.LogPriorOfScale(Name, initialScale, Columns);
        FlowLimitInput.CheckDualStart(Name, dualStart, Rows);
        return _problem.Solve(logPrior, logPrior, dualStart, Options);
    }

    /// <inheritdoc/>
    public double DualObjective(double initialScale, ReadOnlySpan<double> nu)
    {
        double[] logPrior = FlowLimitInput.LogPriorOfScale(Name, initialScale, Columns);
        if (nu.Length != Rows) throw new ArgumentException($"{Name}: nu has {nu.Length} entries, expected {Rows}.");
        return _problem.DualObjective(logPrior, logPrior, nu);
    }

    /// <summary>A one-call convenience: the limit of the signed flow from <c>u0 = v0 = a 1</c> for A (row-major n x m) and y.</summary>
    public static FlowLimitResult Of(ReadOnlySpan<double> matrix, int rows, int columns, ReadOnlySpan<double> y, double initialScale, FlowLimitOptions? options = null) =>
        new HypentropyProjection(matrix, rows, columns, y, options).Solve(initialScale);
}
