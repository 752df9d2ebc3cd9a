namespace Engine.Cli.Tests;

/// <summary>A folder under the temporary path, deleted with all it holds on Dispose, so every test cleans up its output even when it fails.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    /// <summary>
    /// Creates a folder named <paramref name="prefix"/> and random characters. With <paramref name="create"/> false it only
    /// names one (the prefix and a GUID), for a test whose command must create the folder itself.
    /// </summary>
    public TemporaryFolder(string prefix, bool create = true) =>
        Path = create
            ? Directory.CreateTempSubdirectory(prefix).FullName
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
