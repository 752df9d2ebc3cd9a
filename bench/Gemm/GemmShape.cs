using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Bench.Gemm;

/// <summary>
/// One GEMM problem for the benchmarks: a name, transposes, m x n x k, beta, and the element type. Its string
/// form is what the result tables show, so it says the product and the shape.
/// </summary>
public sealed record GemmShape(string Name, Op OpA, Op OpB, int M, int N, int K, float Beta = 0, bool IsDouble = false)
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() =>
        $"{Name} {(OpA == Op.None ? 'N' : 'T')}{(OpB == Op.None ? 'N' : 'T')} {M}x{N}x{K}{(Beta != 0 ? " b=1" : "")}{(IsDouble ? " f64" : "")}";

    /// <summary>The trainer's five products per step for r hidden units (batch 10, D = 150, 10 outputs).</summary>
    public static IEnumerable<GemmShape> Trainer(int r) =>
    [
        new($"Z=XV r{r}", Op.None, Op.None, 10, r, 150),
        new($"Yhat=HU^T r{r}", Op.None, Op.Transpose, 10, 10, r),
        new($"dU=E^TH r{r}", Op.Transpose, Op.None, 10, r, 10),
        new($"dH=EU r{r}", Op.None, Op.None, 10, r, 10),
        new($"dV=X^TdZ r{r}", Op.Transpose, Op.None, 150, r, 10, Beta: 1),
    ];

    /// <summary>Operands filled from a fixed seed, and C, allocated once per benchmark case.</summary>
    public sealed class Operands
    {
        public readonly float[] A = [], B = [], C = [];
        public readonly double[] AD = [], BD = [], CD = [];
        public readonly int Lda, Ldb, Ldc;

        public Operands(GemmShape shape)
        {
            Lda = shape.OpA == Op.None ? shape.K : shape.M;
            Ldb = shape.OpB == Op.None ? shape.N : shape.K;
            Ldc = shape.N;
            var sampler = new NormalSampler(2019);
            if (shape.IsDouble)
            {
                AD = new double[shape.M * shape.K]; BD = new double[shape.K * shape.N]; CD = new double[shape.M * shape.N];
                sampler.Fill(AD); sampler.Fill(BD); sampler.Fill(CD);
            }
            else
            {
                A = new float[shape.M * shape.K]; B = new float[shape.K * shape.N]; C = new float[shape.M * shape.N];
                sampler.Fill(A); sampler.Fill(B); sampler.Fill(C);
            }
        }
    }
}

/// <summary>
/// A way of running a product: a registered variant by name, the public dispatching entry point ("Gemm"),
/// or the packed variant pinned to one thread ("GemmPacked 1 thread", the single-thread performance bar).
/// </summary>
public static class GemmRunner
{
    public const string Dispatch = "Gemm";
    public const string PackedOneThread = "GemmPacked 1 thread";

    public static void Run(string variant, GemmShape s, GemmShape.Operands o)
    {
        // alpha = 1, as the trainer calls the accumulating products (its step size rides in E).
        const float alpha = 1f;
        if (s.IsDouble)
        {
            switch (variant)
            {
                case Dispatch:
                    Engine.Kernels.Gemm.Gemm.Multiply(s.OpA, s.OpB, s.M, s.N, s.K, alpha, o.AD, o.Lda, o.BD, o.Ldb, s.Beta, o.CD, o.Ldc);
                    break;
                case PackedOneThread:
                    GemmPacked.Run(s.OpA, s.OpB, s.M, s.N, s.K, (double)alpha, o.AD, o.Lda, o.BD, o.Ldb, s.Beta, o.CD, o.Ldc, threads: 1);
                    break;
                default:
                    GemmVariants.Get(variant).Multiply(s.OpA, s.OpB, s.M, s.N, s.K, alpha, o.AD, o.Lda, o.BD, o.Ldb, s.Beta, o.CD, o.Ldc);
                    break;
            }
            return;
        }
        switch (variant)
        {
            case Dispatch:
                Engine.Kernels.Gemm.Gemm.Multiply(s.OpA, s.OpB, s.M, s.N, s.K, alpha, o.A, o.Lda, o.B, o.Ldb, s.Beta, o.C, o.Ldc);
                break;
            case PackedOneThread:
                GemmPacked.Run(s.OpA, s.OpB, s.M, s.N, s.K, alpha, o.A, o.Lda, o.B, o.Ldb, s.Beta, o.C, o.Ldc, threads: 1);
                break;
            default:
                GemmVariants.Get(variant).Multiply(s.OpA, s.OpB, s.M, s.N, s.K, alpha, o.A, o.Lda, o.B, o.Ldb, s.Beta, o.C, o.Ldc);
                break;
        }
    }
}
