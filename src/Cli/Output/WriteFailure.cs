namespace Engine.Cli.Output;

/// <summary>
/// Why writing a file or creating a folder failed, in the user's terms. The file system's own message names whatever
/// was being created at the time, often a temporary file the user never asked for, so the common causes are named
/// instead, and any other message speaks of the path the user gave.
/// </summary>
public static class WriteFailure
{
    /// <param name="e">The failure.</param>
    /// <param name="folder">The full path of the folder written into.</param>
    /// <param name="temporary">The temporary file that was being written, if any.</param>
    /// <param name="target">The full path of the file the user asked for, if any.</param>
    public static string Reason(Exception e, string folder, string? temporary = null, string? target = null)
    {
        for (string? f = folder; !string.IsNullOrEmpty(f); f = Path.GetDirectoryName(f))
            if (File.Exists(f)) return $"'{f}' is an existing file, not a folder";
        if (target is not null && Directory.Exists(target)) return "it is an existing folder";
        if (e is UnauthorizedAccessException) return $"permission denied in '{folder}'";
        if (e is FileNotFoundException or DirectoryNotFoundException) return $"nothing can be created in '{ExistingAncestor(folder)}'";
        // The runtime on Unix ends its messages with " : 'path'", the path being written; the line already names the path.
        string message = e.Message;
        int named = message.LastIndexOf(" : '", StringComparison.Ordinal);
        if (named > 0 && message.EndsWith('\'')) message = message[..named];
        return (temporary is null ? message : message.Replace(temporary, target ?? folder)).TrimEnd('.');
    }

    private static string? ExistingAncestor(string? folder)
    {
        while (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder)) folder = Path.GetDirectoryName(folder);
        return folder;
    }
}
