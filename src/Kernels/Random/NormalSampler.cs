using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Random;

/// <summary>
/// A seeded, splittable source of standard-normal (and uniform) numbers that fills spans fast.
/// </summary>
/// <remarks>
/// <para>The generator is counter based: word number c of a stream is a SplitMix64 finalizer applied to
/// <c>key + c * golden</c>, where the key is derived from (seed, stream). Because words are a pure function of
/// their index, blocks are generated in SIMD lanes with no sequential state, and a child stream made by
/// <see cref="Split"/> is independent of how many threads later consume it.</para>
/// <para>Normals come from the Box-Muller transform over blocks: single precision fills consume 16 words per
/// block of 32 normals (24-bit uniforms), double precision fills consume 16 words per block of 16 normals
/// (53-bit uniforms). A fill of 10 followed by a fill of 20 gives the same 30 numbers as one fill of 30.</para>
/// <para>Every lane of a block is computed alone (<see cref="ILaneWise{TSelf, T}"/>), and the logarithm, sine and cosine
/// are the engine's own (<see cref="BoxMuller"/>), built from IEEE operations that round the same everywhere, so the
/// numbers are bit for bit the same at every width <see cref="SimdDispatch"/> may pick (512, 256, 128 bits or scalar)
/// and on every CPU, in single and double precision.</para>
/// </remarks>
public sealed class NormalSampler
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const int FloatBlock = 32;
    private const int DoubleBlock = 16;
    private const int WordsPerBlock = 16;

    private readonly ulong _key;
    private ulong _counter;

    private readonly float[] _floatCache = new float[FloatBlock];
    private int _floatCached; // unread values at the end of _floatCache
    private readonly double[] _doubleCache = new double[DoubleBlock];
    private int _doubleCached;

    /// <summary>Creates stream <paramref name="stream"/> of the generator seeded by <paramref name="seed"/>.</summary>
    public NormalSampler(ulong seed, ulong stream = 0)
    {
        _key = Mix(Mix(seed ^ 0x6A09E667F3BCC909UL) + Mix(stream + 0xBB67AE8584CAA73BUL));
        Seed = seed;
        Stream = stream;
    }

    private NormalSampler(ulong key, ulong seed, ulong stream)
    {
        _key = key;
        Seed = seed;
        Stream = stream;
    }

    /// <summary>The seed this stream descends from.</summary>
    public ulong Seed { get; }

    /// <summary>The stream index given at construction (children made by <see cref="Split"/> report their own index).</summary>
    public ulong Stream { get; }

    /// <summary>
    /// A child stream, independent of this one and of its other children, that depends only on this stream's key
    /// and <paramref name="index"/> (not on how much of this stream has been consumed).
    /// </summary>
    public NormalSampler Split(ulong index) => new(Mix(_key ^ Mix(index * Golden + 0x3C6EF372FE94F82BUL)), Seed, index);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => Mix(_key + _counter++ * Golden);

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), "NextInt needs a positive bound.");
        // Lemire's multiply-shift with rejection of the biased low range.
        ulong bound = (ulong)exclusiveMax;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 product = (UInt128)r * bound;
            if ((ulong)product >= threshold) return (int)(product >> 64);
        }
    }

    /// <summary>A standard-normal double (draws from the double stream, see <see cref="Fill(Span{double})"/>).</summary>
    public double NextNormal()
    {
        Span<double> one = stackalloc double[1];
        Fill(one);
        return one[0];
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(mean, std^2) single-precision values.</summary>
    public void Fill(Span<float> destination, float mean, float std)
    {
        Fill(destination);
        if (mean == 0 && std == 1) return;
        for (int i = 0; i < destination.Length; i++) destination[i] = mean + std * destination[i];
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(mean, std^2) double-precision values.</summary>
    public void Fill(Span<double> destination, double mean, double std)
    {
        Fill(destination);
        if (mean == 0 && std == 1) return;
        for (int i = 0; i < destination.Length; i++) destination[i] = mean + std * destination[i];
    }

    /// <summary>Fills <paramref name="destination"/> with independent standard-normal single-precision values.</summary>
    public void Fill(Span<float> destination)
    {
        int written = TakeCached(_floatCache, ref _floatCached, destination);
        destination = destination[written..];
        VectorWidth width = SimdDispatch.Current;
        int whole = destination.Length - destination.Length % FloatBlock;
        FloatBlocks(_counter, destination[..whole], width);
        _counter += (ulong)(whole / FloatBlock) * WordsPerBlock;
        destination = destination[whole..];
        if (destination.Length > 0)
        {
            FloatBlocks(_counter, _floatCache, width);
            _counter += WordsPerBlock;
            _floatCached = FloatBlock;
            TakeCached(_floatCache, ref _floatCached, destination);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with independent standard-normal double-precision values.</summary>
    public void Fill(Span<double> destination)
    {
        int written = TakeCached(_doubleCache, ref _doubleCached, destination);
        destination = destination[written..];
        VectorWidth width = SimdDispatch.Current;
        int whole = destination.Length - destination.Length % DoubleBlock;
        DoubleBlocks(_counter, destination[..whole], width);
        _counter += (ulong)(whole / DoubleBlock) * WordsPerBlock;
        destination = destination[whole..];
        if (destination.Length > 0)
        {
            DoubleBlocks(_counter, _doubleCache, width);
            _counter += WordsPerBlock;
            _doubleCached = DoubleBlock;
            TakeCached(_doubleCache, ref _doubleCached, destination);
        }
    }

    private static int TakeCached<T>(T[] cache, ref int cached, Span<T> destination)
    {
        int n = Math.Min(cached, destination.Length);
        cache.AsSpan(cache.Length - cached, n).CopyTo(destination);
        cached -= n;
        return n;
    }

    /// <summary>The SplitMix64 finalizer: a bijective avalanche mix of 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // Words of a block: word w (0..7) of the lanes is Mix(key + (counter + first + w) * golden).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TU64 Words<TU64>(ulong counter, int first) where TU64 : struct, ILaneWise<TU64, ulong>
    {
        TU64 z = TU64.Create(_key) + (TU64.Create(counter + (ulong)first) + TU64.Indices) * TU64.Create(Golden);
        z = (z ^ TU64.ShiftRightLogical(z, 30)) * TU64.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ TU64.ShiftRightLogical(z, 27)) * TU64.Create(0x94D049BB133111EBUL);
        return z ^ TU64.ShiftRightLogical(z, 31);
    }

    // The block loops are compiled fully optimized on first call: at tier 0 the lane operations are calls, not
    // instructions, and a fill runs hundreds of times slower (the numbers are the same).

    /// <summary>
    /// Single-precision blocks of 32 normals. For j in 0..15, u1[j] and u2[j] are the j-th 32-bit halves (low half
    /// first) of words 0..7 and 8..15; the outputs are r cos(theta) at j and r sin(theta) at 16 + j. Every lane is
    /// computed alone, so a block is computed in parts of one register each (16 / Count of them): part q takes words
    /// q Count/2 on, and writes lanes q Count on of both halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void FloatBlocks<TU64, TU32, TI32, TF32>(ulong counter, Span<float> blocks)
        where TU64 : struct, ILaneWise<TU64, ulong>
        where TU32 : struct, ILaneWise<TU32, uint>
        where TI32 : struct, ILaneWise<TI32, int>
        where TF32 : struct, ILaneWise<TF32, float>
    {
        ref float d = ref MemoryMarshal.GetReference(blocks);
        int lanes = TF32.Count, parts = 16 / lanes;
        for (nuint b = 0; b < (nuint)blocks.Length; b += FloatBlock, counter += WordsPerBlock)
            for (int q = 0; q < parts; q++)
            {
                TU32 bits1 = TU64.BitCast<TU32, uint>(Words<TU64>(counter, q * TU64.Count));
                TU32 bits2 = TU64.BitCast<TU32, uint>(Words<TU64>(counter, 8 + q * TU64.Count));
                (TF32 c, TF32 s) = BoxMuller.Single<TU32, TI32, TF32>(bits1, bits2);
                TF32.Store(c, ref d, b + (nuint)(q * lanes));
                TF32.Store(s, ref d, b + 16 + (nuint)(q * lanes));
            }
    }

    /// <summary>
    /// Double-precision blocks of 16 normals. For j in 0..7, u1[j] and u2[j] come from words j and 8 + j; the
    /// outputs are r cos(theta) at j and r sin(theta) at 8 + j. In parts of one register, as the single-precision blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void DoubleBlocks<TU64, TI64, TF64>(ulong counter, Span<double> blocks)
        where TU64 : struct, ILaneWise<TU64, ulong>
        where TI64 : struct, ILaneWise<TI64, long>
        where TF64 : struct, ILaneWise<TF64, double>
    {
        ref double d = ref MemoryMarshal.GetReference(blocks);
        int lanes = TF64.Count, parts = 8 / lanes;
        for (nuint b = 0; b < (nuint)blocks.Length; b += DoubleBlock, counter += WordsPerBlock)
            for (int q = 0; q < parts; q++)
            {
                (TF64 c, TF64 s) = BoxMuller.Double<TU64, TI64, TF64>(Words<TU64>(counter, q * lanes), Words<TU64>(counter, 8 + q * lanes));
                TF64.Store(c, ref d, b + (nuint)(q * lanes));
                TF64.Store(s, ref d, b + 8 + (nuint)(q * lanes));
            }
    }

    private void FloatBlocks(ulong counter, Span<float> blocks, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.Vector512: FloatBlocks<Lanes512<ulong>, Lanes512<uint>, Lanes512<int>, Lanes512<float>>(counter, blocks); break;
            case VectorWidth.Vector256: FloatBlocks<Lanes256<ulong>, Lanes256<uint>, Lanes256<int>, Lanes256<float>>(counter, blocks); break;
            case VectorWidth.Vector128: FloatBlocks<Lanes128<ulong>, Lanes128<uint>, Lanes128<int>, Lanes128<float>>(counter, blocks); break;
            default: FloatBlocks<LanesScalar<ulong>, LanesScalar<uint>, LanesScalar<int>, LanesScalar<float>>(counter, blocks); break;
        }
    }

    private void DoubleBlocks(ulong counter, Span<double> blocks, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.Vector512: DoubleBlocks<Lanes512<ulong>, Lanes512<long>, Lanes512<double>>(counter, blocks); break;
            case VectorWidth.Vector256: DoubleBlocks<Lanes256<ulong>, Lanes256<long>, Lanes256<double>>(counter, blocks); break;
            case VectorWidth.Vector128: DoubleBlocks<Lanes128<ulong>, Lanes128<long>, Lanes128<double>>(counter, blocks); break;
            default: DoubleBlocks<LanesScalar<ulong>, LanesScalar<long>, LanesScalar<double>>(counter, blocks); break;
        }
    }
}
