using Engine.Kernels.FlowLimit;
using Engine.Kernels.Random;
using static Engine.Tests.Kernels.FlowLimit.FlowLimitCases;

namespace Engine.Tests.Kernels.FlowLimit;

public class ForcedZeroTests
{
    /// <summary>
    /// A face of the cone by construction: row 0 of A is positive on the coordinates in <paramref name="face"/> and
    /// zero elsewhere, and x* avoids them, so y_0 = 0 and every w &gt;= 0 with A w = y vanishes on the face. With
    /// <paramref name="mixed"/> the rows are then mixed by a random matrix (y computed afresh from the mixed A),
    /// which hides the face from view and leaves it exact only up to rounding.
    /// </summary>
    private static FlowLimitCase OnAFace(ulong seed, int[] face, bool mixed)
    {
        var c = Homework(seed, 8, 16, 4);
        var sampler = new NormalSampler(seed, 99);
        var a = (double[])c.A.Clone();
        for (int j = 0; j < c.M; j++) a[j] = face.Contains(j) ? 0.5 + sampler.NextDouble() : 0;
        var x = new double[c.M];
        for (int j = 0; j < c.M; j++) if (!face.Contains(j) && j % 3 != 0) x[j] = 0.2 + sampler.NextDouble();
        if (mixed)
        {
            var mix = new double[c.N * c.N];
            sampler.Fill(mix);
            var product = new double[c.N * c.M];
            for (int i = 0; i < c.N; i++)
                for (int t = 0; t < c.N; t++)
                    for (int j = 0; j < c.M; j++) product[i * c.M + j] += mix[i * c.N + t] * a[t * c.M + j];
            a = product;
        }
        return new FlowLimitCase(a, c.N, c.M, Multiply(a, c.N, c.M, x), x);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Coordinates_on_a_face_are_detected_and_the_rest_is_solved(bool mixed)
    {
        int[] face = [1, 4, 5, 11];
        var c = OnAFace(3, face, mixed);
        var projection = new EntropicProjection(c.A, c.N, c.M, c.Y);
        Assert.Equal(face, projection.ForcedZeros);
        foreach (double a in new[] { 1, 1e-3, 1e-30 })
        {
            var result = projection.Solve(a);
            Assert.Equal(face, result.ForcedZeros);
            AssertEntropicKkt(c, Enumerable.Repeat(2 * Math.Log(a), c.M).ToArray(), result, $"mixed {mixed}, a = {a:E0}");
        }
    }

    [Fact]
    public void An_interior_target_has_no_forced_zeros()
    {
        var c = Homework(1);
        Assert.Empty(new EntropicProjection(c.A, c.N, c.M, c.Y).ForcedZeros);
    }

    [Fact]
    public void A_target_that_only_a_null_vector_can_reach_keeps_every_coordinate_on_it()
    {
        // y = 0 with A = [1 -1 0]: feasible points are (t, t, 0), so w_2 is forced to zero and the projection of the
        // prior p onto { w1 = w2 } is the geometric mean.
        double[] a = [1, -1, 0, 0, 0, 1];
        var result = new EntropicProjection(a, 2, 3, [0, 0]).Solve([4.0, 9.0, 1.0]);
        Assert.Equal([2], result.ForcedZeros);
        Assert.True(result.Converged);
        Assert.Equal(6, result.W[0], 12);
        Assert.Equal(6, result.W[1], 12);
        Assert.Equal(0, result.W[2]);
    }

    [Fact]
    public void A_target_outside_the_cone_is_rejected()
    {
        // Row 0 of A is positive, so A w has a positive first entry for every nonzero w >= 0; y_0 < 0 is out of reach.
        var c = Homework(5, 6, 12, 3);
        var a = (double[])c.A.Clone();
        for (int j = 0; j < c.M; j++) a[j] = 1 + 0.1 * j;
        var y = Multiply(a, c.N, c.M, c.XStar);
        y[0] = -0.5;
        var error = Assert.Throws<ArgumentException>(() => new EntropicProjection(a, c.N, c.M, y));
        Assert.Contains("cone", error.Message);
    }

    [Fact]
    public void A_target_just_off_a_face_on_the_outside_is_rejected()
    {
        // Row 0 of A is nonnegative, so y_0 = -1e-3 is outside the cone, by a little.
        int[] face = [1, 4, 5, 11];
        var c = OnAFace(4, face, mixed: false);
        var y = (double[])c.Y.Clone();
        y[0] = -1e-3;
        Assert.Throws<ArgumentException>(() => new EntropicProjection(c.A, c.N, c.M, y));
    }
}
