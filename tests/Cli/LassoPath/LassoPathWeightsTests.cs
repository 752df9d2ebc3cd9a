using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests.LassoPath;

public class LassoPathWeightsTests
{
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
