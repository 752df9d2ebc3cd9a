namespace Engine.Kernels.FlowLimit;

/// <summary>
/// The limit of the gradient flow of <c>F(x) = 1/2 ||A (x ⊙ x) - y||^2</c> (HW3 2(e)): effectively computes the
/// entropic projection <c>argmin sum_i w_i log(w_i / p_i) - w_i + p_i</c> subject to <c>A w = y</c>, <c>w &gt;= 0</c>.
/// </summary>
/// <remarks>
/// <para>With <c>w = x ⊙ x</c> the flow is <c>dw/dt = -4 w ⊙ A^T (A w - y)</c>, so <c>w(t) = p ⊙ exp(A^T nu(t))</c>
/// with <c>p = x0 ⊙ x0</c>; its limit interpolates and has that form, which is exactly the optimality condition of the
/// projection above. For <c>x0 = a 1</c> the prior is <c>a^2 1</c>; with a general prior such as the last iterate of
/// a finite run (<c>p = x_k ⊙ x_k</c>) the result is where the flow from that iterate is heading. As a tends to zero
/// the limit tends to the nonnegative interpolant of minimum l1 norm, where that is unique.</para>
/// <para>The solver maximizes the concave dual <c>nu^T y - sum_i p_i exp((A^T nu)_i)</c> by damped Newton in the log
/// domain, and stops when <c>||A w - y|| / ||y||</c> reaches <see cref="FlowLimitOptions.Tolerance"/> (1e-12 by
/// default). When y lies on the boundary of the cone <c>A R^m_+</c>, some coordinates vanish for every feasible w
/// and the dual has no maximizer; a linear program run once at construction finds them, they are reported in
/// <see cref="ForcedZeros"/>, and the projection is solved on the remaining coordinates.</para>
/// <para>An instance keeps its scratch between solves and is not thread-safe.</para>
/// </remarks>
public sealed class EntropicProjection : IFlowLimitProjection
{
    private const string Name = "Entropic projection";
    private readonly DualProblem _problem;

    /// <summary>
    /// Prepares the problem for A (row-major, <paramref name="rows"/> x <paramref name="columns"/>) and y.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A sizes mismatch, a non-finite entry, or y outside the cone <c>A R^m_+</c> (no w &gt;= 0 solves <c>A w = y</c>).
    /// </exception>
    public EntropicProjection(ReadOnlySpan<double> matrix, int rows, int columns, ReadOnlySpan<double> y, FlowLimitOptions? options = null)
    {
        FlowLimitInput.CheckProblem(Name, matrix, rows, columns, y);
        Rows = rows;
        Columns = columns;
        Options = options ?? FlowLimitOptions.Default;
        bool[] free = FeasibleSupport.Find(matrix, rows, columns, y);
        _problem = new DualProblem(matrix, rows, columns, y, free, Name);
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <summary>The stopping rule every solve uses.</summary>
    public FlowLimitOptions Options { get; }

    /// <summary>The coordinates (ascending) that are zero for every w &gt;= 0 with <c>A w = y</c>; empty when y is interior.</summary>
    public IReadOnlyList<int> ForcedZeros => _problem.ForcedZeros;

    /// <summary>
    /// The projection for the prior <paramref name="prior"/> (length m, every entry positive), starting Newton from
    /// <paramref name="dualStart"/> (length n, or empty for zero, which starts at w = p).
    /// </summary>
    public FlowLimitResult Solve(ReadOnlySpan<double> prior, ReadOnlySpan<double> dualStart = default)
    {
        double[] logPrior = FlowLimitInput.LogPrior(Name, "the prior", prior, Columns);
        FlowLimitInput.CheckDualStart(Name, dualStart, Rows);
        return _problem.Solve(logPrior, [], dualStart, Options);
    }

    /// <summary>The limit of the flow from <c>x0 = a 1</c>: the projection for the prior <c>a^2 1</c>. Any a &gt; 0 works, 1e-30 included.</summary>
    public FlowLimitResult Solve(double initialScale, ReadOnlySpan<double> dualStart = default)
    {
        double[] logPrior = FlowLimitInput.LogPriorOfScale(Name, initialScale, Columns);
        FlowLimitInput.CheckDualStart(Name, dualStart, Rows);
        return _problem.Solve(logPrior, [], dualStart, Options);
    }

    /// <inheritdoc/>
    public double DualObjective(double initialScale, ReadOnlySpan<double> nu)
    {
        double[] logPrior = FlowLimitInput.LogPriorOfScale(Name, initialScale, Columns);
        if (nu.Length != Rows) throw new ArgumentException($"{Name}: nu has {nu.Length} entries, expected {Rows}.");
        return _problem.DualObjective(logPrior, [], nu);
    }

    /// <summary>A one-call convenience: the limit of the flow from <c>x0 = a 1</c> for A (row-major n x m) and y.</summary>
    public static FlowLimitResult Of(ReadOnlySpan<double> matrix, int rows, int columns, ReadOnlySpan<double> y, double initialScale, FlowLimitOptions? options = null) =>
        new EntropicProjection(matrix, rows, columns, y, options).Solve(initialScale);
}
