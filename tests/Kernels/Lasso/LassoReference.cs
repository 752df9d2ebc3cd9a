using System.Globalization;
using Engine.Kernels.Lasso;

namespace Engine.Tests.Kernels.Lasso;

/// <summary>
/// The fixed inputs under tests/Data/lasso and the references for them (generate.py, generate_models.py and
/// generate_glmnet.R there). The files are numeric CSVs with one header row.
/// </summary>
internal static class LassoReference
{
    public static readonly string[] Cases = ["tall", "wide", "square"];

    public static string PathOf(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "lasso", file);

    /// <summary>The numeric rows of a reference CSV (header skipped).</summary>
    public static double[][] Rows(string file) =>
        File.ReadAllLines(PathOf(file)).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(',').Select(c => double.Parse(c.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();

    /// <summary>A data file (features, then y): X row-major, y, n and p.</summary>
    public static (double[] X, double[] Y, int Samples, int Features) Data(string file)
    {
        double[][] rows = Rows(file);
        int n = rows.Length, p = rows[0].Length - 1;
        var x = new double[n * p];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(rows[i], 0, x, i * p, p);
            y[i] = rows[i][p];
        }
        return (x, y, n, p);
    }

    public static LassoProblem Problem(string name)
    {
        var (x, y, n, p) = Data(name + ".csv");
        return LassoProblem.FromRowMajor(x, n, p, y);
    }

    /// <summary>A stored path: alphas (first column) and one coefficient vector per alpha (the other columns).</summary>
    public static (double[] Alphas, double[][] Coefficients) Path(string file)
    {
        double[][] rows = Rows(file);
        return (rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1..]).ToArray());
    }
}
