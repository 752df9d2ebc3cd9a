using Engine.Experiments.Text;

namespace Engine.Tests.Experiments.Text;

public class CountTextTests
{
    [Theory]
    [InlineData(1, "step", "1 step")]
    [InlineData(0, "width", "0 widths")]
    [InlineData(2, "alpha", "2 alphas")]
    [InlineData(300_000, "step", "300,000 steps")]
    public void A_count_takes_its_noun_in_the_number_it_needs(long n, string noun, string expected) =>
        Assert.Equal(expected, CountText.Of(n, noun));
}
