using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Simd;

namespace Engine.Kernels.Lasso;

/// <summary>
/// An int8 copy of a problem's prepared X that gives every correlation <c>X_j^T r</c> to within a proven bound,
/// for an eighth of the memory traffic of the double columns.
/// </summary>
/// <remarks>
/// <para>The screening and optimality checks of the path solver need <c>|X_j^T r|</c> for every feature, but for
/// almost all of them only to know that it is safely below the penalty. A pass over the double X is bound by memory
/// bandwidth once X outgrows the caches; over this copy (one byte per entry) it is eight times lighter and, for
/// problems up to a few tens of megabytes, served from the last-level cache.</para>
/// <para>Column j is stored as <c>q_j = round(X_j / s_j)</c> with <c>s_j = max_i |X_ij| / 127</c>, and the exact norm
/// of its error <c>E_j = X_j - s_j q_j</c> is kept. The residual is rounded to float (error <c>e_r</c>, norm kept)
/// and the dot product <c>q_j^T r_f</c> runs in float, whose rounding is bounded by <c>gamma_h ||q_j|| ||r_f||</c>
/// for a summation tree of height h (Higham, Accuracy and Stability, 3.1). Since
/// <c>X_j^T r = s_j q_j^T r_f + s_j q_j^T e_r + E_j^T r</c>, Cauchy-Schwarz bounds the distance of the estimate
/// <c>s_j fl(q_j^T r_f)</c> from the truth by
/// <c>s_j (gamma_h ||q_j|| ||r_f|| + ||q_j|| ||e_r||) + ||E_j|| ||r||</c>; a margin of one percent covers the
/// rounding of those norms and products. A feature whose estimate plus that radius stays below the penalty is
/// certified without touching its double column; the others are computed exactly by the caller.</para>
/// </remarks>
internal sealed class QuantizedColumns
{
    private const double UnitRoundoff = 1.0 / (1 << 24);
    private readonly sbyte[] _codes;
    private readonly int _codesOffset;
    private readonly float[] _residual;
    private readonly int _residualOffset;
    private readonly int _samples;
    private double _residualNorm, _roundedNorm, _roundingErrorNorm;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public QuantizedColumns(LassoProblem problem)
    {
        _samples = problem.Samples;
        Features = problem.Features;
        // Columns padded with zeros to whole 64-byte lines, so the kernels run over full vectors without a tail.
        Stride = (_samples + 63) / 64 * 64;
        _codes = GC.AllocateArray<sbyte>(Stride * Features + 64, pinned: true);
        _codesOffset = AlignmentOffset(ref MemoryMarshal.GetArrayDataReference(_codes));
        _residual = GC.AllocateArray<float>(Stride + 16, pinned: true);
        _residualOffset = AlignmentOffset(ref MemoryMarshal.GetArrayDataReference(_residual));
        Scale = new double[Features];
        CodeNorm = new double[Features];
        ErrorNorm = new double[Features];
        bool wide = SimdDispatch.Current == VectorWidth.Vector512 && Avx512F.VL.IsSupported;
        for (int j = 0; j < Features; j++)
        {
            ReadOnlySpan<double> column = problem.Column(j);
            double largest = ColumnKernels.MaxAbs(column);
            if (largest == 0) continue;
            double s = largest / 127;
            ref sbyte q = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codes), _codesOffset + j * Stride);
            var (codeSquares, errorSquares) = Quantize(column, s, ref q, wide);
            Scale[j] = s;
            CodeNorm[j] = Math.Sqrt(codeSquares);
            ErrorNorm[j] = Math.Sqrt(errorSquares);
        }
    }

    // Codes of column[from..] at scale s (from a multiple of 8); returns the sum of the squared codes (integers, exact in
    // any order) and adds each squared error to errorLanes[i mod 8] with a fused multiply-add, the lanes of Quantize512.
    private static double Quantize(ReadOnlySpan<double> column, int from, double s, ref sbyte q, Span<double> errorLanes)
    {
        double codeSquares = 0;
        for (int i = from; i < column.Length; i++)
        {
            double code = Math.Clamp(Math.Round(column[i] / s), -127, 127);
            Unsafe.Add(ref q, i) = (sbyte)code;
            codeSquares += code * code;
            double e = column[i] - s * code;
            errorLanes[i & 7] = Math.FusedMultiplyAdd(e, e, errorLanes[i & 7]);
        }
        return codeSquares;
    }

    // The sums of the squared codes and errors of a column: the errors in eight lanes (element i in lane i mod 8),
    // folded by halving, so the error norm is the same bits whether the codes came from the vector loop or not.
    private static (double Codes, double Errors) Quantize(ReadOnlySpan<double> column, double s, ref sbyte q, bool wide)
    {
        Span<double> errorLanes = stackalloc double[8];
        errorLanes.Clear();
        double codeSquares = wide ? Quantize512(column, s, ref q, errorLanes) : Quantize(column, 0, s, ref q, errorLanes);
        for (int half = 4; half > 0; half /= 2)
            for (int l = 0; l < half; l++) errorLanes[l] += errorLanes[l + half];
        return (codeSquares, errorLanes[0]);
    }

    // The same eight entries at a time (round to nearest even, as Math.Round), narrowed to bytes in registers; the
    // tail goes through the scalar loop. The error norm is of the codes actually stored, so the bound holds whichever
    // way a tie rounds.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Quantize512(ReadOnlySpan<double> column, double s, ref sbyte q, Span<double> errorLanes)
    {
        var scale = Vector512.Create(s);
        var limit = Vector512.Create(127.0);
        Vector512<double> codes = Vector512<double>.Zero, errors = codes;
        ref double x = ref MemoryMarshal.GetReference(column);
        int i = 0;
        for (; i + 8 <= column.Length; i += 8)
        {
            var v = Vector512.LoadUnsafe(ref x, (nuint)i);
            var code = Vector512.Min(Vector512.Max(Vector512.Round(v / scale), -limit), limit);
            var narrow = Avx512F.VL.ConvertToVector128SByte(Avx512F.ConvertToVector256Int32(code));
            Unsafe.WriteUnaligned(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref q, i)), narrow.AsUInt64().ToScalar());
            codes = Vector512.FusedMultiplyAdd(code, code, codes);
            var e = v - scale * code;
            errors = Vector512.FusedMultiplyAdd(e, e, errors);
        }
        errors.CopyTo(errorLanes);
        return Vector512.Sum(codes) + Quantize(column, i, s, ref q, errorLanes);
    }

    /// <summary>p, the number of columns.</summary>
    public int Features { get; }

    /// <summary>Bytes between consecutive columns (n rounded up to 64).</summary>
    public int Stride { get; }

    /// <summary><c>s_j</c>: column j is about <c>s_j q_j</c> (0 for a zero column).</summary>
    public double[] Scale { get; }

    /// <summary><c>||q_j||</c>, exact.</summary>
    public double[] CodeNorm { get; }

    /// <summary><c>||X_j - s_j q_j||</c>.</summary>
    public double[] ErrorNorm { get; }

    /// <summary>
    /// The height of the float summation tree, for the rounding bound: one chain of Stride / 16 products in each of 16
    /// lanes, then the lanes folded by halving (at most 18 more roundings allowed for). Every width sums in that order
    /// (see <see cref="DotScalar"/>).
    /// </summary>
    private int SummationDepth => Stride / 16 + 16 + 2;

    /// <summary>The codes of column j (n entries).</summary>
    public ReadOnlySpan<sbyte> Codes(int j) => _codes.AsSpan(_codesOffset + j * Stride, _samples);

    /// <summary>
    /// Rounds the residual to float for the following <see cref="Correlations"/> calls; false when that would
    /// overflow or the rounding bound would be meaningless, and the caller must then compute correlations exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public bool PrepareResidual(ReadOnlySpan<double> r)
    {
        if ((_samples + 1) * UnitRoundoff > 1e-2) return false;
        Span<float> rounded = _residual.AsSpan(_residualOffset, Stride);
        rounded.Clear();
        double norm = 0, roundedNorm = 0, error = 0, largest = 0;
        for (int i = 0; i < r.Length; i++)
        {
            float f = (float)r[i];
            rounded[i] = f;
            double e = r[i] - f;
            norm += r[i] * r[i];
            roundedNorm += (double)f * f;
            error += e * e;
            largest = Math.Max(largest, Math.Abs(r[i]));
        }
        // Keeps every float product and partial sum far from overflow (codes are at most 127 in magnitude).
        if (!double.IsFinite(norm) || largest * 127.0 * Stride > 1e36) return false;
        _residualNorm = Math.Sqrt(norm);
        _roundedNorm = Math.Sqrt(roundedNorm);
        _roundingErrorNorm = Math.Sqrt(error);
        return true;
    }

    /// <summary>
    /// For every feature j in <paramref name="features"/>: <c>estimate[j]</c> approximates <c>X_j^T r</c> for the
    /// residual last given to <see cref="PrepareResidual"/>, and <c>|X_j^T r - estimate[j]| &lt;= radius[j]</c>.
    /// Calls for disjoint feature lists may run on different threads.
    /// </summary>
    public void Correlations(ReadOnlySpan<int> features, Span<double> estimate, Span<double> radius)
    {
        double h = SummationDepth;
        double gamma = h * UnitRoundoff / (1 - h * UnitRoundoff);
        Span<float> dots = stackalloc float[4];
        int t = 0;
        for (; t + 4 <= features.Length; t += 4)
        {
            Dot4(features[t], features[t + 1], features[t + 2], features[t + 3], dots);
            for (int u = 0; u < 4; u++) Finish(features[t + u], dots[u], gamma, estimate, radius);
        }
        for (; t < features.Length; t++)
        {
            int j = features[t];
            Dot4(j, j, j, j, dots);
            Finish(j, dots[0], gamma, estimate, radius);
        }
    }

    private void Finish(int j, float dot, double gamma, Span<double> estimate, Span<double> radius)
    {
        double s = Scale[j];
        double value = s * dot;
        estimate[j] = value;
        radius[j] = 1.01 * (s * CodeNorm[j] * (gamma * _roundedNorm + _roundingErrorNorm) + ErrorNorm[j] * _residualNorm)
            + 1e-15 * Math.Abs(value);
    }

    private void Dot4(int j0, int j1, int j2, int j3, Span<float> dots)
    {
        ref sbyte codes = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codes), _codesOffset);
        ref sbyte c0 = ref Unsafe.Add(ref codes, (nint)j0 * Stride);
        ref sbyte c1 = ref Unsafe.Add(ref codes, (nint)j1 * Stride);
        ref sbyte c2 = ref Unsafe.Add(ref codes, (nint)j2 * Stride);
        ref sbyte c3 = ref Unsafe.Add(ref codes, (nint)j3 * Stride);
        ref float r = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_residual), _residualOffset);
        switch (Lanes(SimdDispatch.Current))
        {
            case 16: Dot4Avx512(ref c0, ref c1, ref c2, ref c3, ref r, Stride, dots); break;
            case 8: Dot4Avx2(ref c0, ref c1, ref c2, ref c3, ref r, Stride, dots); break;
            default: Dot4Scalar(ref c0, ref c1, ref c2, ref c3, ref r, _samples, dots); break;
        }
    }

    /// <summary>Float lanes of the kernel used at a width: 16 (AVX-512), 8 (AVX2) or 1 (scalar).</summary>
    internal static int Lanes(VectorWidth width) =>
        width == VectorWidth.Vector512 && Avx512F.IsSupported ? 16
        : width >= VectorWidth.Vector256 && Avx2.IsSupported && Fma.IsSupported ? 8
        : 1;

    // One chain of 16 lanes per column, four independent chains: the conversions of the codes, not the latency of
    // the fused multiply-adds, bound the loop, and a single chain keeps the order that AVX2 can follow in registers.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dot4Avx512(ref sbyte c0, ref sbyte c1, ref sbyte c2, ref sbyte c3, ref float r, int length, Span<float> dots)
    {
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < length; i += 16)
        {
            var ri = Vector512.LoadUnsafe(ref r, (nuint)i);
            a0 = Avx512F.FusedMultiplyAdd(Widen512(ref c0, i), ri, a0);
            a1 = Avx512F.FusedMultiplyAdd(Widen512(ref c1, i), ri, a1);
            a2 = Avx512F.FusedMultiplyAdd(Widen512(ref c2, i), ri, a2);
            a3 = Avx512F.FusedMultiplyAdd(Widen512(ref c3, i), ri, a3);
        }
        dots[0] = Lanes512<float>.Sum(new(a0));
        dots[1] = Lanes512<float>.Sum(new(a1));
        dots[2] = Lanes512<float>.Sum(new(a2));
        dots[3] = Lanes512<float>.Sum(new(a3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen512(ref sbyte codes, int i) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref codes, (nuint)i)));

    // The order of Dot4Avx512 in 256-bit halves: each column's 16-lane chain is a lower and an upper vector.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dot4Avx2(ref sbyte c0, ref sbyte c1, ref sbyte c2, ref sbyte c3, ref float r, int length, Span<float> dots)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int i = 0; i < length; i += 16)
        {
            var r0 = Vector256.LoadUnsafe(ref r, (nuint)i);
            var r1 = Vector256.LoadUnsafe(ref r, (nuint)(i + 8));
            a0 = Fma.MultiplyAdd(Widen256(ref c0, i), r0, a0);
            a1 = Fma.MultiplyAdd(Widen256(ref c1, i), r0, a1);
            a2 = Fma.MultiplyAdd(Widen256(ref c2, i), r0, a2);
            a3 = Fma.MultiplyAdd(Widen256(ref c3, i), r0, a3);
            b0 = Fma.MultiplyAdd(Widen256(ref c0, i + 8), r1, b0);
            b1 = Fma.MultiplyAdd(Widen256(ref c1, i + 8), r1, b1);
            b2 = Fma.MultiplyAdd(Widen256(ref c2, i + 8), r1, b2);
            b3 = Fma.MultiplyAdd(Widen256(ref c3, i + 8), r1, b3);
        }
        dots[0] = Lanes256x2<float>.Sum(new(a0, b0));
        dots[1] = Lanes256x2<float>.Sum(new(a1, b1));
        dots[2] = Lanes256x2<float>.Sum(new(a2, b2));
        dots[3] = Lanes256x2<float>.Sum(new(a3, b3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen256(ref sbyte codes, int i) =>
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref codes, i)))).AsSByte()));

    // The reference order of every width: element i goes to lane i mod 16 of one chain, and the 16 lanes are folded
    // by halving. The padding past n holds zero codes and residuals, which add nothing, so the loop stops at n.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Dot4Scalar(ref sbyte c0, ref sbyte c1, ref sbyte c2, ref sbyte c3, ref float r, int length, Span<float> dots)
    {
        dots[0] = DotScalar(ref c0, ref r, length);
        dots[1] = DotScalar(ref c1, ref r, length);
        dots[2] = DotScalar(ref c2, ref r, length);
        dots[3] = DotScalar(ref c3, ref r, length);
    }

    private static float DotScalar(ref sbyte c, ref float r, int length)
    {
        Span<float> lanes = stackalloc float[16];
        lanes.Clear();
        for (int i = 0; i < length; i++) lanes[i & 15] = MathF.FusedMultiplyAdd(Unsafe.Add(ref c, i), Unsafe.Add(ref r, i), lanes[i & 15]);
        for (int half = 8; half > 0; half /= 2)
            for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
        return lanes[0];
    }

    // Elements to skip from the start of a pinned array to reach a 64-byte boundary.
    private static unsafe int AlignmentOffset<T>(ref T start) where T : unmanaged
    {
        long address = (long)Unsafe.AsPointer(ref start);
        return (int)((64 - address % 64) % 64 / sizeof(T));
    }
}
