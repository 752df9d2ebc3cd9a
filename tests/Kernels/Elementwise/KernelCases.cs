using System.Runtime.InteropServices;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Kernels;

/// <summary>Generated inputs for the elementwise and BLAS-1 kernel tests, and a way to run a check at every width.</summary>
internal static class KernelCases
{
    /// <summary>
    /// Lengths around every vector width (4, 8, 16 floats; 2, 4, 8 doubles), around the four-vector unroll
    /// (16, 32, 64 elements), primes, and the trainer's 10 x 480.
    /// </summary>
    public static readonly int[] EdgeLengths =
        [0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 23, 31, 32, 33, 47, 63, 64, 65, 67, 97, 127, 128, 129, 251, 4800];

    public sealed record Case(int Length, int Seed, int Exponent)
    {
        public override string ToString() => $"n={Length} seed={Seed} scale=1e{Exponent}";
    }

    /// <summary>A length (an edge length or any up to 400), a seed for the values, and a magnitude.</summary>
    public static Arbitrary<Case> Cases { get; } = Arb.From(
        from length in Gen.OneOf(Gen.Elements(EdgeLengths), Gen.Choose(0, 400))
        from seed in Gen.Choose(0, int.MaxValue)
        from exponent in Gen.Elements(0, 0, 0, -3, 3, -20, 20)
        select new Case(length, seed, exponent));

    /// <summary>
    /// Normal values times 10^exponent, with every fifth element replaced by one of <paramref name="specials"/>
    /// (exact zeros, thresholds) so that the branches of a kernel are all hit.
    /// </summary>
    public static double[] Doubles(Case c, params double[] specials)
    {
        var values = new double[c.Length];
        new NormalSampler((ulong)c.Seed, 7).Fill(values);
        double scale = Math.Pow(10, c.Exponent);
        for (int i = 0; i < values.Length; i++)
            values[i] = specials.Length > 0 && i % 5 == 2 ? specials[i / 5 % specials.Length] : values[i] * scale;
        return values;
    }

    public static float[] Floats(Case c, params float[] specials) =>
        Array.ConvertAll(Doubles(c with { Exponent = Math.Clamp(c.Exponent, -10, 10) }, Array.ConvertAll(specials, s => (double)s)), v => (float)v);

    /// <summary>A second, independent vector of the same case.</summary>
    public static double[] OtherDoubles(Case c) => Doubles(c with { Seed = c.Seed ^ 0x5bd1e995 });

    public static float[] OtherFloats(Case c) => Floats(c with { Seed = c.Seed ^ 0x5bd1e995 });

    /// <summary>Runs <paramref name="check"/> once per width this machine has, the width forced on this thread.</summary>
    public static void AtEveryWidth(Action<VectorWidth> check)
    {
        foreach (VectorWidth width in SimdDispatch.Available)
        {
            using (SimdDispatch.Force(width)) check(width);
        }
    }

    /// <summary>
    /// Asserts bit-for-bit equality, naming the width and the first differing index. The bytes are compared, not the
    /// values: floating-point equality would take -0 for +0 and one NaN for another.
    /// </summary>
    public static void BitEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, VectorWidth width) where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!MemoryMarshal.AsBytes(expected.Slice(i, 1)).SequenceEqual(MemoryMarshal.AsBytes(actual.Slice(i, 1))))
                Assert.Fail($"{width}: element {i} of {expected.Length} is {actual[i]}, expected {expected[i]} (not the same bits)");
        }
    }
}
