using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// The Frobenius-nearest point to a symmetric G in <c>{ W PSD : &lt;A_k, W&gt; = b_k }</c>, with a certified
/// interval for the distance.
/// </summary>
/// <remarks>
/// <para>Dual: <c>min_y theta(y) = 1/2 ||Pi(G + A^T y)||^2 - b^T y</c>, Pi the projection onto the PSD cone; theta
/// is convex with gradient <c>A(Pi(G + A^T y)) - b</c>, and at its minimizer <c>W = Pi(G + A^T y)</c> is the
/// answer. It is minimized by the semismooth Newton method of Qi and Sun: the generalized Hessian
/// <c>H_kl = sum_pq (Q^T A_k Q)_pq Omega_pq (Q^T A_l Q)_pq</c> from the eigendecomposition
/// <c>G + A^T y = Q diag(l) Q^T</c> with <c>Omega_pq = (l_p+ - l_q+) / (l_p - l_q)</c> (1 when both are positive
/// and equal, 0 when both are not positive), a small regularization <c>min(1e-2, ||grad||)</c> times its largest
/// diagonal entry, and an Armijo line search on theta (where theta's change falls below its rounding, a step is
/// accepted when it reduces the gradient norm instead). With a Slater point on the face and independent
/// constraints, theta is coercive and the iteration converges, quadratically near the solution.</para>
/// <para>Bounds: for any y, <c>d(y) = 1/2 ||G - W||^2 - y^T (A(W) - b)</c> with <c>W = Pi(G + A^T y)</c> is the
/// Lagrangian dual value (using <c>&lt;Pi_-(V), Pi(V)&gt; = 0</c>, which avoids cancelling the large terms of the
/// textbook form), a lower bound on half the squared distance. For an upper bound W is made exactly feasible by
/// the least-norm correction of its residual and then, if that left it slightly indefinite by e, mixed with a
/// strictly feasible point <c>W_s</c> (the analytic center, from the interior-point method with C = 0, also
/// corrected) whose smallest eigenvalue is s &gt; 0: <c>(1 - t) W_c + t W_s</c> with <c>t = e / (e + s)</c> is PSD and
/// feasible, and its distance to G is the upper bound.</para>
/// </remarks>
internal static class PsdAffineProjection
{
    private const int MaxNewtonSteps = 100;

    /// <summary>The projection of G; <paramref name="tolerance"/> bounds the dual gradient relative to <c>1 + ||b||</c>.</summary>
    public static (double[] W, double LowerBound2, double UpperBound2, int Iterations) Project(FaceConstraints a, double[] g, double tolerance)
    {
        int q = a.R, m = a.Count;
        var y = new double[m];
        double bNorm = Math.Sqrt(SquareMatrix.Dot(a.Rhs, a.Rhs));
        var state = new State(a, g);
        state.Evaluate(y);
        int iteration = 0;
        var hessian = new double[m * m];
        while (iteration < MaxNewtonSteps && state.GradientNorm > tolerance * (1 + bNorm))
        {
            iteration++;
            state.Hessian(hessian);
            double largest = 1e-300;
            for (int k = 0; k < m; k++) largest = Math.Max(largest, hessian[k * m + k]);
            double regularization = Math.Min(1e-2, state.GradientNorm) * largest;
            for (int k = 0; k < m; k++) hessian[k * m + k] += regularization;
            if (!Cholesky.Factor(hessian, m)) break;
            var direction = new double[m];
            for (int k = 0; k < m; k++) direction[k] = -state.Gradient[k];
            Cholesky.Solve(hessian, m, direction);
            double slope = SquareMatrix.Dot(direction, state.Gradient);
            if (!(slope < 0)) break;

            double theta = state.Theta, step = 1;
            var trial = new double[m];
            bool accepted = false;
            for (int halving = 0; halving < 40; halving++, step /= 2)
            {
                for (int k = 0; k < m; k++) trial[k] = y[k] + step * direction[k];
                var next = new State(a, g);
                next.Evaluate(trial);
                // Near the solution theta changes by less than its rounding, so there the gradient norm decides.
                bool decreases = next.Theta <= theta + 1e-4 * step * slope;
                bool flatter = next.Theta <= theta + 1e-14 * (1 + Math.Abs(theta))
                    && next.GradientNorm <= (1 - 1e-4 * step) * state.GradientNorm;
                if (decreases || flatter)
                {
                    (y, state, accepted) = (trial, next, true);
                    break;
                }
            }
            if (!accepted) break;
        }

        double[] w = state.W;
        var residual = new double[m];
        a.Apply(w, residual);
        for (int k = 0; k < m; k++) residual[k] -= a.Rhs[k];
        double distance2 = 0;
        for (int t = 0; t < q * q; t++) distance2 += (g[t] - w[t]) * (g[t] - w[t]);
        double lower2 = Math.Max(0, distance2 - 2 * SquareMatrix.Dot(y, residual));

        double[] corrected = Correct(a, w);
        double upper2 = double.PositiveInfinity;
        double[] feasible = corrected;
        double indefinite = q == 0 ? 0 : Math.Max(0, -SymmetricEigenSolver.Of(corrected, q).Eigenvalues[0]);
        if (indefinite > 0)
        {
            double[]? slater = SlaterPoint(a);
            double margin = slater is null ? 0 : SymmetricEigenSolver.Of(slater, q).Eigenvalues[0];
            if (slater is not null && margin > 0)
            {
                double t = indefinite / (indefinite + margin);
                feasible = new double[q * q];
                for (int k = 0; k < q * q; k++) feasible[k] = (1 - t) * corrected[k] + t * slater[k];
                indefinite = 0;
            }
        }
        if (indefinite == 0)
        {
            upper2 = 0;
            for (int t = 0; t < q * q; t++) upper2 += (g[t] - feasible[t]) * (g[t] - feasible[t]);
        }
        return (feasible, lower2, upper2, iteration);
    }

    /// <summary>W plus the least-norm symmetric correction <c>sum_k c_k A_k</c> that makes <c>A(W) = b</c>.</summary>
    private static double[] Correct(FaceConstraints a, double[] w)
    {
        int q = a.R, m = a.Count;
        var result = (double[])w.Clone();
        if (m == 0) return result;
        for (int pass = 0; pass < 2; pass++)
        {
            var residual = new double[m];
            a.Apply(result, residual);
            for (int k = 0; k < m; k++) residual[k] = a.Rhs[k] - residual[k];
            // Gram matrix <A_k, A_l>: the Schur complement formula with Z = H = I on the face.
            var identity = new double[a.N * a.N];
            var eye = new double[q * q];
            for (int i = 0; i < q; i++) eye[i * q + i] = 1;
            SquareMatrix.Congruence(a.Basis, a.N, q, eye, identity);
            var gram = new double[m * m];
            a.Schur(identity, identity, gram);
            if (!Cholesky.Factor(gram, m)) return result;
            Cholesky.Solve(gram, m, residual);
            var correction = new double[q * q];
            a.ApplyTranspose(residual, correction);
            for (int k = 0; k < q * q; k++) result[k] += correction[k];
        }
        return result;
    }

    /// <summary>A strictly feasible point: the interior-point method's answer for C = 0, whose central path is the analytic center.</summary>
    private static double[]? SlaterPoint(FaceConstraints a)
    {
        int q = a.R;
        var zero = new double[q * q];
        InteriorPointSolution center = InteriorPointSdp.Solve(a, zero, 1e-13, 200);
        double[] corrected = Correct(a, center.Z);
        var copy = (double[])corrected.Clone();
        return Cholesky.Factor(copy, q) ? corrected : null;
    }

    /// <summary>theta, its gradient and the eigendecomposition behind them at one y.</summary>
    private sealed class State(FaceConstraints a, double[] g)
    {
        private readonly int _q = a.R;
        public double[] W = [];
        public double[] Gradient = [];
        public double GradientNorm;
        public double Theta;
        private double[] _eigenvalues = [];
        private double[] _vectors = [];

        public void Evaluate(double[] y)
        {
            int q = _q, m = a.Count;
            var v = new double[q * q];
            a.ApplyTranspose(y, v);
            for (int k = 0; k < q * q; k++) v[k] += g[k];
            (_eigenvalues, _vectors) = q == 0 ? ([], []) : SymmetricEigenSolver.Of(v, q);
            W = new double[q * q];
            for (int t = 0; t < q; t++)
            {
                double l = _eigenvalues[t];
                if (l <= 0) continue;
                for (int i = 0; i < q; i++)
                    for (int j = 0; j < q; j++) W[i * q + j] += l * _vectors[i * q + t] * _vectors[j * q + t];
            }
            SquareMatrix.Symmetrize(W, q);
            Gradient = new double[m];
            a.Apply(W, Gradient);
            double bty = 0;
            for (int k = 0; k < m; k++)
            {
                Gradient[k] -= a.Rhs[k];
                bty += a.Rhs[k] * y[k];
            }
            GradientNorm = Math.Sqrt(SquareMatrix.Dot(Gradient, Gradient));
            Theta = 0.5 * SquareMatrix.Dot(W, W) - bty;
        }

        /// <summary>The generalized Hessian (m x m) at the last evaluated y.</summary>
        public void Hessian(double[] hessian)
        {
            int q = _q, m = a.Count;
            var omega = new double[q * q];
            for (int p = 0; p < q; p++)
                for (int t = 0; t < q; t++)
                {
                    double lp = _eigenvalues[p], lt = _eigenvalues[t];
                    double pp = Math.Max(lp, 0), pt = Math.Max(lt, 0);
                    omega[p * q + t] = lp == lt ? (lp > 0 ? 1 : 0) : (pp - pt) / (lp - lt);
                }
            // Q^T A_k Q = c_k (w_i w_j^T + w_j w_i^T) with w_i = Q^T u_i (u_i row i of the basis).
            var rotated = new double[a.N * q];
            SquareMatrix.MultiplyRectangular(a.Basis, _vectors, rotated, a.N, q, q);
            var blocks = new double[m][];
            for (int k = 0; k < m; k++)
            {
                int i = a.RowI[k], j = a.RowJ[k];
                double c = a.Scale[k];
                var block = new double[q * q];
                for (int p = 0; p < q; p++)
                    for (int t = 0; t < q; t++)
                        block[p * q + t] = c * (rotated[i * q + p] * rotated[j * q + t] + rotated[j * q + p] * rotated[i * q + t]);
                blocks[k] = block;
            }
            var weighted = new double[q * q];
            for (int k = 0; k < m; k++)
            {
                for (int e = 0; e < q * q; e++) weighted[e] = omega[e] * blocks[k][e];
                for (int l = 0; l <= k; l++)
                {
                    double value = SquareMatrix.Dot(weighted, blocks[l]);
                    hessian[k * m + l] = value;
                    hessian[l * m + k] = value;
                }
            }
        }
    }
}
