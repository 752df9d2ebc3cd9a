namespace Engine.Kernels.FlowLimit;

/// <summary>
/// Facial reduction for <c>{ w &gt;= 0 : A w = y }</c>: finds the coordinates that are positive for at least one
/// feasible w. The others are zero for every feasible w, so the flow limit is zero there and the entropic dual
/// has no maximizer until they are removed.
/// </summary>
/// <remarks>
/// <para>One linear program answers it. Consider the cone <c>K = { (w, tau) : A w = tau y, w &gt;= 0, tau &gt;= 1 }</c>
/// (tau &gt;= 1 keeps y itself in play; a point with tau &gt; 1 is a feasible w/tau). A coordinate i is positive for
/// some feasible w exactly when it is positive somewhere in K: a feasible w0 plus a nonnegative null vector of A
/// stays feasible. K is closed under adding its recession directions, so points of K can be scaled up to make
/// every such coordinate at least one at once, and the program</para>
/// <code>maximize sum_i z_i  subject to  A (z + sigma) - tau' y = y,  z + zeta = 1,  z, sigma, tau', zeta &gt;= 0</code>
/// <para>(with w = z + sigma, tau = 1 + tau') has the value |F| and z = 1 on F, z = 0 off F at every optimum, where F
/// is the set sought. Reading F as <c>z_i &gt; 1/2</c> leaves half a unit of room for rounding. Phase one of the same
/// program reports an infeasible y.</para>
/// </remarks>
internal static class FeasibleSupport
{
    /// <summary>
    /// Marks the coordinates of w (m of them) that can be positive in <c>A w = y, w &gt;= 0</c>, A row-major n x m.
    /// </summary>
    /// <exception cref="ArgumentException">No w &gt;= 0 solves <c>A w = y</c>.</exception>
    public static bool[] Find(ReadOnlySpan<double> a, int n, int m, ReadOnlySpan<double> y)
    {
        // Columns: z (m), sigma (m), tau' (1), zeta (m). Rows: the n equations, then z_j + zeta_j = 1.
        int columns = 3 * m + 1, rows = n + m;
        var e = new double[rows * columns];
        var b = new double[rows];
        var c = new double[columns];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                e[i * columns + j] = a[i * m + j];
                e[i * columns + m + j] = a[i * m + j];
            }
            e[i * columns + 2 * m] = -y[i];
            b[i] = y[i];
        }
        for (int j = 0; j < m; j++)
        {
            int row = n + j;
            e[row * columns + j] = 1;
            e[row * columns + 2 * m + 1 + j] = 1;
            b[row] = 1;
            c[j] = -1;
        }
        double[] x = DenseSimplex.Minimize(e, rows, columns, b, c)
            ?? throw new ArgumentException("Entropic projection: y is not in the cone A·R^m_+, so no w >= 0 solves Aw = y (the nonnegative flow has no limit that interpolates).");
        var free = new bool[m];
        for (int j = 0; j < m; j++) free[j] = x[j] > 0.5;
        return free;
    }
}
