using System.CommandLine;

namespace Engine.Cli.CommandLine;

/// <summary>
/// Options that a command would silently ignore in the presence of another: given together, they are bad input
/// (one line naming the conflict) rather than a run that looks as though it used them.
/// </summary>
public static class OptionConflicts
{
    /// <summary>
    /// Throws a <see cref="UsageException"/> when <paramref name="option"/> is given with any of <paramref name="ignored"/>;
    /// <paramref name="reason"/> completes "OPTION ..." and says why they do not combine.
    /// </summary>
    public static void Refuse(ParseResult parse, Option option, string reason, params Option[] ignored)
    {
        if (!Given(parse, option)) return;
        string[] names = ignored.Where(o => Given(parse, o)).Select(o => o.Name).ToArray();
        if (names.Length == 0) return;
        string list = names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";
        throw new UsageException($"{option.Name} {reason}, so it does not combine with {list}.");
    }

    /// <summary>Whether <paramref name="option"/> is on the command line (not merely at its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
