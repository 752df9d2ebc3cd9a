using System.CommandLine;
using System.CommandLine.Parsing;

namespace Engine.Cli.CommandLine;

/// <summary>
/// The one line <c>engine</c> prints for a command line it refuses, in the project's own words rather than the parser's.
/// </summary>
public static class UsageErrors
{
    /// <summary>
    /// The first thing wrong with <paramref name="parse"/>, or null when it may run. An option given twice is wrong even
    /// where the parser would take the last value (a list, a flag): a run with one of two values silently dropped
    /// answers a question the user did not ask.
    /// </summary>
    public static string? First(ParseResult parse)
    {
        for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
            foreach (OptionResult option in ((CommandResult)result).Children.OfType<OptionResult>())
                if (option.IdentifierTokenCount > 1)
                    return Repeated(option);
        if (parse.Errors.Count == 0) return null;
        // A mistyped command also yields "Required command was not provided"; the unrecognized token is the useful line.
        return (parse.Errors.FirstOrDefault(e => e.Message.Contains("Unrecognized", StringComparison.OrdinalIgnoreCase)) ?? parse.Errors[0]).Message;
    }

    private static string Repeated(OptionResult result)
    {
        Option option = result.Option;
        string times = result.IdentifierTokenCount == 2 ? "twice" : $"{result.IdentifierTokenCount} times";
        string values = result.Tokens.Count == 0 ? "" : $" ({string.Join(", then ", result.Tokens.Select(t => $"'{t.Value}'"))})";
        // A list is the one place where giving several values makes sense; the line shows how to write them.
        string advice = Vocabulary.All.FirstOrDefault(w => w.Name == option.Name)?.Kind is OptionKind.Numbers or OptionKind.WholeNumbers or OptionKind.Names
            ? $"give a list once, comma-separated: {option.Name} {string.Join(",", result.Tokens.Select(t => t.Value))}"
            : "give an option once";
        return $"{option.Name}: given {times}{values}; {advice}.";
    }
}
