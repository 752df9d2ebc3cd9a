using System.Diagnostics;
using System.Text;
using Engine.Kernels.Blas;
using Engine.Kernels.Elementwise;
using Engine.Kernels.Random;
using Engine.Kernels.Simd;

namespace Engine.Experiments.SelfCheck;

/// <summary>
/// The self-check lines of the elementwise, BLAS-1 and sampler kernels: for each, the dispatched variant, the largest
/// difference from the same kernel forced onto its scalar reference path, and its speed on the trainer's 10 x 480.
/// </summary>
public static class ElementwiseSelfCheck
{
    /// <summary>The length checked and timed: the trainer's hidden layer, 10 samples of 480 units.</summary>
    public const int Length = 10 * 480;

    private const double TimePerKernelMilliseconds = 25;

    public static bool Append(StringBuilder text)
    {
        VectorWidth width = SimdDispatch.Current;
        string cap = Environment.GetEnvironmentVariable(SimdDispatch.EnvironmentVariable) is { Length: > 0 } value ? $"{SimdDispatch.EnvironmentVariable}={value}" : $"{SimdDispatch.EnvironmentVariable} unset";
        if (SimdDispatch.IgnoredEnvironmentValue is not null) cap += " (not 512, 256, 128 or 0: ignored)";
        text.AppendLine($"elementwise, BLAS-1 and sampler kernels: variant {SimdDispatch.VariantName(width)} (hardware {SimdDispatch.VariantName(SimdDispatch.Hardware)}, {cap}); n = {Length}, diff = max |dispatched - scalar path|");

        var sampler = new NormalSampler(2);
        double[] x = new double[Length], y = new double[Length], d = new double[Length], reference = new double[Length];
        float[] xf = new float[Length], yf = new float[Length], df = new float[Length], referenceF = new float[Length];
        sampler.Fill(x);
        sampler.Fill(y);
        sampler.Fill(xf);
        sampler.Fill(yf);

        bool ok = true;
        ok &= Elementwise(text, "relu forward", "float", 2, xf, referenceF, df, () => Relu.Forward(xf, df));
        ok &= Elementwise(text, "relu backward", "float", 3, xf, referenceF, df, () => Relu.Backward(xf, yf, df));
        ok &= Elementwise(text, "relu forward", "double", 2, x, reference, d, () => Relu.Forward(x, d));
        ok &= Elementwise(text, "soft-threshold", "double", 2, x, reference, d, () => SoftThreshold.Apply(x, 0.5, d));
        ok &= Elementwise(text, "soft-threshold >= 0", "double", 2, x, reference, d, () => SoftThreshold.ApplyNonnegative(x, 0.5, d));
        ok &= Elementwise(text, "axpy", "double", 3, x, reference, d, () => { y.CopyTo(d); Blas1.Axpy(0.75, x, d); });
        ok &= Elementwise(text, "scal", "double", 2, x, reference, d, () => { x.CopyTo(d); Blas1.Scal(0.75, d); });
        ok &= Reduction(text, "dot", "double", 2, 1e-13, () => Blas1.Dot(x, y), () => Math.Sqrt(Blas1.SumOfSquares(x) * Blas1.SumOfSquares(y)));
        ok &= Reduction(text, "dot", "float", 2, 1e-5, () => Blas1.Dot(xf, yf), () => Math.Sqrt(Blas1.SumOfSquares(xf) * Blas1.SumOfSquares(yf)));
        ok &= Reduction(text, "sum of squares", "double", 1, 1e-13, () => Blas1.SumOfSquares(x), () => Blas1.SumOfSquares(x));
        ok &= Reduction(text, "nrm2", "double", 1, 1e-13, () => Blas1.Nrm2(x), () => Blas1.Nrm2(x));
        ok &= Reduction(text, "nrm2", "float", 1, 1e-5, () => Blas1.Nrm2(xf), () => Blas1.Nrm2(xf));
        ok &= Reduction(text, "max-abs", "double", 1, 0, () => Blas1.MaxAbs(x), () => Blas1.MaxAbs(x));
        ok &= Sampler(text, "float", 0, d.Length, () => sampler.Fill(df), seed => { new NormalSampler(seed).Fill(df); return Array.ConvertAll(df, v => (double)v); });
        ok &= Sampler(text, "double", 2, d.Length, () => sampler.Fill(d), seed => { new NormalSampler(seed).Fill(d); return (double[])d.Clone(); });
        return ok;
    }

    /// <summary>An elementwise kernel must give the scalar path's bits exactly.</summary>
    private static bool Elementwise<T>(StringBuilder text, string name, string precision, int arraysTouched, T[] input, T[] reference, T[] output, Action run)
        where T : struct, IConvertible
    {
        using (SimdDispatch.Force(VectorWidth.Scalar)) run();
        output.CopyTo(reference, 0);
        run();
        double diff = 0;
        for (int i = 0; i < output.Length; i++) diff = Math.Max(diff, Math.Abs(output[i].ToDouble(null) - reference[i].ToDouble(null)));
        bool same = output.AsSpan().SequenceEqual(reference);
        double bytes = (double)arraysTouched * input.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        text.AppendLine(Line(name, precision, diff, same, $"{bytes / SecondsPerCall(run) / 1e9,6:F1} GB/s"));
        return same;
    }

    /// <summary>A reduction may differ from the scalar path by rounding, at most <paramref name="relativeTolerance"/> of <paramref name="magnitude"/>.</summary>
    private static bool Reduction(StringBuilder text, string name, string precision, int arraysRead, double relativeTolerance, Func<double> run, Func<double> magnitude)
    {
        double scalar;
        using (SimdDispatch.Force(VectorWidth.Scalar)) scalar = run();
        double dispatched = run();
        double diff = Math.Abs(dispatched - scalar);
        bool ok = double.IsFinite(dispatched) && diff <= relativeTolerance * magnitude();
        double bytes = (double)arraysRead * Length * (precision == "float" ? 4 : 8);
        text.AppendLine(Line(name, precision, diff, ok, $"{bytes / SecondsPerCall(() => run()) / 1e9,6:F1} GB/s"));
        return ok;
    }

    /// <summary>
    /// The sampler must give the scalar path's numbers, to within <paramref name="ulps"/> units in the last place (doubles
    /// may differ in the last bits between widths, see NormalSampler); its speed is in normals per second.
    /// </summary>
    private static bool Sampler(StringBuilder text, string precision, int ulps, int count, Action fill, Func<ulong, double[]> sample)
    {
        double[] scalar;
        using (SimdDispatch.Force(VectorWidth.Scalar)) scalar = sample(3);
        double[] dispatched = sample(3);
        double diff = 0;
        bool finite = true;
        for (int i = 0; i < scalar.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(dispatched[i] - scalar[i]));
            finite &= double.IsFinite(dispatched[i]);
        }
        bool ok = finite;
        for (int i = 0; i < scalar.Length; i++)
        {
            double ulp = Math.BitIncrement(Math.Abs(scalar[i])) - Math.Abs(scalar[i]);
            ok &= Math.Abs(dispatched[i] - scalar[i]) <= ulps * ulp;
        }
        text.AppendLine(Line("normal sampler", precision, diff, ok, $"{count / SecondsPerCall(fill) / 1e6,6:F0} M normals/s"));
        return ok;
    }

    private static string Line(string name, string precision, double diff, bool ok, string speed) =>
        $"  {name,-20} {precision,-6} {SimdDispatch.VariantName(SimdDispatch.Current),-9}  diff {diff,8:0.0e+0}  {(ok ? "ok   " : "WRONG")}  {speed}";

    private static double SecondsPerCall(Action run)
    {
        run();
        var clock = Stopwatch.StartNew();
        long calls = 0;
        do
        {
            for (int i = 0; i < 16; i++) run();
            calls += 16;
        } while (clock.Elapsed.TotalMilliseconds < TimePerKernelMilliseconds);
        return clock.Elapsed.TotalSeconds / calls;
    }
}
