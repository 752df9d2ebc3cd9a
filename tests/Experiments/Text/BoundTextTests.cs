using System.Globalization;
using Engine.Experiments.Text;
using FsCheck.Xunit;

namespace Engine.Tests.Experiments.Text;

public class BoundTextTests
{
    [Theory]
    [InlineData(0.25992, "F3", "0.259")] // rounding to nearest gives 0.260, above the smallest gap it bounds
    [InlineData(0.2591, "F3", "0.259")]
    [InlineData(6.04e-6, "E1", "6.0e-6")]
    [InlineData(9.96, "G2", "9")] // to nearest: 10, above the value
    public void AtLeastPrintsNoMoreThanTheValue(double x, string format, string expected) =>
        Assert.Equal(expected, BoundText.AtLeast(x, format));

    [Theory]
    [InlineData(6.36e-6, "E1", "6.4e-6")]
    [InlineData(6.34e-6, "E1", "6.4e-6")] // to nearest: 6.3e-6, below the worst deviation it bounds
    [InlineData(0.4301, "F2", "0.44")]
    [InlineData(0.43, "F2", "0.43")]
    [InlineData(9.96e-3, "E1", "1.0e-2")]
    public void AtMostPrintsNoLessThanTheValue(double x, string format, string expected) =>
        Assert.Equal(expected, BoundText.AtMost(x, format));

    [Property(MaxTest = 500)]
    public void BothBoundsHoldAndStayWithinOneLastDigit(int mantissa, sbyte exponent, byte formatPick)
    {
        double x = mantissa / 1e6 * Math.Pow(10, exponent % 20);
        string format = new[] { "E0", "E1", "E2", "F1", "F3", "G2", "G3", "G4" }[formatPick % 8];
        double up = double.Parse(BoundText.AtMost(x, format), CultureInfo.InvariantCulture);
        double down = double.Parse(BoundText.AtLeast(x, format), CultureInfo.InvariantCulture);
        double nearest = double.Parse(x.ToString(format, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Assert.True(up >= x && down <= x, $"{x} in {format}: up {up}, down {down}");
        // Each bound is the nearest rounding or the one next to it in the last digit, never further.
        Assert.True(up == nearest || down == nearest, $"{x} in {format}: neither bound is the nearest rounding {nearest}");
    }
}
