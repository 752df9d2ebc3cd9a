namespace Engine.Cli.CommandLine;

/// <summary>
/// Bad input found after parsing (an unwritable folder, a malformed data file, inconsistent options).
/// The entry point prints its message as one line on stderr and exits with code 2.
/// </summary>
/// <param name="message">The line, without the "engine: " the entry point puts before it.</param>
/// <param name="keepsFiles">
/// Whether the files the command wrote before it found the problem are a whole result of their own (an lr-sweep whose
/// every rate diverged, which leaves no rate for the width sweep after it): they go into place as at a normal end,
/// where the files of a failed command are otherwise deleted (see <see cref="Output.PendingFiles"/>).
/// </param>
public sealed class UsageException(string message, bool keepsFiles = false) : Exception(message)
{
    public bool KeepsFiles { get; } = keepsFiles;
}
