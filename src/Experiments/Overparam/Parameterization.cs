using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// How the trained network f(x) = alpha U relu(V^T x) is scaled with its width r. V entries always start
/// N(0, s^2 / D) for the initialization scale s.
/// </summary>
/// <remarks>
/// <para><b>Standard</b> (the homework's): alpha = 1, U entries N(0, s^2 / r).</para>
/// <para><b>Ntk</b>: alpha = 1 / sqrt(r), U entries N(0, s^2). The function at initialization has the same law as the
/// standard one (from the same draws it is the same function), but the gradient with respect to U is 1/sqrt(r) as
/// large and the tangent kernel stays O(1) as r grows, so one step size suits every width.</para>
/// <para><b>MeanField</b>: alpha = 1 / r, U entries N(0, s^2): the output starts O(1/sqrt(r)), every unit's gradient
/// is O(1/r), so the step size must grow in proportion to r for the units to move at all (the study scales it so).</para>
/// </remarks>
public enum Parameterization
{
    Standard,
    Ntk,
    MeanField,
}

/// <summary>The output multiplier and initialization of each <see cref="Parameterization"/>.</summary>
public static class ParameterizationScaling
{
    /// <summary>The multiplier alpha of the output U relu(V^T x) for hidden width <paramref name="r"/>.</summary>
    public static float OutputScale(this Parameterization p, int r) => p switch
    {
        Parameterization.Standard => 1f,
        Parameterization.Ntk => (float)(1 / Math.Sqrt(r)),
        Parameterization.MeanField => (float)(1.0 / r),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>The standard deviation of the initial U entries for initialization scale <paramref name="scale"/>.</summary>
    public static double OutputWeightStd(this Parameterization p, int r, double scale) =>
        p == Parameterization.Standard ? scale / Math.Sqrt(r) : scale;

    /// <summary>
    /// A network of width <paramref name="r"/> initialized for this parameterization from <paramref name="sampler"/>
    /// (U first, then V, as <see cref="ShallowReluNetwork.Initialize"/> does, so the standard case is that method).
    /// </summary>
    public static ShallowReluNetwork Initialize(this Parameterization p, NormalSampler sampler, int d, int r, int n, double scale)
    {
        if (p == Parameterization.Standard) return ShallowReluNetwork.Initialize(sampler, d, r, n, scale);
        var network = new ShallowReluNetwork(d, r, n);
        sampler.Fill(network.U, 0f, (float)p.OutputWeightStd(r, scale));
        sampler.Fill(network.V, 0f, (float)(scale / Math.Sqrt(d)));
        return network;
    }

    /// <summary>The name used in files and tables: "standard", "ntk" or "mean-field".</summary>
    public static string Name(this Parameterization p) => p switch
    {
        Parameterization.Standard => "standard",
        Parameterization.Ntk => "ntk",
        Parameterization.MeanField => "mean-field",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };
}
