using Engine.Cli.Report;

namespace Engine.Cli.Tests;

public class ExperimentCatalogTests
{
    [Fact]
    public void HelpListsAllThenTheCatalogsCommandsInOrder()
    {
        string[] names = EntryPoint.CreateRoot().Subcommands.Select(c => c.Name).ToArray();
        Assert.Equal(
        [
            "all", "selfcheck", "gradcheck", "homogeneity", "planted-check", "lr-sweep", "width-sweep", "livni-bonus",
            "dropout-variant", "min-norm", "implicit-l1", "lasso-path", "matrix-completion", "lasso-bench",
        ], names);
    }

    [Fact]
    public void EngineAllRunsTheReportedEntriesInCatalogOrderEachInAFolderOfItsOwn()
    {
        string[] folders = ExperimentCatalog.All.OfType<IReportedCommand>().Select(e => e.Folder).ToArray();
        Assert.Equal(["selfcheck", "homogeneity", "overparam", "livni-bonus", "dropout-variant", "min-norm", "implicit-l1", "matrix-completion"], folders);
    }
}
