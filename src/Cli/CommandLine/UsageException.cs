namespace Engine.Cli.CommandLine;

/// <summary>
/// Bad input found after parsing (an unwritable folder, a malformed data file, inconsistent options).
/// The entry point prints its message as one line on stderr and exits with code 2.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
