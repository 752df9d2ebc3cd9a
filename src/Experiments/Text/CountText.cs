namespace Engine.Experiments.Text;

/// <summary>A count with its noun in the number it needs: "1 step", "2 steps" (thousands grouped: "300,000 steps").</summary>
public static class CountText
{
    /// <summary><paramref name="n"/> <paramref name="noun"/>, with an s unless <paramref name="n"/> is 1.</summary>
    public static string Of(long n, string noun) => string.Create(ReportFormat.Provider, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");
}
