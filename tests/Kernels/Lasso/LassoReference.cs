using Engine.Experiments.LassoPath;
using Engine.Kernels.Lasso;

namespace Engine.Tests.Kernels.Lasso;

/// <summary>The fixed inputs under tests/Data/lasso and scikit-learn's paths for them (see generate.py there).</summary>
internal static class LassoReference
{
    public static readonly string[] Cases = ["tall", "wide", "square"];

    public static string PathOf(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "lasso", file);

    public static LassoProblem Problem(string name)
    {
        var data = Read(name + ".csv");
        return LassoProblem.FromRowMajor(data.X, data.Samples, data.Features, data.Y);
    }

    private static RegressionData Read(string file, string? target = null) =>
        RegressionCsv.Parse(File.ReadAllLines(PathOf(file)), file, target);

    /// <summary>A stored path: alphas and one coefficient vector per alpha.</summary>
    public static (double[] Alphas, double[][] Coefficients) Path(string file)
    {
        var data = Read(file, target: "alpha");
        var coefficients = new double[data.Samples][];
        for (int k = 0; k < data.Samples; k++) coefficients[k] = data.X.AsSpan(k * data.Features, data.Features).ToArray();
        return (data.Y, coefficients);
    }
}
