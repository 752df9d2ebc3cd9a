using System.Text;
using Engine.Experiments.SelfCheck;

namespace Engine.Tests.Kernels.Elementwise;

public class ElementwiseSelfCheckTests
{
    [Fact]
    public void EveryKernelLineIsPrintedAndCorrectOnThisMachine()
    {
        var text = new StringBuilder();
        bool ok = ElementwiseSelfCheck.Append(text);
        string[] lines = text.ToString().TrimEnd().Split('\n');
        Assert.True(ok, text.ToString());
        Assert.Contains("variant", lines[0]);
        Assert.Equal(15, lines.Length - 1);
        Assert.All(lines.Skip(1), line => Assert.Matches(@"diff +\S+ +ok +\d+(\.\d)? (GB/s|M normals/s)", line));
    }
}
