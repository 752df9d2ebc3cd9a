using Engine.Kernels.Calculus;
using FsCheck;
using FsCheck.Fluent;

namespace Engine.Testing;

/// <summary>A derivative check that failed: the message is the check's report (verdict, failing rows, settings).</summary>
public sealed class DerivativeCheckException(string message, DerivativeCheckResult result) : Exception(message)
{
    public DerivativeCheckResult Result { get; } = result;
}

/// <summary>
/// Turns a <see cref="DerivativeCheckResult"/> into a test outcome any framework understands: a passing check
/// returns, a failing one throws <see cref="DerivativeCheckException"/> whose message names what was checked and
/// lists the failing coordinates and directions with their analytic and numeric values and tolerances.
/// </summary>
public static class DerivativeCheckAssert
{
    /// <summary>Throws unless every probe of <paramref name="result"/> passed.</summary>
    /// <param name="result">The check.</param>
    /// <param name="what">What was checked, e.g. "gradient of my loss at p"; it heads the message.</param>
    public static void Passes(DerivativeCheckResult result, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Passed) throw new DerivativeCheckException(Message(result, what, "the derivative does not match its finite differences"), result);
    }

    /// <summary>Throws if every probe passed: for tests that a deliberately wrong derivative is caught.</summary>
    public static void Fails(DerivativeCheckResult result, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Passed) throw new DerivativeCheckException(Message(result, what, "expected the check to fail, but every probe passed"), result);
    }

    /// <summary>An FsCheck property that holds when the check passed, labelled with the check's report.</summary>
    public static Property ToProperty(this DerivativeCheckResult result, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Prop.Label(result.Passed, Message(result, what, result.Passed ? "passed" : "the derivative does not match its finite differences"));
    }

    private static string Message(DerivativeCheckResult result, string? what, string outcome) =>
        $"{what ?? "derivative check"}: {outcome}.{Environment.NewLine}{result}";
}
