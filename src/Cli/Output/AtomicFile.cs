using Engine.Cli.CommandLine;

namespace Engine.Cli.Output;

/// <summary>
/// Writes a file under a temporary name in the same folder and renames it into place, so a crash or a bad
/// argument never leaves a half-written result, and an earlier complete file survives until the new one is whole.
/// Inside a command (<see cref="PendingFiles"/>) the rename waits for the command's end, with every other file's.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        bool held = false;
        try
        {
            PendingFiles.CreateFolder(directory);
            RemoveStaleTemporaries(directory, Path.GetFileName(full));
            // Known now, so said now: held to the command's end, the failure would come after other files had moved.
            if (Directory.Exists(full)) throw new IOException("the target is a folder");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // Held once it exists and before it is written: a signal during the write deletes it, and one before the
                // hold ends the run, so the hold throws and the file is deleted here.
                held = PendingFiles.Hold(temp, full);
                write(stream);
            }
            if (!held) File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon(temp, held);
            throw new UsageException($"cannot write '{path}': {WriteFailure.Reason(e, directory, temp, full)}.");
        }
        catch
        {
            Abandon(temp, held);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
            writer.Write(text);
        });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>
    /// Deletes the temporary files of <paramref name="name"/> that a process no longer running left in
    /// <paramref name="directory"/>: one killed outright (SIGKILL, a power cut) can delete nothing itself.
    /// </summary>
    private static void RemoveStaleTemporaries(string directory, string name)
    {
        string prefix = $".{name}.";
        foreach (string file in Directory.EnumerateFiles(directory, $"{prefix}*.tmp"))
        {
            // The rest of the name is "<process id>.<32 hex digits>.tmp": anything else is not this class's.
            string[] rest = Path.GetFileName(file)[prefix.Length..].Split('.');
            if (rest.Length == 3 && int.TryParse(rest[0], out int pid) && rest[1].Length == 32 && Guid.TryParseExact(rest[1], "N", out _)
                && pid != Environment.ProcessId && !IsRunning(pid))
                PendingFiles.TryDelete(file);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void Abandon(string temp, bool held)
    {
        if (held) PendingFiles.Release(temp);
        PendingFiles.TryDelete(temp);
    }
}
