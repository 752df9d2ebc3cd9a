using Engine.Kernels.Linalg;
using FsCheck.Xunit;

namespace Engine.Tests.Kernels.Linalg;

public class SymmetricEigenSolverTests
{
    // Backward-stable algorithms leave errors of a modest multiple of n * epsilon relative to ||S||.
    private static double Tolerance(int n) => 64 * Math.Max(n, 1) * 2.220446049250313e-16;

    [Property(Arbitrary = [typeof(SymmetricCaseArbitrary)], MaxTest = 120)]
    public void ReconstructsTheMatrixWithOrthonormalEigenvectors(SymmetricCase testCase)
    {
        int n = testCase.N;
        (double[] s, _) = testCase.Build();
        (double[] w, double[] q) = SymmetricEigenSolver.Of(s, n);

        double norm = FrobeniusNorm(s);
        double residual = 0, orthogonality = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double qdq = 0, qtq = 0;
                for (int k = 0; k < n; k++)
                {
                    qdq += q[i * n + k] * w[k] * q[j * n + k];
                    qtq += q[k * n + i] * q[k * n + j];
                }
                residual = Math.Max(residual, Math.Abs(qdq - s[i * n + j]));
                orthogonality = Math.Max(orthogonality, Math.Abs(qtq - (i == j ? 1 : 0)));
            }
        Assert.True(residual <= Tolerance(n) * norm, $"{testCase}: reconstruction error {residual:E2} vs ||S||_F {norm:E2}");
        Assert.True(orthogonality <= Tolerance(n), $"{testCase}: ||Q^T Q - I||_max = {orthogonality:E2}");
        for (int k = 1; k < n; k++) Assert.True(w[k - 1] <= w[k], $"{testCase}: eigenvalues not ascending at {k}");

        // Asking for eigenvalues only skips the vector updates but must not change a single bit of the values.
        var valuesOnly = new double[n];
        new SymmetricEigenSolver(n).Decompose(s, valuesOnly, []);
        Assert.Equal(w, valuesOnly);
    }

    [Property(Arbitrary = [typeof(SymmetricCaseArbitrary)], MaxTest = 120)]
    public void FindsAKnownSpectrum(SymmetricCase testCase)
    {
        (double[] s, double[]? spectrum) = testCase.Build();
        if (spectrum is null) return;
        double[] w = SymmetricEigenSolver.Of(s, testCase.N).Eigenvalues;
        double scale = 0;
        foreach (double x in spectrum) scale = Math.Max(scale, Math.Abs(x));
        for (int k = 0; k < w.Length; k++)
            Assert.True(Math.Abs(w[k] - spectrum[k]) <= Tolerance(testCase.N) * scale,
                $"{testCase}: eigenvalue {k} is {w[k]:R}, expected {spectrum[k]:R}");
    }

    [Fact]
    public void OneByOneIsItsOwnEigenvalue()
    {
        (double[] w, double[] q) = SymmetricEigenSolver.Of([-3.5], 1);
        Assert.Equal(-3.5, w[0]);
        Assert.Equal(1, Math.Abs(q[0]));
    }

    [Fact]
    public void TwoByTwoMatchesTheClosedForm()
    {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, -1)/sqrt 2 and (1, 1)/sqrt 2.
        (double[] w, double[] q) = SymmetricEigenSolver.Of([2, 1, 1, 2], 2);
        Assert.Equal(1, w[0], 14);
        Assert.Equal(3, w[1], 14);
        Assert.Equal(0, q[0] + q[2], 14);
        Assert.Equal(0, q[1] - q[3], 14);
    }

    [Fact]
    public void ReadsOnlyTheLowerTriangle()
    {
        double[] lower = [1, 99, 2, 3];
        double[] symmetric = [1, 2, 2, 3];
        Assert.Equal(SymmetricEigenSolver.Of(symmetric, 2).Eigenvalues, SymmetricEigenSolver.Of(lower, 2).Eigenvalues);
    }

    [Fact]
    public void RejectsNaNAndWrongLengths()
    {
        var solver = new SymmetricEigenSolver(2);
        Assert.Throws<ArithmeticException>(() => solver.Decompose([1, 0, double.NaN, 1], new double[2], new double[4]));
        Assert.Throws<ArgumentException>(() => solver.Decompose(new double[3], new double[2], new double[4]));
        Assert.Throws<ArgumentException>(() => solver.Decompose(new double[4], new double[2], new double[3]));
    }

    [Fact]
    public void ReusedSolverGivesTheSameAnswer()
    {
        var first = new SymmetricCase(SymmetricKind.Gaussian, 17, 5).Build().S;
        var second = new SymmetricCase(SymmetricKind.RepeatedSpectrum, 17, 6).Build().S;
        var solver = new SymmetricEigenSolver(17);
        var w1 = new double[17];
        var w2 = new double[17];
        solver.Decompose(first, w1, []);
        solver.Decompose(second, w2, []);
        solver.Decompose(first, w2, []);
        Assert.Equal(w1, w2);
    }

    private static double FrobeniusNorm(double[] s)
    {
        double sum = 0;
        foreach (double x in s) sum += x * x;
        return Math.Sqrt(sum);
    }
}
