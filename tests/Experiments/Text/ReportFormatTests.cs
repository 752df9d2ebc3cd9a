using Engine.Experiments.Text;

namespace Engine.Tests.Experiments.Text;

public class ReportFormatTests
{
    [Theory]
    [InlineData(1e-6, "G3", "1e-6")]
    [InlineData(1804.5, "G2", "1.8e+3")]
    [InlineData(-3.2e-40, "G3", "-3.2e-40")]
    [InlineData(2.07e-1, "0.00e+0", "2.07e-1")]
    [InlineData(0.001, "G3", "0.001")]
    [InlineData(1234.5, "F1", "1234.5")]
    [InlineData(1e300, "R", "1e+300")]
    public void Exponents_read_like_the_e_formats(double x, string format, string expected) =>
        Assert.Equal(expected, string.Format(ReportFormat.Provider, "{0:" + format + "}", x));

    [Fact]
    public void Interpolated_strings_take_it_with_alignment_and_leave_other_values_alone()
    {
        double alpha = 1e-6;
        Assert.Equal("alpha =     1e-6, 12,345 steps, NaN, -Infinity", string.Create(ReportFormat.Provider, $"alpha = {alpha,8:G3}, {12345:N0} steps, {double.NaN}, {double.NegativeInfinity}"));
        Assert.Equal("a = 1e-40 (1E-40 in a CSV cell)", ReportFormat.Invariant($"a = {1e-40:G3}") + " (" + 1e-40.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) + " in a CSV cell)");
    }
}
