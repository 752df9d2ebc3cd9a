namespace Engine.Cli.Tests;

/// <summary>A folder under the temporary path, deleted with all it holds on Dispose, so every test cleans up its output even when it fails.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    /// <summary>Creates a folder named <paramref name="prefix"/> and random characters.</summary>
    public TemporaryFolder(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
