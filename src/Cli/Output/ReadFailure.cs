namespace Engine.Cli.Output;

/// <summary>
/// Why reading a file failed, in the user's terms: the runtime's text for a refused read ("Access to the path ... is
/// denied.") is its own wording, so that cause is named plainly; other I/O messages are kept.
/// </summary>
public static class ReadFailure
{
    public static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
}
