using Engine.Kernels.Gemm;
using Engine.Kernels.Random;

namespace Engine.Tests.Kernels.Gemm;

/// <summary>The registry, the dispatcher's choice, the environment override, argument checks and thread determinism.</summary>
public class GemmDispatchTests
{
    [Fact]
    public void RegistryListsEveryVariantByName()
    {
        Assert.Equal(["GemmNaive", "GemmVector", "GemmSmall", "GemmPacked"], GemmVariants.All.Select(v => v.Name));
        foreach (IGemmVariant variant in GemmVariants.All)
            Assert.Same(variant, GemmVariants.Get(variant.Name.ToUpperInvariant()));
        Assert.Contains(GemmVariants.Naive, GemmVariants.Supported);
        Assert.Contains(GemmVariants.Packed, GemmVariants.Supported);
        Assert.Throws<ArgumentException>(() => GemmVariants.Get("GemmMagic"));
    }

    [Theory]
    [InlineData(10, 480, 150)]
    [InlineData(10, 10, 480)]
    [InlineData(10, 60, 10)]
    [InlineData(150, 480, 10)]
    public void SmallProductsGoUnpacked(int m, int n, int k)
    {
        IGemmVariant expected = GemmVariants.Small.IsSupported ? GemmVariants.Small : GemmVariants.Packed;
        Assert.Same(expected, GemmVariants.Choose(m, n, k));
    }

    [Theory]
    [InlineData(1024, 1024, 1024)]
    [InlineData(257, 257, 257)]
    public void LargeProductsGoPacked(int m, int n, int k) => Assert.Same(GemmVariants.Packed, GemmVariants.Choose(m, n, k));

    [Fact]
    public void SelectHonoursTheOverride()
    {
        IGemmVariant? forced = GemmVariants.Forced;
        Assert.Same(forced ?? GemmVariants.Choose(1024, 1024, 1024), GemmVariants.Select(1024, 1024, 1024));
    }

    [Fact]
    public void OverrideParsesNamesAndRejectsUnknownOnes()
    {
        Assert.Null(GemmVariants.ParseOverride(null));
        Assert.Null(GemmVariants.ParseOverride(" "));
        Assert.Same(GemmVariants.Vector, GemmVariants.ParseOverride("GemmVector"));
        Assert.Same(GemmVariants.Naive, GemmVariants.ParseOverride(" gemmnaive "));
        var error = Assert.Throws<InvalidOperationException>(() => GemmVariants.ParseOverride("GemmFast"));
        Assert.Contains(GemmVariants.OverrideVariable, error.Message);
        Assert.DoesNotContain("Parameter", error.Message);
    }

    public static TheoryData<string> AllVariants()
    {
        var data = new TheoryData<string>();
        foreach (IGemmVariant variant in GemmVariants.Supported) data.Add(variant.Name);
        data.Add("Gemm");
        return data;
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void BadArgumentsThrowBeforeTouchingMemory(string name)
    {
        GemmMultiply<float> multiply = name == "Gemm" ? Engine.Kernels.Gemm.Gemm.Multiply : GemmVariants.Get(name).Multiply;
        float[] a = new float[6], b = new float[6], c = new float[4];
        // 2x3 times 3x2: valid with tight strides.
        multiply(Op.None, Op.None, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2);
        var lda = Assert.Throws<ArgumentException>(() => multiply(Op.None, Op.None, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2));   // lda < k
        Assert.Equal("GEMM: leading dimension of A (2) is smaller than its column count (3).", lda.Message);
        Assert.Throws<ArgumentException>(() => multiply(Op.None, Op.None, 2, 2, 3, 1, a, 3, b, 1, 0, c, 2));   // ldb < n
        Assert.Throws<ArgumentException>(() => multiply(Op.None, Op.None, 2, 2, 3, 1, a, 3, b, 2, 0, c, 1));   // ldc < n
        Assert.Throws<ArgumentException>(() => multiply(Op.None, Op.None, 2, 2, 3, 1, a.AsSpan(0, 5), 3, b, 2, 0, c, 2));
        Assert.Throws<ArgumentException>(() => multiply(Op.None, Op.Transpose, 2, 2, 3, 1, a, 3, b.AsSpan(0, 5), 3, 0, c, 2));
        var shortC = Assert.Throws<ArgumentException>(() => multiply(Op.None, Op.None, 2, 2, 3, 1, a, 3, b, 2, 0, c.AsSpan(0, 3), 2));
        Assert.Equal("GEMM: C needs 4 elements for 2 x 2 with stride 2, got 3.", shortC.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => multiply(Op.None, Op.None, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2));
    }

    [Theory]
    [InlineData(Op.None, Op.None, 300, 517, 300)]
    [InlineData(Op.Transpose, Op.Transpose, 131, 1000, 263)]
    public void TwoThreadsGiveTheSameBitsAsOne(Op opA, Op opB, int m, int n, int k)
    {
        var sampler = new NormalSampler(7);
        float[] a = new float[m * k], b = new float[k * n], c0 = new float[m * n];
        sampler.Fill(a);
        sampler.Fill(b);
        sampler.Fill(c0);
        int lda = opA == Op.None ? k : m, ldb = opB == Op.None ? n : k;
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        GemmPacked.Run(opA, opB, m, n, k, 0.75f, a, lda, b, ldb, -0.5f, one, n, threads: 1);
        GemmPacked.Run(opA, opB, m, n, k, 0.75f, a, lda, b, ldb, -0.5f, two, n, threads: 2);
        Assert.Equal(one, two);

        double[] ad = a.Select(x => (double)x).ToArray(), bd = b.Select(x => (double)x).ToArray();
        double[] oneD = new double[m * n], twoD = new double[m * n];
        GemmPacked.Run(opA, opB, m, n, k, 1.0, ad, lda, bd, ldb, 0.0, oneD, n, threads: 1);
        GemmPacked.Run(opA, opB, m, n, k, 1.0, ad, lda, bd, ldb, 0.0, twoD, n, threads: 2);
        Assert.Equal(oneD, twoD);
    }
}
