using System.CommandLine;
using System.CommandLine.Parsing;

namespace Engine.Cli.CommandLine;

/// <summary>
/// The one line <c>engine</c> prints for a command line it refuses, in the project's own words
/// (<c>NAME: expected WHAT, got 'TOKEN'.</c>) rather than the parser's. The parser's errors are recognized by what
/// the parse holds (a token nothing took, an option without its value), never by the wording of its messages, which
/// follows the user's language.
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
        CommandResult command = parse.CommandResult;
        IReadOnlyList<OptionResult> given = OptionsGiven(command);
        if (given.FirstOrDefault(o => o.IdentifierTokenCount > 1) is OptionResult repeated) return Repeated(repeated);
        if (parse.Errors.Count == 0) return null;

        if (command.Command is RootCommand)
            return $"expected a command (engine --help lists them), got {Quoted(parse.UnmatchedTokens.FirstOrDefault())}.";
        if (Unmatched(parse, given) is var (token, before))
        {
            string name = command.Command.Name;
            // The token before the stray one says what it was probably meant for: a switch's value, or a list's second item.
            if (given.FirstOrDefault(o => o.IdentifierToken == before) is OptionResult flag && flag.Option.Arity.MaximumNumberOfValues == 0)
                return $"{flag.Option.Name}: expected no value (it is a switch), got '{token.Value}'.";
            if (!LooksLikeAnOption(token.Value) && given.FirstOrDefault(o => o.Tokens.Contains(before)) is OptionResult valued)
                return $"{valued.Option.Name}: expected one value, got a second, '{token.Value}'{(IsList(valued.Option) ? " (a list is one value, its items comma-separated)" : "")}.";
            return $"{name}: expected one of its options (engine {name} --help lists them), got '{token.Value}'.";
        }
        if (given.FirstOrDefault(o => o.Tokens.Count == 0 && o.Option.Arity.MinimumNumberOfValues > 0) is OptionResult empty)
            return $"{empty.Option.Name}: expected {Options.ExpectedOf(empty.Option) ?? "a value"}, got nothing.";
        if (command.Command.Options.FirstOrDefault(o => o.Required && !given.Any(g => g.Option == o)) is Option required)
            return $"{required.Name}: expected {Options.ExpectedOf(required) ?? "a value"}, got nothing (engine {command.Command.Name} needs it).";
        // What is left are the options' own messages (Options.Configure), already in the project's words.
        return parse.Errors[0].Message;
    }

    /// <summary>The options on the command line, the sub-command's and its parents'.</summary>
    private static IReadOnlyList<OptionResult> OptionsGiven(CommandResult command)
    {
        var options = new List<OptionResult>();
        for (SymbolResult? result = command; result is CommandResult c; result = c.Parent)
            options.AddRange(c.Children.OfType<OptionResult>().Where(o => !o.Implicit));
        return options;
    }

    /// <summary>The first token nothing took, with the token before it (the option it may have been meant for).</summary>
    private static (Token Token, Token? Before)? Unmatched(ParseResult parse, IReadOnlyList<OptionResult> given)
    {
        var taken = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (OptionResult option in given)
        {
            if (option.IdentifierToken is Token identifier) taken.Add(identifier);
            taken.UnionWith(option.Tokens);
        }
        for (SymbolResult? result = parse.CommandResult; result is CommandResult c; result = c.Parent)
        {
            if (c.IdentifierToken is Token identifier) taken.Add(identifier);
            taken.UnionWith(c.Tokens);
        }
        IReadOnlyList<Token> tokens = parse.Tokens;
        for (int i = 0; i < tokens.Count; i++)
            if (!taken.Contains(tokens[i]) && tokens[i].Type is not TokenType.Option and not TokenType.Command)
                return (tokens[i], i > 0 ? tokens[i - 1] : null);
        return null;
    }

    private static bool LooksLikeAnOption(string token) => token.StartsWith("--", StringComparison.Ordinal) || token is ['-', char c, ..] && char.IsLetter(c);

    private static bool IsList(Option option) =>
        Vocabulary.All.FirstOrDefault(w => w.Name == option.Name)?.Kind is OptionKind.Numbers or OptionKind.WholeNumbers or OptionKind.Names;

    private static string Quoted(string? token) => token is null ? "nothing" : $"'{token}'";

    private static string Repeated(OptionResult result)
    {
        Option option = result.Option;
        string times = result.IdentifierTokenCount == 2 ? "twice" : $"{result.IdentifierTokenCount} times";
        string values = result.Tokens.Count == 0 ? "" : $" ({string.Join(", then ", result.Tokens.Select(t => $"'{t.Value}'"))})";
        // A list is the one place where giving several values makes sense; the line shows how to write them.
        string advice = IsList(option)
            ? $"give a list once, comma-separated: {option.Name} {string.Join(",", result.Tokens.Select(t => t.Value))}"
            : "give an option once";
        return $"{option.Name}: given {times}{values}; {advice}.";
    }
}
