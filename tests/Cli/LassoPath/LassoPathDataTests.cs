using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests.LassoPath;

public class LassoPathDataTests
{
    [Theory]
    [InlineData("a,a,y", "2 columns are named 'a' in the header row (columns 1, 2)")]
    [InlineData("a,,y", "column 2 has no name")]
    public void HeadersNeedANameForEveryColumn(string header, string message)
    {
        // The outputs name their columns after the features, so two features of one name could not be told apart there.
        string dir = Path.Combine(Path.GetTempPath(), $"lasso-header-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string data = Path.Combine(dir, "data.csv");
            File.WriteAllLines(data, [header, "1,2,3", "4,5,7", "2,2,4"]);
            var err = new StringWriter();
            int code = EntryPoint.Run(["lasso-path", "--data", data, "--out", Path.Combine(dir, "out")], err, new StringWriter());
            Assert.Equal(EntryPoint.BadInput, code);
            Assert.Contains(message, err.ToString());
            Assert.Single(err.ToString().TrimEnd().Split('\n'));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void WeightsWhoseSumOverflowsAreOneLineAndExitCodeTwo()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"lasso-weights-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // Each weight is a finite double, their sum is not: rescaled to sum to n they would all be 0 and the path empty.
            string data = Path.Combine(dir, "huge.csv");
            File.WriteAllLines(data, ["x1,x2,w,y", "1,0,1e308,1", "0,1,1e308,2", "1,1,1e308,2.5", "2,1,1,4"]);
            var err = new StringWriter();
            int code = EntryPoint.Run(["lasso-path", "--data", data, "--weights", "w", "--out", Path.Combine(dir, "out")], err, new StringWriter());
            Assert.Equal(EntryPoint.BadInput, code);
            Assert.Contains("sum to more than the largest double", err.ToString());
            Assert.Single(err.ToString().TrimEnd().Split('\n'));
            Assert.False(Directory.Exists(Path.Combine(dir, "out", "lasso-path")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
