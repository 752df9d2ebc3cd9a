using Engine.Kernels.Linalg;

namespace Engine.Kernels.Completion;

/// <summary>
/// Takes a nearly optimal pair of a face SDP to rounding level by Newton's method on its optimality conditions with
/// the rank partition fixed, when the optimum need not be unique.
/// </summary>
/// <remarks>
/// <para>Conditions: with U (r x q) the eigenvectors of the q smallest eigenvalues of <c>S = C - A^T y</c>, U_perp
/// the others and <c>Z = U W U^T</c>, an optimal pair with this partition has <c>U^T S U = 0</c> (q (q + 1) / 2
/// equations), <c>A(U W U^T) = b</c> (m equations), and S positive definite on U_perp and W on U. Unknowns: y, W,
/// and the tilt K of U toward U_perp (<c>U -&gt; U + U_perp K</c>).</para>
/// <para>Newton step: the U_perp-block of <c>S U = 0</c> gives the tilt in closed form, <c>U_perp K = S^+ (A^T dy) U</c>
/// (S^+ the pseudo-inverse on U_perp, well conditioned because the slack's positive eigenvalues are bounded away
/// from zero), and what remains is the symmetric system <c>[2 M, A_U^T; A_U, 0] [dy; dW] = [b - A(Z); svec(U^T S U)]</c>
/// with <c>M_kl = &lt;A_k, Z A_l S^+&gt;</c> and A_U the constraints restricted to the face <c>P U</c>. It is a
/// saddle-point system, singular exactly where the optimum is not unique: dW along the null space of A_U moves
/// along the optimal set, and dy along the null space of the 2M block restricted to the null space of A_U^T moves
/// along the optimal dual set. Both null spaces are genuine, so no rank is decided: the step is the
/// Levenberg-Marquardt one, <c>(K^2 + lambda^2 I) x = K g</c> with lambda proportional to the residual norm,
/// which leaves the exact null directions alone and converges quadratically to a solution when the solution set
/// is a smooth manifold (the local error bound of Yamashita and Fukushima). It is computed from one
/// eigendecomposition of K per step, so that a rejected step (the residual grew, or S or W lost definiteness)
/// only retries with a larger lambda.</para>
/// <para>The interior-point method can not do this itself: its Schur complement has condition number of order
/// <c>1 / mu^2</c> when the optimal Z has eigenvalues far smaller than one, which caps it near 1e-10, and the
/// factored polish (<see cref="OptimalFacePolish"/>) is singular along the rotations of its factor as well as
/// along a non-unique optimum, so its rank decisions mix the two when small eigenvalues of Z make genuine
/// directions nearly singular too.</para>
/// </remarks>
internal static class ComplementarityRefinement
{
    private const int MaxSteps = 12;

    /// <summary>Retries of one step with lambda ten times larger each time.</summary>
    private const int MaxAttempts = 5;

    /// <summary>An accepted step that leaves more than this fraction of the residual is slow.</summary>
    private const double SlowProgress = 0.5;

    /// <summary>
    /// After this many slow steps in a row the iteration stops: rounding level is reached. One is not enough, since
    /// a step that had to be damped (lambda grown after a rejection) is slow far from rounding level too.
    /// </summary>
    private const int SlowSteps = 2;

    /// <summary>Above this size of the saddle-point system (m + q (q + 1) / 2) its eigendecomposition costs more than it saves.</summary>
    private const int MaxSystemSize = 1500;

    /// <summary>
    /// The refined (Z, y) for the cost C from the pair (Z, y) with the q smallest eigenvalues of the slack taken as
    /// its null space: of the accepted iterates, the one with the best <see cref="FaceSdp.Measure"/>; null when
    /// nothing was accepted. The caller compares it with what it has and keeps the better.
    /// </summary>
    /// <param name="onIteration">Called after every step, accepted or not (see <see cref="CompletionOptions.OnIteration"/>).</param>
    public static (double[] Z, double[] Y)? Refine(FaceConstraints a, ReadOnlySpan<double> c, double[] z, double[] y, int q,
        Action<CompletionIteration>? onIteration = null)
    {
        int r = a.R, m = a.Count, d = q * (q + 1) / 2;
        if (r == 0 || m == 0 || q == 0 || m + d > MaxSystemSize) return null;
        double[] cost = c.ToArray();
        var pairs = new List<(int, int, double)>(m);
        for (int k = 0; k < m; k++) pairs.Add((a.RowI[k], a.RowJ[k], a.Value[k]));

        State? current = State.Evaluate(a, cost, (double[])y.Clone(), z, q);
        if (current is null) return null;
        State? best = null;
        double bestMeasure = double.PositiveInfinity;
        double factor = 1;
        int slow = 0;
        for (int step = 0; step < MaxSteps && current.Residual > 0; step++)
        {
            (double[] kappa, double[] vectors, double[] projected) = Linearize(a, current, pairs);
            State? next = null;
            for (int attempt = 0; attempt < MaxAttempts; attempt++, factor *= 10)
            {
                double lambda = factor * current.Residual;
                State? trial = Step(a, cost, current, kappa, vectors, projected, lambda);
                if (trial is not null && trial.Residual < current.Residual)
                {
                    next = trial;
                    break;
                }
            }
            onIteration?.Invoke(new CompletionIteration(CompletionStage.Refinement, step + 1, MaxSteps,
                next?.Residual ?? current.Residual, 0));
            if (next is null) break;
            slow = next.Residual > SlowProgress * current.Residual ? slow + 1 : 0;
            current = next;
            // The residual decreases at every accepted step, but the measures a caller certifies with (the duality
            // gap among them) can rise again at rounding level, so the best of those is kept.
            double measure = FaceSdp.Measure(a, cost, next.Z, next.Y);
            if (measure < bestMeasure) (best, bestMeasure) = (next, measure);
            factor = Math.Max(factor / 10, 1e-3);
            if (slow == SlowSteps) break;
        }
        return best is null ? null : (best.Z, best.Y);
    }

    /// <summary>
    /// The eigendecomposition of the saddle-point matrix K at <paramref name="state"/> and the right-hand side
    /// <c>g = [b - A(Z); svec(U^T S U)]</c> in its eigenbasis.
    /// </summary>
    private static (double[] Kappa, double[] Vectors, double[] Projected) Linearize(FaceConstraints a, State state,
        List<(int, int, double)> pairs)
    {
        int n = a.N, r = a.R, m = a.Count, q = state.Q, d = q * (q + 1) / 2, size = m + d;
        var liftedZ = new double[n * n];
        var liftedInverse = new double[n * n];
        SquareMatrix.Congruence(a.Basis, n, r, state.Z, liftedZ);
        SquareMatrix.Congruence(a.Basis, n, r, state.SlackInverse, liftedInverse);
        var schur = new double[m * m];
        a.Schur(liftedZ, liftedInverse, schur);
        var faceBasis = new double[n * q];
        SquareMatrix.MultiplyRectangular(a.Basis, state.U, faceBasis, n, r, q);
        double[] restricted = FaceConstraints.Create(faceBasis, n, q, pairs).SvecColumns(); // column k at k * d

        var k = new double[size * size];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++) k[i * size + j] = 2 * schur[i * m + j];
            for (int p = 0; p < d; p++)
            {
                k[i * size + m + p] = restricted[i * d + p];
                k[(m + p) * size + i] = restricted[i * d + p];
            }
        }
        (double[] kappa, double[] vectors) = SymmetricEigenSolver.Of(k, size);

        var g = new double[size];
        for (int i = 0; i < m; i++) g[i] = -state.EqualityResidual[i];
        int at = m;
        for (int p = 0; p < q; p++)
            for (int t = 0; t <= p; t++) g[at++] = p == t ? state.SlackEigenvalues[p] : 0; // U^T S U is diagonal
        var projected = new double[size];
        for (int j = 0; j < size; j++)
        {
            double sum = 0;
            for (int i = 0; i < size; i++) sum += vectors[i * size + j] * g[i];
            projected[j] = sum;
        }
        return (kappa, vectors, projected);
    }

    /// <summary>The state after the Levenberg-Marquardt step with <paramref name="lambda"/>, or null when it is not valid.</summary>
    private static State? Step(FaceConstraints a, double[] c, State state, double[] kappa, double[] vectors, double[] projected,
        double lambda)
    {
        int r = a.R, m = a.Count, q = state.Q, d = q * (q + 1) / 2, size = m + d;
        var coefficients = new double[size];
        for (int j = 0; j < size; j++) coefficients[j] = kappa[j] * projected[j] / (kappa[j] * kappa[j] + lambda * lambda);
        var x = new double[size];
        for (int i = 0; i < size; i++)
        {
            double sum = 0;
            for (int j = 0; j < size; j++) sum += vectors[i * size + j] * coefficients[j];
            x[i] = sum;
        }

        var y = new double[m];
        for (int i = 0; i < m; i++) y[i] = state.Y[i] + x[i];
        // The tilt U_perp K = S^+ (A^T dy) U.
        var aty = new double[r * r];
        a.ApplyTranspose(x.AsSpan(0, m), aty);
        var atyU = new double[r * q];
        SquareMatrix.MultiplyRectangular(aty, state.U, atyU, r, r, q);
        var tilt = new double[r * q];
        SquareMatrix.MultiplyRectangular(state.SlackInverse, atyU, tilt, r, r, q);
        var u = new double[r * q];
        for (int i = 0; i < r * q; i++) u[i] = state.U[i] + tilt[i];
        var w = (double[])state.W.Clone();
        int at = m;
        for (int p = 0; p < q; p++)
            for (int t = 0; t <= p; t++)
            {
                double value = p == t ? x[at] : x[at] / Math.Sqrt(2);
                w[p * q + t] += value;
                if (p != t) w[t * q + p] += value;
                at++;
            }
        var z = new double[r * r];
        SquareMatrix.Congruence(u, r, q, w, z);
        return State.Evaluate(a, c, y, z, q);
    }

    /// <summary>A point of the iteration: the partition from S, Z projected onto it, and the residuals.</summary>
    private sealed class State
    {
        public required int Q { get; init; }
        public required double[] Y { get; init; }
        /// <summary><c>U W U^T</c>, r x r.</summary>
        public required double[] Z { get; init; }
        public required double[] U { get; init; }
        public required double[] W { get; init; }
        /// <summary>The eigenvalues of S, ascending; the first q are the residual <c>U^T S U</c>.</summary>
        public required double[] SlackEigenvalues { get; init; }
        /// <summary>S^+ on U_perp: <c>U_perp diag(1 / s) U_perp^T</c>.</summary>
        public required double[] SlackInverse { get; init; }
        /// <summary><c>A(Z) - b</c>.</summary>
        public required double[] EqualityResidual { get; init; }
        /// <summary><c>sqrt(||A(Z) - b||^2 + ||U^T S U||_F^2)</c>.</summary>
        public required double Residual { get; init; }

        /// <summary>The state at (y, Z), or null when S is not positive definite on U_perp or W not on U.</summary>
        public static State? Evaluate(FaceConstraints a, double[] c, double[] y, double[] zGiven, int q)
        {
            int r = a.R, m = a.Count;
            var s = new double[r * r];
            a.ApplyTranspose(y, s);
            for (int k = 0; k < r * r; k++) s[k] = c[k] - s[k];
            (double[] sigma, double[] vectors) = SymmetricEigenSolver.Of(s, r);
            if (q < r && !(sigma[q] > 0)) return null;
            var u = new double[r * q];
            var perp = new double[r * (r - q)];
            for (int i = 0; i < r; i++)
            {
                for (int t = 0; t < q; t++) u[i * q + t] = vectors[i * r + t];
                for (int t = q; t < r; t++) perp[i * (r - q) + t - q] = vectors[i * r + t] / Math.Sqrt(sigma[t]);
            }
            var w = new double[q * q];
            SquareMatrix.Compress(u, r, q, zGiven, w);
            var factor = (double[])w.Clone();
            if (!Cholesky.Factor(factor, q)) return null;
            var z = new double[r * r];
            SquareMatrix.Congruence(u, r, q, w, z);
            var inverse = new double[r * r];
            if (q < r)
                Gemm.Gemm.Multiply(Gemm.Op.None, Gemm.Op.Transpose, r, r, r - q, 1.0, perp, r - q, perp, r - q, 0.0, inverse, r);
            SquareMatrix.Symmetrize(inverse, r);
            var residual = new double[m];
            a.Apply(z, residual);
            double sum = 0;
            for (int k = 0; k < m; k++)
            {
                residual[k] -= a.Rhs[k];
                sum += residual[k] * residual[k];
            }
            for (int t = 0; t < q; t++) sum += sigma[t] * sigma[t];
            return new State
            {
                Q = q, Y = y, Z = z, U = u, W = w, SlackEigenvalues = sigma, SlackInverse = inverse,
                EqualityResidual = residual, Residual = Math.Sqrt(sum),
            };
        }
    }
}
