using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Engine.Tests.Packaging;

/// <summary>
/// What the notebooks in notebooks/ need of the rest of the repository; running them is .ci/notebooks.sh's job.
/// These catch the drift that would break them quietly: a renamed assembly, a ScottPlot version other than the
/// solution's, a notebook saved for another kernel.
/// </summary>
public partial class NotebookTests
{
    private static string[] NotebookNames() =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf("notebooks"), "*.ipynb").Select(p => Path.GetFileName(p)).Order().ToArray();

    public static TheoryData<string> Notebooks() => new(NotebookNames());

    private static string[] CodeCells(JsonDocument notebook) =>
        notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(line => line.GetString())))
            .ToArray();

    [Fact]
    public void There_are_notebooks_for_both_homework_sets()
    {
        string[] names = NotebookNames();
        Assert.Contains("hw2-overparam.ipynb", names);
        Assert.Contains("hw3-implicit-l1.ipynb", names);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_runs_on_the_dotnet_interactive_csharp_kernel(string name)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("notebooks", name))));
        Assert.Equal(".net-csharp", notebook.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.NotEmpty(CodeCells(notebook));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_notebook_loads_assemblies_the_build_produces_and_the_solutions_ScottPlot(string name)
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("notebooks", name))));
        string code = string.Join("\n", CodeCells(notebook));

        var dlls = LocalReference().Matches(code).Select(m => m.Groups["path"].Value).ToArray();
        Assert.NotEmpty(dlls);
        foreach (string dll in dlls)
        {
            // ../src/<Folder>/bin/Release/net10.0/<Assembly>.dll must be what the project in src/<Folder> builds.
            Match parts = BuildOutput().Match(dll);
            Assert.True(parts.Success, $"{name} loads {dll}, which is not a Release build output of a project in src/.");
            string project = Directory.EnumerateFiles(RepositoryFiles.PathOf(Path.Combine("src", parts.Groups["folder"].Value)), "*.csproj").Single();
            string assembly = XDocument.Load(project).Descendants("AssemblyName").Single().Value;
            Assert.Equal(assembly, parts.Groups["assembly"].Value);
        }

        string solutionVersion = XDocument.Load(RepositoryFiles.PathOf("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "ScottPlot").Attribute("Version")!.Value;
        var scottPlot = NuGetReference().Matches(code).Where(m => m.Groups["id"].Value == "ScottPlot").ToArray();
        Assert.NotEmpty(scottPlot);
        foreach (Match m in scottPlot) Assert.Equal(solutionVersion, m.Groups["version"].Value);
    }

    [GeneratedRegex("""#r\s+"(?<path>[^":]+\.dll)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex LocalReference();

    [GeneratedRegex("""^\.\./src/(?<folder>[^/]+)/bin/Release/net10\.0/(?<assembly>[^/]+)\.dll$""")]
    private static partial Regex BuildOutput();

    [GeneratedRegex("""#r\s+"nuget:\s*(?<id>[^,"]+),\s*(?<version>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex NuGetReference();
}
