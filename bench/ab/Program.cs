extern alias baseline;
// Before/after kernel timings in one process (see run.sh): arguments are a name filter and the number of rounds.
using System.Diagnostics;
using B = baseline::Engine.Kernels;
using N = Engine.Kernels;

var cases = new List<(string Name, Action Old, Action New)>();
string filter = args.Length > 0 ? args[0] : "";
int rounds = args.Length > 1 ? int.Parse(args[1]) : 15;

var rnd = new N.Random.NormalSampler(5);
double[] D(int n) { var a = new double[n]; rnd.Fill(a); return a; }
float[] F(int n) { var a = new float[n]; rnd.Fill(a); return a; }

foreach (int n in new[] { 40, 1000, 4800, 100_000 })
{
    double[] x = D(n), y = D(n); float[] xf = F(n), yf = F(n);
    cases.Add(($"Dot double n={n}", () => B.Blas.Blas1.Dot(x, y), () => N.Blas.Blas1.Dot(x, y)));
    cases.Add(($"Dot float n={n}", () => B.Blas.Blas1.Dot(xf, yf), () => N.Blas.Blas1.Dot(xf, yf)));
    cases.Add(($"Nrm2 double n={n}", () => B.Blas.Blas1.Nrm2(x), () => N.Blas.Blas1.Nrm2(x)));
    cases.Add(($"MaxAbs double n={n}", () => B.Blas.Blas1.MaxAbs(x), () => N.Blas.Blas1.MaxAbs(x)));
    cases.Add(($"Axpy double n={n}", () => B.Blas.Blas1.Axpy(1e-9, x, y), () => N.Blas.Blas1.Axpy(1e-9, x, y)));
    cases.Add(($"Scal double n={n}", () => B.Blas.Blas1.Scal(-1.0, x), () => N.Blas.Blas1.Scal(-1.0, x)));
    cases.Add(($"Relu float n={n}", () => B.Elementwise.Relu.Forward(xf, yf), () => N.Elementwise.Relu.Forward(xf, yf)));
    cases.Add(($"SoftThreshold double n={n}", () => B.Elementwise.SoftThreshold.Apply(x, 0.5, y), () => N.Elementwise.SoftThreshold.Apply(x, 0.5, y)));
}
foreach (int n in new[] { 1500, 4800, 1_000_000 })
{
    double[] d = new double[n]; float[] f = new float[n];
    var sb = new B.Random.NormalSampler(3); var sn = new N.Random.NormalSampler(3);
    cases.Add(($"Normal double n={n}", () => sb.Fill(d), () => sn.Fill(d)));
    cases.Add(($"Normal float n={n}", () => sb.Fill(f), () => sn.Fill(f)));
    foreach (var w in new[] { 256, 128 })
    {
        cases.Add(($"Normal float n={n} at {w}", () => { using (B.Simd.SimdDispatch.Force((B.Simd.VectorWidth)w)) sb.Fill(f); }, () => { using (N.Simd.SimdDispatch.Force((N.Simd.VectorWidth)w)) sn.Fill(f); }));
        cases.Add(($"Normal double n={n} at {w}", () => { using (B.Simd.SimdDispatch.Force((B.Simd.VectorWidth)w)) sb.Fill(d); }, () => { using (N.Simd.SimdDispatch.Force((N.Simd.VectorWidth)w)) sn.Fill(d); }));
    }
}
foreach (var (m, n) in new[] { (20, 40), (100, 300), (1000, 1000) })
{
    double[] a = D(m * n), x = D(n), yv = D(m), xt = D(m), yt = D(n);
    cases.Add(($"Gemv N {m}x{n}", () => B.Blas.Gemv.Multiply(B.Gemm.Op.None, m, n, 1, a, n, x, 0, yv), () => N.Blas.Gemv.Multiply(N.Gemm.Op.None, m, n, 1, a, n, x, 0, yv)));
    cases.Add(($"Gemv T {m}x{n}", () => B.Blas.Gemv.Multiply(B.Gemm.Op.Transpose, m, n, 1, a, n, xt, 0, yt), () => N.Blas.Gemv.Multiply(N.Gemm.Op.Transpose, m, n, 1, a, n, xt, 0, yt)));
}
// The trainer's products at r = 60, 120 and 480 (m = 10, D = 150, n = 10) and the planted labels. Operands are never
// written; every product writes its own output, and the two that accumulate (beta = 1) add a tiny multiple to a
// buffer of random values, so repeated calls neither change the inputs nor drift towards overflow or subnormals.
foreach (int r in new[] { 60, 120, 480 })
{
    int m = 10, d = 150, nOut = 10;
    float[] X = F(m * d), V = F(d * r), U = F(nOut * r), H = F(m * r), E = F(m * nOut), dH = F(m * r);
    float[] Z = new float[m * r], Yhat = new float[m * nOut], dHout = new float[m * r], Uacc = F(nOut * r), Vacc = F(d * r);
    foreach (var (name, oa, ob, mm, nn, kk, A, lda, Bm, ldb, beta, C, ldc) in new (string, int, int, int, int, int, float[], int, float[], int, float, float[], int)[]
    {
        ("Z = X V", 0, 0, m, r, d, X, d, V, r, 0f, Z, r),
        ("Yhat = H U^T", 0, 1, m, nOut, r, H, r, U, r, 0f, Yhat, nOut),
        ("dH = E U", 0, 0, m, r, nOut, E, nOut, U, r, 0f, dHout, r),
        ("U += E^T H", 1, 0, nOut, r, m, E, nOut, H, r, 1f, Uacc, r),
        ("V += X^T dZ", 1, 0, d, r, m, X, d, dH, r, 1f, Vacc, r),
    })
    {
        var bA = (B.Gemm.Op)oa; var bB = (B.Gemm.Op)ob; var nA = (N.Gemm.Op)oa; var nB = (N.Gemm.Op)ob;
        // alpha = 1, as the trainer calls them (its step size rides in E).
        const float alpha = 1f;
        cases.Add(($"Gemm {name} r={r}", () => B.Gemm.Gemm.Multiply(bA, bB, mm, nn, kk, alpha, A, lda, Bm, ldb, beta, C, ldc),
            () => N.Gemm.Gemm.Multiply(nA, nB, mm, nn, kk, alpha, A, lda, Bm, ldb, beta, C, ldc)));
    }
}
{
    // The fixed cost of a call: a 1 x 1 x 1 product in both forms of the small kernels.
    float[] one = F(1), two = F(1), out1 = new float[1];
    cases.Add(("Gemm 1x1x1 NN", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.None, 1, 1, 1, 1f, one, 1, two, 1, 0f, out1, 1),
        () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.None, 1, 1, 1, 1f, one, 1, two, 1, 0f, out1, 1)));
    cases.Add(("Gemm 1x1x1 NT", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.Transpose, 1, 1, 1, 1f, one, 1, two, 1, 0f, out1, 1),
        () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.Transpose, 1, 1, 1, 1f, one, 1, two, 1, 0f, out1, 1)));
    float[] Hh = F(10 * 60), U0 = F(10 * 60), Y = new float[100];
    cases.Add(("Gemm labels relu(X V0) U0^T 10x10x60", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.Transpose, 10, 10, 60, 1f, Hh, 60, U0, 60, 0f, Y, 10),
        () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.Transpose, 10, 10, 60, 1f, Hh, 60, U0, 60, 0f, Y, 10)));
}
// The shapes of the side-by-side table against OpenBLAS (bench/peers/side_by_side.py), alpha = 1 and beta = 0.
foreach (var (name, oa, ob, mm, nn, kk) in new[] { ("NN 10x480x150", 0, 0, 10, 480, 150), ("NT 10x150x480", 0, 1, 10, 150, 480), ("TN 150x480x10", 1, 0, 150, 480, 10), ("TN 480x150x10", 1, 0, 480, 150, 10) })
{
    float[] A = F(mm * kk), Bm = F(kk * nn), C = new float[mm * nn];
    int lda = oa == 0 ? kk : mm, ldb = ob == 0 ? nn : kk;
    var bA = (B.Gemm.Op)oa; var bB = (B.Gemm.Op)ob; var nA = (N.Gemm.Op)oa; var nB = (N.Gemm.Op)ob;
    cases.Add(($"SGEMM {name}", () => B.Gemm.Gemm.Multiply(bA, bB, mm, nn, kk, 1f, A, lda, Bm, ldb, 0f, C, nn),
        () => N.Gemm.Gemm.Multiply(nA, nB, mm, nn, kk, 1f, A, lda, Bm, ldb, 0f, C, nn)));
}
foreach (int s in new[] { 256, 1024 })
{
    float[] a = F(s * s), b = F(s * s), c = new float[s * s];
    double[] ad = D(s * s), bd = D(s * s), cd = new double[s * s];
    cases.Add(($"SGEMM {s}^3", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.None, s, s, s, 1f, a, s, b, s, 0f, c, s), () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.None, s, s, s, 1f, a, s, b, s, 0f, c, s)));
    cases.Add(($"DGEMM {s}^3", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.None, s, s, s, 1.0, ad, s, bd, s, 0.0, cd, s), () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.None, s, s, s, 1.0, ad, s, bd, s, 0.0, cd, s)));
}
{
    int d = 30; double[] u = D(d * d), x = new double[d * d];
    cases.Add(("DGEMM U U^T 30", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.Transpose, d, d, d, 1.0, u, d, u, d, 0.0, x, d), () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.Transpose, d, d, d, 1.0, u, d, u, d, 0.0, x, d)));
    cases.Add(("DGEMM S U 30", () => B.Gemm.Gemm.Multiply(B.Gemm.Op.None, B.Gemm.Op.None, d, d, d, 1.0, u, d, u, d, 0.0, x, d), () => N.Gemm.Gemm.Multiply(N.Gemm.Op.None, N.Gemm.Op.None, d, d, d, 1.0, u, d, u, d, 0.0, x, d)));
}
{
    int rows = 20, cols = 40; double[] a = D(rows * cols), y = D(rows);
    var gb = new B.Factorized.FactorizedLeastSquaresDescent(a, rows, cols, y);
    var gn = new N.Factorized.FactorizedLeastSquaresDescent(a, rows, cols, y);
    double[] x = new double[cols], rec = new double[2 * cols * 2];
    cases.Add(("Factorized GD 20x40, 1000 steps (fastest)", () => { Array.Fill(x, 1e-3); gb.Run(x, 1e-3, 1000, 1000, rec); }, () => { Array.Fill(x, 1e-3); gn.Run(x, 1e-3, 1000, 1000, rec); }));
}
cases = cases.Where(c => c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();

// Thread CPU time: the machine is shared, and time spent descheduled must not count.
static double Time(Action a, int reps)
{
    long t0 = Cpu.Now();
    for (int i = 0; i < reps; i++) a();
    return (double)(Cpu.Now() - t0) / reps;
}
// Warm both up until the tiered JIT has installed its optimized code. Call counting starts only once no method has
// been compiled for 100 ms, ten times that (1 s) when the process may use a single core (taskset -c 0), and the
// background compiler then needs the core too: so every case runs for about 30 ms, then the thread sleeps 1.5 s
// (thread CPU time does not advance), three times over. Without this a case may be timed partly in unoptimized code:
// 1.5x on the fixed cost of a small product, up to 40x where a kernel's inner tile had not been inlined.
for (int pass = 0; pass < 3; pass++)
{
    for (int c = 0; c < cases.Count; c++)
    {
        long until = Cpu.Now() + 30_000_000;
        while (Cpu.Now() < until) { cases[c].Old(); cases[c].New(); }
    }
    Thread.Sleep(1500);
}
var reps = new int[cases.Count];
for (int c = 0; c < cases.Count; c++)
{
    double t = Math.Max(Time(cases[c].Old, 3), 1);
    reps[c] = Math.Max(1, (int)(4e6 / t));
}
var old = new List<double>[cases.Count]; var nw = new List<double>[cases.Count]; var ratio = new List<double>[cases.Count];
for (int c = 0; c < cases.Count; c++) { old[c] = new(); nw[c] = new(); ratio[c] = new(); }
for (int r = 0; r < rounds; r++)
    for (int c = 0; c < cases.Count; c++)
    {
        double a, b;
        if (r % 2 == 0) { a = Time(cases[c].Old, reps[c]); b = Time(cases[c].New, reps[c]); }
        else { b = Time(cases[c].New, reps[c]); a = Time(cases[c].Old, reps[c]); }
        old[c].Add(a); nw[c].Add(b); ratio[c].Add(b / a);
    }
static double Q(List<double> v, double q) { var s = v.OrderBy(x => x).ToArray(); return s[(int)Math.Round(q * (s.Length - 1))]; }
Console.WriteLine($"| kernel | before (ns, median) | after (ns, median) | after/before (median) | ratio IQR | min after / min before |");
Console.WriteLine("| --- | ---: | ---: | ---: | --- | ---: |");
for (int c = 0; c < cases.Count; c++)
    Console.WriteLine($"| {cases[c].Name} | {Q(old[c], 0.5):F0} | {Q(nw[c], 0.5):F0} | {Q(ratio[c], 0.5):F3} | {Q(ratio[c], 0.25):F3}-{Q(ratio[c], 0.75):F3} | {nw[c].Min() / old[c].Min():F3} |");

static class Cpu
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct Timespec { public long Sec, Nsec; }
    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int clock_gettime(int clock, out Timespec ts);
    public static long Now() { clock_gettime(3, out Timespec t); return t.Sec * 1_000_000_000L + t.Nsec; }
}
