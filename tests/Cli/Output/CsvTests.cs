using Engine.Cli.Output;

namespace Engine.Cli.Tests.Output;

/// <summary>The CSV writers refuse NaN and infinities except in the rows of a run that diverged and says so.</summary>
public class CsvTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("csv-tests");
    private readonly string _dir;

    public CsvTests() => _dir = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ColumnsRefuseANonFiniteValueAndWriteNothing(double bad)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Csv.WriteColumns(PathOf("c.csv"), ["a", "b"], [[1.0, 2.0], [3.0, bad]]));
        Assert.Contains("'c.csv', data row 2, column 'b'", e.Message);
        Assert.False(File.Exists(PathOf("c.csv")));
    }

    [Fact]
    public void AShorterColumnLeavesItsLastCellsEmpty()
    {
        Csv.WriteColumns(PathOf("c.csv"), ["epoch", "run"], [[1.0, 2.0, 3.0], [0.5]]);
        Assert.Equal(["epoch,run", "1,0.5", "2,", "3,"], File.ReadAllLines(PathOf("c.csv")));
    }

    [Fact]
    public void RowsRefuseNaNUnlessTheRowSaysItsRunDiverged()
    {
        string[] header = ["eta", "loss", "outcome"];
        Assert.Throws<InvalidOperationException>(() => Csv.WriteRows(PathOf("r.csv"), header, [["0.1", Csv.Number(double.NaN), "Converged"]], divergedColumn: "outcome"));
        Assert.Throws<InvalidOperationException>(() => Csv.WriteRows(PathOf("r.csv"), header, [["0.1", "NaN", "Diverged"]]));
        Assert.Throws<InvalidOperationException>(() => Csv.WriteRows(PathOf("r.csv"), header, [["0.1", "Infinity", "Converged"]], divergedColumn: "outcome"));
        Assert.False(File.Exists(PathOf("r.csv")));

        Csv.WriteRows(PathOf("r.csv"), header, [["0.1", "0.5", "Converged"], ["1", Csv.Number(double.PositiveInfinity), "Diverged"]], divergedColumn: "outcome");
        Assert.Equal(["eta,loss,outcome", "0.1,0.5,Converged", "1,inf,Diverged"], File.ReadAllLines(PathOf("r.csv")));
    }

    [Fact]
    public void AColumnNamedDivergedMarksTheRowsWhereItHoldsAValue()
    {
        string[] header = ["eta", "initial", "diverged_at_epoch"];
        Assert.Throws<InvalidOperationException>(() => Csv.WriteRows(PathOf("s.csv"), header, [["0.1", "inf", ""]], divergedColumn: "diverged_at_epoch"));
        Csv.WriteRows(PathOf("s.csv"), header, [["0.1", "inf", "3"]], divergedColumn: "diverged_at_epoch");
        Assert.Equal("0.1,inf,3", File.ReadAllLines(PathOf("s.csv"))[1]);
        Assert.Throws<ArgumentException>(() => Csv.WriteRows(PathOf("s.csv"), header, [["1", "2", "3"]], divergedColumn: "no_such_column"));
    }

    [Fact]
    public void AMatrixHoldsNonFiniteValuesOnlyFromADivergedRun()
    {
        double[] values = [1, double.NaN, 3, 4];
        Assert.Throws<InvalidOperationException>(() => Csv.WriteMatrix(PathOf("m.csv"), values, 2, 2));
        Csv.WriteMatrix(PathOf("m.csv"), values, 2, 2, fromDivergedRun: true);
        Assert.Equal(["c1,c2", "1,NaN", "3,4"], File.ReadAllLines(PathOf("m.csv")));
    }

    /// <summary>
    /// A matrix of many blocks of rows, formatted on several threads, is the text written cell by cell in order: the
    /// extremes of "R" (the longest cells), negative zero, and the non-finite spellings of a diverged run included.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_matrix_of_many_blocks_is_its_cells_in_order(int threads)
    {
        const int rows = 60_000, cols = 3;
        var values = new double[rows * cols];
        var random = new Random(5);
        for (int i = 0; i < values.Length; i++) values[i] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300));
        double[] extremes = [double.MaxValue, -double.Epsilon, double.MinValue, -2.2250738585072014E-308, -0.0, 0, double.NaN, double.PositiveInfinity, double.NegativeInfinity];
        extremes.CopyTo(values, values.Length - extremes.Length);
        using (Engine.Kernels.Threading.KernelThreads.Limit(threads))
            Csv.WriteMatrix(PathOf("big.csv"), values, rows, cols, fromDivergedRun: true);
        var expected = new System.Text.StringBuilder("c1,c2,c3\n");
        for (int i = 0; i < rows; i++)
            expected.Append(string.Join(',', Enumerable.Range(0, cols).Select(j => Csv.Number(values[i * cols + j])))).Append('\n');
        Assert.Equal(expected.ToString(), File.ReadAllText(PathOf("big.csv")));
    }

    [Fact]
    public void AFailedWriteNamesThePathAskedForNotTheTemporaryFile()
    {
        string file = PathOf("plain-file");
        File.WriteAllText(file, "");
        var e = Assert.Throws<Engine.Cli.CommandLine.UsageException>(() => AtomicFile.WriteAllText(Path.Combine(file, "gaps.csv"), "x"));
        Assert.Contains("is an existing file, not a folder", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        e = Assert.Throws<Engine.Cli.CommandLine.UsageException>(() => AtomicFile.WriteAllText(_dir, "x"));
        Assert.Contains("it is an existing folder", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
    }
}
