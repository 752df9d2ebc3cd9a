using Engine.Kernels.Gemm;

namespace Engine.Kernels.Completion;

/// <summary>The few dense operations on small square row-major matrices that the completion solvers share.</summary>
internal static class SquareMatrix
{
    /// <summary><c>c = op(a) op(b)</c> for n x n matrices.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n,
        Op opA = Op.None, Op opB = Op.None)
    {
        if (n == 0) return;
        Gemm.Gemm.Multiply(opA, opB, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
    }

    /// <summary>Replaces a by <c>(a + a^T) / 2</c>.</summary>
    public static void Symmetrize(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double mean = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = mean;
                a[j * n + i] = mean;
            }
    }

    /// <summary>The Frobenius inner product <c>&lt;a, b&gt; = sum a_ij b_ij</c>.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++) sum += a[k] * b[k];
        return sum;
    }

    public static double FrobeniusNorm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary><c>x = b w b^T</c> for the n x r row-major b and the r x r w, made exactly symmetric.</summary>
    public static void Congruence(ReadOnlySpan<double> b, int n, int r, ReadOnlySpan<double> w, Span<double> x)
    {
        if (r == 0 || n == 0)
        {
            x.Clear();
            return;
        }
        var bw = new double[n * r];
        Gemm.Gemm.Multiply(Op.None, Op.None, n, r, r, 1.0, b, r, w, r, 0.0, bw, r);
        Gemm.Gemm.Multiply(Op.None, Op.Transpose, n, n, r, 1.0, bw, r, b, r, 0.0, x, n);
        Symmetrize(x, n);
    }

    /// <summary><c>w = b^T x b</c> for the n x r row-major b and the n x n x, made exactly symmetric.</summary>
    public static void Compress(ReadOnlySpan<double> b, int n, int r, ReadOnlySpan<double> x, Span<double> w)
    {
        if (r == 0 || n == 0)
        {
            w.Clear();
            return;
        }
        var xb = new double[n * r];
        Gemm.Gemm.Multiply(Op.None, Op.None, n, r, n, 1.0, x, n, b, r, 0.0, xb, r);
        Gemm.Gemm.Multiply(Op.Transpose, Op.None, r, r, n, 1.0, b, r, xb, r, 0.0, w, r);
        Symmetrize(w, r);
    }

    /// <summary><c>c = a b</c> for the n x k row-major a and the k x m row-major b.</summary>
    public static void MultiplyRectangular(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int n, int k, int m)
    {
        if (n == 0 || m == 0) return;
        if (k == 0)
        {
            c[..(n * m)].Clear();
            return;
        }
        Gemm.Gemm.Multiply(Op.None, Op.None, n, m, k, 1.0, a, k, b, m, 0.0, c, m);
    }
}
