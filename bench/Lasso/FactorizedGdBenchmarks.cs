using BenchmarkDotNet.Attributes;
using Engine.Experiments.ImplicitL1;
using Engine.Kernels.Factorized;
using Engine.Kernels.Random;

namespace Engine.Bench.Lasso;

/// <summary>
/// 300,000 steps of gradient descent on 1/2||A(x⊙x) - y||^2 at the homework's 20 x 40, recording every 10 steps,
/// per kernel variant. One step is 2nm = 1,600 multiply-adds (200 512-bit FMAs); at two FMA instructions per
/// cycle the 300,000 steps need at least 30 million cycles. On a shared machine read the Min column.
/// </summary>
[MemoryDiagnoser, MinColumn]
public class FactorizedGdBenchmarks
{
    private const int Steps = 300_000, Every = 10;
    private FactorizedLeastSquaresDescent _gd = null!;
    private double[] _record = null!, _x = null!;

    [Params(FactorizedLeastSquaresVariant.Gemv, FactorizedLeastSquaresVariant.Small, FactorizedLeastSquaresVariant.Gram)]
    public FactorizedLeastSquaresVariant Variant { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var problem = ImplicitL1Problem.Generate(20, 40, 10, new NormalSampler(2019));
        _gd = new FactorizedLeastSquaresDescent(problem.A, 20, 40, problem.Y);
        _record = new double[FactorizedLeastSquaresDescent.RecordRows(Steps, Every) * 40];
        _x = new double[40];
    }

    [Benchmark]
    public int ThreeHundredThousandSteps()
    {
        Array.Fill(_x, 1e-3);
        return _gd.Run(_x, 1e-3, Steps, Every, _record, Variant);
    }
}
