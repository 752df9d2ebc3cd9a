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
        using var temporary = new TemporaryFolder("lasso-header-");
        string dir = temporary.Path;
        string data = Path.Combine(dir, "data.csv");
        File.WriteAllLines(data, [header, "1,2,3", "4,5,7", "2,2,4"]);
        var err = new StringWriter();
        int code = EntryPoint.Run(["lasso-path", "--data", data, "--out", Path.Combine(dir, "out")], err, new StringWriter());
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains(message, err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void WeightsWhoseSumOverflowsAreOneLineAndExitCodeTwo()
    {
        using var temporary = new TemporaryFolder("lasso-weights-");
        string dir = temporary.Path;
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

    [Theory]
    [InlineData("1e308", "")]
    [InlineData("1e160", "")]
    [InlineData("1e308", "--exact")]
    [InlineData("1e160", "--exact")]
    [InlineData("1e160", "--cv 2")]
    public void DataWhoseSquaresOverflowAreOneLineAndExitCodeTwo(string scale, string extra)
    {
        using var temporary = new TemporaryFolder("lasso-huge-");
        string dir = temporary.Path;
        // Every value is a finite double; their squares (and at 1e308 already their sums) are not.
        string data = Path.Combine(dir, "huge.csv");
        string e = scale[1..];
        File.WriteAllLines(data, ["x1,x2,y", $"1{e},0,1{e}", $"0,1.5{e},1.5{e}", $"1{e},1{e},1.7{e}", $"1.2{e},0.5{e},-1.6{e}"]);
        var err = new StringWriter();
        string[] args = ["lasso-path", "--data", data, "--out", Path.Combine(dir, "out"), .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        int code = EntryPoint.Run(args, err, new StringWriter());
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains("the data's squares overflow double precision", err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--exact")]
    public void DataWhoseSquaresUnderflowAreOneLineAndExitCodeTwo(string extra)
    {
        using var temporary = new TemporaryFolder("lasso-tiny-");
        string dir = temporary.Path;
        // Squares of 1e-200 are 0: the grid said y was orthogonal to every column, --exact gave a path from 0 to 0.
        string data = Path.Combine(dir, "tiny.csv");
        File.WriteAllLines(data, ["x1,x2,y", "1e-200,0,1e-200", "0,1.5e-200,1.5e-200", "1e-200,1e-200,1.7e-200", "1.2e-200,0.5e-200,-1.6e-200"]);
        var err = new StringWriter();
        string[] args = ["lasso-path", "--data", data, "--out", Path.Combine(dir, "out"), .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(args, err, new StringWriter()));
        Assert.Contains("the data's squares underflow double precision", err.ToString());
        Assert.Contains("multiply the data by a common factor", err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void LassoBenchRefusesDataWhoseSquaresOverflow()
    {
        using var temporary = new TemporaryFolder("lasso-huge-");
        string dir = temporary.Path;
        string file = Path.Combine(dir, "huge.bin");
        LassoBenchFile.Write(file, 3, 2, [1e160, 0, 0, 2e160, 1e160, 1e160, 1e160, 2e160, 3e160]);
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(["lasso-bench", "--data", file], err, new StringWriter()));
        Assert.Contains("the data's squares overflow double precision", err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--intercept", "1,1\n2,1\n3,1\n4,1")]
    [InlineData("", "0,1\n0,2\n0,-3\n0,5")]
    public void AZeroAlphaMaxIsOneSentenceAndNoInventedGrid(string options, string rows)
    {
        using var temporary = new TemporaryFolder("lasso-zero-");
        string dir = temporary.Path;
        // A constant y once centered, and an all-zero X: y is orthogonal to every column.
        string data = Path.Combine(dir, "zero.csv");
        File.WriteAllText(data, "x1,y\n" + rows + "\n");
        var err = new StringWriter();
        string[] args = ["lasso-path", "--data", data, "--out", Path.Combine(dir, "out"), .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run(args, err, new StringWriter()));
        Assert.Contains("the whole path is the zero model", err.ToString());
        Assert.Single(err.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_device_that_never_ends_is_refused_instead_of_read_forever()
    {
        // /dev/zero reports length 0 and yields zeros for ever; Linux has it (CI runs there), other systems skip the check.
        if (!File.Exists("/dev/zero")) return;
        var err = new StringWriter();
        var run = Task.Run(() => EntryPoint.Run(["lasso-path", "--data", "/dev/zero"], err, new StringWriter()));
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal(EntryPoint.BadInput, await run);
        Assert.Equal("engine: data file '/dev/zero' is not a regular file (it reports no length but has data: a device?).", err.ToString().TrimEnd());
    }
}
