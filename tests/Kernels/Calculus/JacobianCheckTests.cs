using Engine.Kernels.Calculus;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Calculus;

public class JacobianCheckTests
{
    /// <summary>
    /// f_c(x) = tanh(y_c) + y_c^2 x_{c mod n} / 2 with y = A x + b: a map R^n -> R^m whose Jacobian couples every
    /// output to every input, with its product <c>J v</c> written out by hand.
    /// </summary>
    private sealed record VectorCase(ulong Seed, int N, int M, double[] A, double[] B, double[] X)
    {
        public static VectorCase Draw(ulong seed)
        {
            var s = new NormalSampler(seed, 0x7AC0);
            int n = 1 + s.NextInt(12), m = 1 + s.NextInt(8);
            var a = new double[m * n];
            var b = new double[m];
            var x = new double[n];
            s.Fill(a, 0, 1 / Math.Sqrt(n));
            s.Fill(b);
            s.Fill(x);
            return new VectorCase(seed, n, m, a, b, x);
        }

        private double Y(ReadOnlySpan<double> x, int c)
        {
            double y = B[c];
            for (int i = 0; i < N; i++) y += A[c * N + i] * x[i];
            return y;
        }

        public void F(ReadOnlySpan<double> x, Span<double> value)
        {
            for (int c = 0; c < M; c++)
            {
                double y = Y(x, c);
                value[c] = Math.Tanh(y) + 0.5 * y * y * x[c % N];
            }
        }

        public void Jvp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> product)
        {
            for (int c = 0; c < M; c++)
            {
                double y = Y(x, c), av = 0;
                for (int i = 0; i < N; i++) av += A[c * N + i] * v[i];
                double t = Math.Tanh(y);
                product[c] = (1 - t * t) * av + y * av * x[c % N] + 0.5 * y * y * v[c % N];
            }
        }

        public override string ToString() => $"seed {Seed}, n = {N}, m = {M}";
    }

    [Fact]
    public void CorrectProductsPass()
    {
        for (ulong seed = 0; seed < 100; seed++)
        {
            var c = VectorCase.Draw(seed);
            DerivativeCheckResult result = JacobianCheck.Run(c.F, c.M, c.X, c.Jvp, new DerivativeCheckOptions { Seed = seed });
            Assert.True(result.Passed, $"{c}\n{result}");
            Assert.Equal(c.M, result.Outputs);
        }
    }

    [Fact]
    public void AProductOffByOneInTenThousandFails()
    {
        for (ulong seed = 0; seed < 100; seed++)
        {
            var c = VectorCase.Draw(seed);
            // Every product has its largest component scaled by 1 + 1e-4.
            void Wrong(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> product)
            {
                c.Jvp(x, v, product);
                int largest = 0;
                for (int k = 1; k < product.Length; k++) if (Math.Abs(product[k]) > Math.Abs(product[largest])) largest = k;
                product[largest] *= 1 + 1e-4;
            }
            DerivativeCheckResult result = JacobianCheck.Run(c.F, c.M, c.X, Wrong, new DerivativeCheckOptions { Seed = seed });
            Assert.False(result.Passed, $"{c}\n{result}");
        }
    }

    [Fact]
    public void AFailingRowReportsTheOutputThatFailed()
    {
        var d = VectorCase.Draw(Enumerable.Range(0, 50).Select(s => (ulong)s).First(s => VectorCase.Draw(s).M >= 3));
        const int broken = 2;
        void Wrong(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> product)
        {
            d.Jvp(x, v, product);
            product[broken] = -product[broken];
        }
        DerivativeCheckResult result = JacobianCheck.Run(d.F, d.M, d.X, Wrong);
        Assert.All(result.Rows.Where(r => !r.Passed), r => Assert.Equal(broken, r.Output));
        Assert.Contains(result.DirectionRows, r => !r.Passed);
    }

    [Fact]
    public void OneOutputAgreesWithTheGradientCheck()
    {
        GradientCase g = GradientCases.SoftplusNetwork(5);
        void F(ReadOnlySpan<double> x, Span<double> value) => value[0] = g.F(x);
        void Jvp(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> product)
        {
            double sum = 0;
            for (int i = 0; i < v.Length; i++) sum += g.Gradient[i] * v[i];
            product[0] = sum;
        }
        DerivativeCheckResult asVector = JacobianCheck.Run(F, 1, (double[])g.X.Clone(), Jvp, g.Options);
        DerivativeCheckResult asScalar = g.Check();
        Assert.True(asVector.Passed, asVector.ToString());
        Assert.Equal(asScalar.Rows.Select(r => r.Numeric), asVector.Rows.Select(r => r.Numeric));
        Assert.Equal(asScalar.CoordinateRows.Select(r => r.Analytic), asVector.CoordinateRows.Select(r => r.Analytic));
    }

    [Fact]
    public void ThePointIsRestoredAndOutputsAreValidated()
    {
        var c = VectorCase.Draw(11);
        double[] x = (double[])c.X.Clone();
        long[] before = Array.ConvertAll(x, BitConverter.DoubleToInt64Bits);
        JacobianCheck.Run(c.F, c.M, x, c.Jvp);
        Assert.Equal(before, Array.ConvertAll(x, BitConverter.DoubleToInt64Bits));
        Assert.Throws<ArgumentOutOfRangeException>(() => JacobianCheck.Run(c.F, 0, x, c.Jvp));
    }
}
