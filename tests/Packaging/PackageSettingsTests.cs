using System.Xml.Linq;
using Engine.Kernels.Gemm;
using Engine.Experiments.Context;

namespace Engine.Tests.Packaging;

/// <summary>
/// The packages' settings: one version for everything built from src/, documentation and a README for every packed
/// library, and a consumer that takes the libraries as packages at that version.
/// </summary>
public class PackageSettingsTests
{
    private static string Version() =>
        XDocument.Load(RepositoryFiles.PathOf("src/Version.props")).Descendants("Version").Single().Value;

    private static IEnumerable<string> SourceProjects() =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), "*.csproj", SearchOption.AllDirectories);

    private static string? Property(XDocument project, string name) =>
        project.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault();

    [Fact]
    public void The_libraries_carry_the_version_of_Version_props()
    {
        var expected = new Version(Version());
        foreach (var assembly in new[] { typeof(Gemm).Assembly, typeof(ExperimentContext).Assembly })
        {
            Version actual = assembly.GetName().Version!;
            Assert.Equal((expected.Major, expected.Minor, expected.Build), (actual.Major, actual.Minor, actual.Build));
        }
    }

    [Fact]
    public void No_project_sets_a_version_of_its_own()
    {
        foreach (string path in SourceProjects())
        {
            var project = XDocument.Load(path);
            foreach (string name in new[] { "Version", "VersionPrefix", "PackageVersion", "AssemblyVersion", "FileVersion" })
                Assert.True(Property(project, name) is null, $"{path} sets {name}; the version lives in src/Version.props only.");
        }
    }

    [Fact]
    public void Every_packed_library_has_documentation_and_a_readme()
    {
        var packed = SourceProjects().Where(p => Property(XDocument.Load(p), "IsPackable") == "true").ToArray();
        Assert.Contains(packed, p => p.EndsWith("Engine.Kernels.csproj", StringComparison.Ordinal));
        Assert.Contains(packed, p => p.EndsWith("Engine.Experiments.csproj", StringComparison.Ordinal));
        foreach (string path in packed)
        {
            var project = XDocument.Load(path);
            Assert.True(Property(project, "GenerateDocumentationFile") == "true", $"{path} ships without XML documentation.");
            Assert.False(string.IsNullOrWhiteSpace(Property(project, "Description")), $"{path} has no package description.");
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "README.md")), $"{path} has no README.md to pack.");
        }
    }

    [Fact]
    public void The_consumer_takes_the_libraries_as_packages_at_that_version_from_the_local_folder_only()
    {
        var consumer = XDocument.Load(RepositoryFiles.PathOf("samples/Consumer/Engine.Consumer.csproj"));
        Assert.Empty(consumer.Descendants("ProjectReference"));
        var references = consumer.Descendants("PackageReference").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        Assert.Equal("$(EngineVersion)", references["Engine.Kernels"]);
        Assert.Equal("$(EngineVersion)", references["Engine.Experiments"]);

        var config = XDocument.Load(RepositoryFiles.PathOf("samples/Consumer/nuget.config"));
        var sources = config.Descendants("packageSources").Single();
        Assert.Equal("clear", sources.Elements().First().Name.LocalName);
        var feed = Assert.Single(sources.Elements("add"));
        Assert.Equal("../../artifacts/packages", (string)feed.Attribute("value")!);
    }
}
