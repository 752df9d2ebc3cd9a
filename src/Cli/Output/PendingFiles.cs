using Engine.Cli.CommandLine;

namespace Engine.Cli.Output;

/// <summary>
/// The files of one command, held under their temporary names (see <see cref="AtomicFile"/>) until the command has run
/// to its end and then renamed into place together, so that a run that fails or is stopped halfway leaves the output
/// folder as it was instead of half this run's files and half an earlier run's (a report.md of one seed beside the
/// curves of another).
/// </summary>
/// <remarks>
/// <para>A run is the flow of one <see cref="EntryPoint.Run"/> call (an <see cref="AsyncLocal{T}"/>, which the
/// experiments' tasks and parallel loops inherit), so that runs side by side in one process (the tests) keep their files
/// apart. Code that writes outside a run (a test calling a writer directly) renames each file at once, as before.</para>
/// <para>A file that cannot be put in place (a folder already has its name) fails when it is written, not when the run
/// ends, so that the renames at the end do not stop halfway for a reason known earlier.</para>
/// </remarks>
public sealed class PendingFiles : IDisposable
{
    private static readonly AsyncLocal<PendingFiles?> Current = new();

    // Every open run, for the signal handler, which runs outside their flows.
    private static readonly HashSet<PendingFiles> Open = [];

    private readonly List<(string Temporary, string Target)> _files = [];
    // Folders this run created for its files, outermost first: a run that does not commit removes those left empty.
    private readonly List<string> _folders = [];
    private bool _closed;

    private PendingFiles() { }

    /// <summary>Starts holding the files of the calling flow until <see cref="Commit"/>; disposing without it deletes them.</summary>
    public static PendingFiles Begin()
    {
        var run = new PendingFiles();
        lock (Open) Open.Add(run);
        Current.Value = run;
        return run;
    }

    /// <summary>
    /// Holds <paramref name="temporary"/>, about to be written, until the run ends, when it becomes
    /// <paramref name="target"/>; false when no run is open, and the caller renames it at once. Held before it is
    /// written, so that a signal arriving during the write deletes it too.
    /// </summary>
    internal static bool Hold(string temporary, string target)
    {
        if (Current.Value is not { } run) return false;
        lock (run._files)
        {
            if (run._closed) throw new InvalidOperationException("A file was written after its run ended.");
            run._files.Add((temporary, target));
        }
        return true;
    }

    /// <summary>
    /// Creates <paramref name="folder"/> and the folders above it that do not exist; inside a run, remembers those it
    /// created, so that a run that does not commit leaves no empty folder behind (a mistyped --out is gone again).
    /// </summary>
    internal static void CreateFolder(string folder)
    {
        if (Current.Value is not { } run || Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            return;
        }
        var missing = new List<string>();
        for (string? f = folder; f is not null && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Add(f);
        missing.Reverse();
        lock (run._files)
        {
            if (run._closed) throw new InvalidOperationException("A folder was created after its run ended.");
            run._folders.AddRange(missing);
        }
        Directory.CreateDirectory(folder);
    }

    /// <summary>Lets go of <paramref name="temporary"/>, whose write failed (the caller deletes it).</summary>
    internal static void Release(string temporary)
    {
        if (Current.Value is not { } run) return;
        lock (run._files) run._files.RemoveAll(f => f.Temporary == temporary);
    }

    /// <summary>Renames every held file into place, in the order written (a file written twice ends as its last version).</summary>
    public void Commit()
    {
        // A signal that arrives now waits for the renames (DiscardAll takes the same lock): stopped halfway through them,
        // the folder would be the mix of two runs this class exists to prevent.
        lock (Open)
        {
            var files = TakeAll();
            lock (_files) _folders.Clear();
            try
            {
                for (int i = 0; i < files.Length; i++)
                {
                    var (temporary, target) = files[i];
                    try
                    {
                        File.Move(temporary, target, overwrite: true);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        foreach (var (left, _) in files.AsSpan(i)) TryDelete(left);
                        throw new UsageException($"cannot write '{target}': {WriteFailure.Reason(e, Path.GetDirectoryName(target)!, temporary, target)}.");
                    }
                }
            }
            finally
            {
                Close();
            }
        }
    }

    /// <summary>Deletes the files still held (the run did not reach <see cref="Commit"/>) and ends the run.</summary>
    public void Dispose()
    {
        Discard();
        Close();
    }

    /// <summary>Deletes the held files of every open run: for a signal that stops the process, which renames nothing.</summary>
    public static void DiscardAll()
    {
        lock (Open)
            foreach (PendingFiles run in Open) run.Discard();
    }

    private void Discard()
    {
        foreach (var (temporary, _) in TakeAll()) TryDelete(temporary);
        string[] folders;
        lock (_files)
        {
            folders = [.. _folders];
            _folders.Clear();
        }
        // Innermost first, and only while empty: a folder that holds anything else (another process's file) stays.
        for (int i = folders.Length - 1; i >= 0; i--)
        {
            try { Directory.Delete(folders[i], recursive: false); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Ends the run for writers (a later write throws) and hands over the files it holds.</summary>
    private (string Temporary, string Target)[] TakeAll()
    {
        lock (_files)
        {
            _closed = true;
            (string Temporary, string Target)[] files = [.. _files];
            _files.Clear();
            return files;
        }
    }

    private void Close()
    {
        lock (Open) Open.Remove(this);
        if (Current.Value == this) Current.Value = null;
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
