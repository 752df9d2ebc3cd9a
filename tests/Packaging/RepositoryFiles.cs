namespace Engine.Tests.Packaging;

/// <summary>The repository's own files, found from the test's output folder by walking up to Engine.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Engine.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No Engine.sln above {AppContext.BaseDirectory}.");
    }
}
