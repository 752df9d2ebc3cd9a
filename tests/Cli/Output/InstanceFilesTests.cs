namespace Engine.Cli.Tests.Output;

/// <summary>Every experiment writes the instance its answer rests on, so an independent solver can reproduce it.</summary>
public class InstanceFilesTests
{
    [Theory]
    [InlineData("min-norm", "min-norm", "A.csv y.csv x0.csv")]
    [InlineData("homogeneity", "homogeneity", "X.csv Y.csv U.csv V.csv")]
    [InlineData("dropout-variant --samples 200 --trials 2 --ms 2", "dropout-variant",
        "instance0_X.csv instance0_U.csv instance0_V.csv instance1_X.csv gradient-bias_X.csv gradient-bias_U.csv gradient-bias_V.csv")]
    [InlineData("matrix-completion --dim 8 --rank 1 --fractions 0.5 --init-scales 0.01 --lrs 0.1 --steps 500", "matrix-completion",
        "U0.csv Y_fraction0.5.csv omega_fraction0.5.csv X_nuc_fraction0.5.csv")]
    public void The_instance_is_written_with_a_header(string command, string folder, string files)
    {
        using var temporary = new TemporaryFolder("instance-files-", create: false);
        string dir = temporary.Path;
        var err = new StringWriter();
        int code = EntryPoint.Run([.. command.Split(' '), "--out", dir], err, TextWriter.Null);
        Assert.True(code == 0, err.ToString());
        foreach (string file in files.Split(' '))
        {
            string path = Path.Combine(dir, folder, file);
            Assert.True(File.Exists(path), $"{command}: {file} missing");
            string[] lines = File.ReadAllLines(path);
            Assert.True(lines.Length >= 2, $"{file} has no data row");
            Assert.DoesNotContain(lines[0].Split(','), h => double.TryParse(h, System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.All(lines.Skip(1), l => Assert.Equal(lines[0].Split(',').Length, l.Split(',').Length));
        }
    }
}
