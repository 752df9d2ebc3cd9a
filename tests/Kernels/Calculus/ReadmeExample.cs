using Engine.Kernels.Calculus;

namespace Engine.Tests.Kernels.Calculus;

/// <summary>
/// The README's example of checking a hand-written gradient. The lines between the markers are the README's code
/// block after its <c>using</c> line, word for word (<see cref="ReadmeExampleTests"/> compares them), so the
/// example that the tests compile and run is the one the README shows.
/// </summary>
internal static class ReadmeExample
{
    public static (DerivativeCheckResult Right, DerivativeCheckResult Wrong) Run()
    {
        // README example begins
        // f(x) = sum_i log(1 + exp(x_i)) + x_0 x_1^2, and its gradient written by hand.
        static double F(ReadOnlySpan<double> x)
        {
            double sum = x[0] * x[1] * x[1];
            foreach (double v in x) sum += Math.Log(1 + Math.Exp(v));
            return sum;
        }

        static void Gradient(ReadOnlySpan<double> x, Span<double> g)
        {
            for (int i = 0; i < x.Length; i++) g[i] = 1 / (1 + Math.Exp(-x[i]));
            g[0] += x[1] * x[1];
            g[1] += 2 * x[0] * x[1];
        }

        // The same gradient with the factor 2 of d(x_0 x_1^2)/dx_1 forgotten: a typical slip.
        static void WrongGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            Gradient(x, g);
            g[1] -= x[0] * x[1];
        }

        double[] x = [0.3, -1.2, 2.0];
        DerivativeCheckResult right = GradientCheck.Run(F, x, Gradient);
        DerivativeCheckResult wrong = GradientCheck.Run(F, x, WrongGradient);
        Console.WriteLine(right.Verdict());   // PASS: 3 coordinates and 8 directions of n = 3, 0 failed; ...
        Console.WriteLine(wrong);             // FAIL: ..., then the failing rows and the settings
        // README example ends
        return (right, wrong);
    }
}
