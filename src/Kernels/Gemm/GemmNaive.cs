namespace Engine.Kernels.Gemm;

/// <summary>
/// The reference GEMM: a plain triple loop with one accumulator per output, in the precision of the data.
/// It is the test oracle for every faster variant, so it stays as simple as the definition.
/// </summary>
public static class GemmNaive
{
    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = opA == Op.None ? a[i * lda + p] : a[p * lda + i];
                    float bpj = opB == Op.None ? b[p * ldb + j] : b[j * ldb + p];
                    sum += aip * bpj;
                }
                ref float cij = ref c[i * ldc + j];
                // beta == 0 must not read C: it may hold NaN.
                cij = beta == 0 ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }

    public static void Multiply(Op opA, Op opB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = opA == Op.None ? a[i * lda + p] : a[p * lda + i];
                    double bpj = opB == Op.None ? b[p * ldb + j] : b[j * ldb + p];
                    sum += aip * bpj;
                }
                ref double cij = ref c[i * ldc + j];
                cij = beta == 0 ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
