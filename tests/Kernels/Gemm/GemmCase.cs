using Engine.Kernels.Gemm;
using Engine.Kernels.Random;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Kernels.Gemm;

/// <summary>
/// One generated GEMM problem: shape, transposes, padding of the leading dimensions, alpha and beta, and the
/// seed of its data. <see cref="Check{T}"/> runs a variant on it and compares with <see cref="GemmNaive"/>.
/// </summary>
public sealed record GemmCase(Op OpA, Op OpB, int M, int N, int K, int PadA, int PadB, int PadC, double Alpha, double Beta, ulong Seed)
{
    /// <summary>Sizes around every tile edge: 0, 1, primes, and one below, at and above 4, 5, 12, 16, 32, 64; and rows of six to ten vectors (90, 96, 150).</summary>
    private static readonly int[] Sizes = [0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 90, 96, 150];

    /// <summary>Depths: 0, 1, primes and the vector widths, plus one that crosses a kc block (256).</summary>
    private static readonly int[] Depths = [0, 1, 2, 3, 7, 8, 13, 16, 17, 31, 33, 64, 150, 263];

    public static Arbitrary<GemmCase> Arbitrary { get; } =
        (from opA in Gen.Elements(Op.None, Op.Transpose)
         from opB in Gen.Elements(Op.None, Op.Transpose)
         from m in Gen.Elements(Sizes)
         from n in Gen.Elements(Sizes)
         from k in Gen.Elements(Depths)
         from pads in Gen.Elements(0, 1, 3, 17).Three()
         from alpha in Gen.Elements(1.0, -0.5, 2.25)
         from beta in Gen.Elements(0.0, 1.0, -1.5)
         from seed in Gen.Choose(0, int.MaxValue)
         select new GemmCase(opA, opB, m, n, k, pads.Item1, pads.Item2, pads.Item3, alpha, beta, (ulong)seed)).ToArbitrary();

    /// <summary>Stored rows, columns and leading dimension of A, B and C.</summary>
    public (int Rows, int Cols, int Ld) ShapeA => OpA == Op.None ? (M, K, K + PadA) : (K, M, M + PadA);
    public (int Rows, int Cols, int Ld) ShapeB => OpB == Op.None ? (K, N, N + PadB) : (N, K, K + PadB);
    public (int Rows, int Cols, int Ld) ShapeC => (M, N, N + PadC);

    private static int Length((int Rows, int Cols, int Ld) s) => s.Rows == 0 ? 0 : (s.Rows - 1) * s.Ld + s.Cols;

    /// <summary>
    /// Runs <paramref name="multiply"/> and the oracle on the same data and asserts every element agrees within
    /// <c>8 eps max(k, 1) (|alpha| sum |a||b| + |beta||c0|)</c>; with beta = 0, C starts as NaN, which must not leak.
    /// Padding elements of C (between rows) must be left untouched.
    /// </summary>
    public void Check<T>(GemmMultiply<T> multiply) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var sampler = new NormalSampler(Seed);
        T[] a = Fill<T>(sampler, Length(ShapeA));
        T[] b = Fill<T>(sampler, Length(ShapeB));
        int lengthC = Length(ShapeC);
        T[] c0 = Beta == 0 ? Enumerable.Repeat(T.NaN, lengthC).ToArray() : Fill<T>(sampler, lengthC);
        T alpha = T.CreateChecked(Alpha), beta = T.CreateChecked(Beta);
        int lda = ShapeA.Ld, ldb = ShapeB.Ld, ldc = ShapeC.Ld;

        T[] expected = (T[])c0.Clone();
        if (typeof(T) == typeof(float))
            GemmNaive.Multiply(OpA, OpB, M, N, K, (float)Alpha, (float[])(object)a, lda, (float[])(object)b, ldb, (float)Beta, (float[])(object)expected, ldc);
        else
            GemmNaive.Multiply(OpA, OpB, M, N, K, Alpha, (double[])(object)a, lda, (double[])(object)b, ldb, Beta, (double[])(object)expected, ldc);

        T[] actual = (T[])c0.Clone();
        multiply(OpA, OpB, M, N, K, alpha, a, lda, b, ldb, beta, actual, ldc);

        // Machine epsilon of T: the gap between 1 and the next representable value.
        double unit = typeof(T) == typeof(float) ? MathF.BitIncrement(1f) - 1f : Math.BitIncrement(1.0) - 1.0;
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double scale = 0;
                for (int p = 0; p < K; p++)
                    scale += Math.Abs(double.CreateChecked(A(a, lda, i, p)) * double.CreateChecked(B(b, ldb, p, j)));
                scale = Math.Abs(Alpha) * scale + (Beta == 0 ? 0 : Math.Abs(Beta * double.CreateChecked(c0[i * ldc + j])));
                double tolerance = 8 * unit * Math.Max(K, 1) * scale;
                double got = double.CreateChecked(actual[i * ldc + j]), want = double.CreateChecked(expected[i * ldc + j]);
                Assert.False(double.IsNaN(got), $"{this}: C({i},{j}) is NaN");
                Assert.True(Math.Abs(got - want) <= tolerance,
                    $"{this}: C({i},{j}) = {got}, oracle {want}, tolerance {tolerance}");
            }
            // The padding after row i is not part of C.
            if (i < M - 1)
                for (int j = N; j < ldc; j++)
                    Assert.True(actual[i * ldc + j].Equals(c0[i * ldc + j]), $"{this}: padding C({i},{j}) was written");
        }
    }

    private T A<T>(T[] a, int lda, int i, int p) => OpA == Op.None ? a[i * lda + p] : a[p * lda + i];
    private T B<T>(T[] b, int ldb, int p, int j) => OpB == Op.None ? b[p * ldb + j] : b[j * ldb + p];

    private static T[] Fill<T>(NormalSampler sampler, int length) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = new T[length];
        if (typeof(T) == typeof(float)) sampler.Fill((float[])(object)values);
        else sampler.Fill((double[])(object)values);
        return values;
    }
}

/// <summary>The GEMM signature, so a test can pass any variant's float or double overload.</summary>
public delegate void GemmMultiply<T>(Op opA, Op opB, int m, int n, int k,
    T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc);
