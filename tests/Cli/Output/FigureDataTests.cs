using Engine.Cli.ImplicitL1;

namespace Engine.Cli.Tests.Output;

/// <summary>Every PNG a command writes has a CSV of the same base name beside it.</summary>
public class FigureDataTests
{
    public static TheoryData<string[]> Commands => new()
    {
        new[] { "homogeneity" },
        new[] { "lr-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40", "--epochs", "2", "--quiet" },
        new[] { "width-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40", "--epochs", "2", "--lr", "0.01", "--quiet" },
        new[] { "min-norm", "--steps", "50" },
        new[] { "implicit-l1", "--steps", "2000", "--quiet" },
        new[] { "lasso-path", "--data", Path.Combine(AppContext.BaseDirectory, "Data", "lasso", "tall.csv"), "--exact" },
        new[] { "matrix-completion", "--dim", "5", "--fractions", "0.6", "--init-scales", "0.1", "--lrs", "0.1", "--steps", "100", "--sdp-iterations", "500", "--quiet" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryPngHasACsvOfTheSameBaseName(string[] args)
    {
        using var temporary = new TemporaryFolder("figure-data");
        string dir = temporary.Path;
        Assert.Equal(0, EntryPoint.Run([.. args, "--out", dir], new StringWriter(), TextWriter.Null));
        string[] pngs = Directory.GetFiles(dir, "*.png", SearchOption.AllDirectories);
        Assert.NotEmpty(pngs);
        Assert.All(pngs, png => Assert.True(File.Exists(Path.ChangeExtension(png, ".csv")), $"{Path.GetFileName(png)} has no CSV beside it"));
    }

    [Fact]
    public void TheImplicitL1FigureHoldsTheFirstAndLastIterateAndAtMost601Rows()
    {
        int[] shown = ImplicitL1Command.ShownRows(30_001, 300_000, 10);
        Assert.True(shown.Length <= 601);
        Assert.Equal(1, shown[0]);
        Assert.Equal(30_000, shown[^1]);
        Assert.Equal(shown.Order(), shown);
        Assert.Equal([0], ImplicitL1Command.ShownRows(1, 0, 10));
        Assert.Equal([1, 2, 3], ImplicitL1Command.ShownRows(4, 3, 1));
    }
}
