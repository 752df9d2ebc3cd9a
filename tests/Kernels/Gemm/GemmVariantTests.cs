using Engine.Kernels.Gemm;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Kernels.Gemm;

/// <summary>Every supported variant, in float and double, against the naive oracle on generated shapes.</summary>
public class GemmVariantTests
{
    public static TheoryData<string> SupportedVariants()
    {
        var data = new TheoryData<string>();
        foreach (IGemmVariant variant in GemmVariants.Supported) data.Add(variant.Name);
        return data;
    }

    private static Config Config(int tests) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(tests);

    [Theory]
    [MemberData(nameof(SupportedVariants))]
    public void FloatMatchesOracle(string name)
    {
        IGemmVariant variant = GemmVariants.Get(name);
        Check.One(Config(100), Prop.ForAll(GemmCase.Arbitrary, (GemmCase gemm) => gemm.Check<float>(variant.Multiply)));
    }

    [Theory]
    [MemberData(nameof(SupportedVariants))]
    public void DoubleMatchesOracle(string name)
    {
        IGemmVariant variant = GemmVariants.Get(name);
        Check.One(Config(100), Prop.ForAll(GemmCase.Arbitrary, (GemmCase gemm) => gemm.Check<double>(variant.Multiply)));
    }

    [Fact]
    public void PublicEntryPointMatchesOracle()
    {
        Check.One(Config(60), Prop.ForAll(GemmCase.Arbitrary, (GemmCase gemm) =>
        {
            gemm.Check<float>(Engine.Kernels.Gemm.Gemm.Multiply);
            gemm.Check<double>(Engine.Kernels.Gemm.Gemm.Multiply);
        }));
    }

    /// <summary>The trainer's products (batch 10, D = 150, 10 outputs, r hidden units), SGD-fused form included.</summary>
    public static TheoryData<string, int> TrainerShapes()
    {
        var data = new TheoryData<string, int>();
        foreach (IGemmVariant variant in GemmVariants.Supported)
            foreach (int r in new[] { 60, 120, 240, 480 })
                data.Add(variant.Name, r);
        return data;
    }

    [Theory]
    [MemberData(nameof(TrainerShapes))]
    public void TrainerShapesMatchOracle(string name, int r)
    {
        IGemmVariant variant = GemmVariants.Get(name);
        GemmCase[] cases =
        [
            new(Op.None, Op.None, 10, r, 150, 0, 0, 0, 1, 0, 1),          // Z = X V
            new(Op.None, Op.Transpose, 10, 10, r, 0, 0, 0, 1, 0, 2),      // Yhat = H U^T
            new(Op.Transpose, Op.None, 10, r, 10, 0, 0, 0, 1, 0, 3),      // dU = E^T H
            new(Op.None, Op.None, 10, r, 10, 0, 0, 0, 1, 0, 4),           // dH = E U
            new(Op.Transpose, Op.None, 150, r, 10, 0, 0, 0, 1, 0, 5),     // dV = X^T dZ
            new(Op.Transpose, Op.None, 150, r, 10, 0, 0, 0, -0.05, 1, 6), // V -= eta X^T dZ
        ];
        foreach (GemmCase gemm in cases)
        {
            gemm.Check<float>(variant.Multiply);
            gemm.Check<double>(variant.Multiply);
        }
    }
}
