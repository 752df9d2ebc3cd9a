using Engine.Kernels.Random;

namespace Engine.Experiments.GradCheck;

/// <summary>A hand-written gradient of the engine, checked against central differences on random inputs.</summary>
public interface IGradientCheck
{
    /// <summary>What objective this is, e.g. "planted network: 1/2 ||y - U relu(V^T x)||^2".</summary>
    string Name { get; }

    /// <summary>Draws a random instance from <paramref name="sampler"/> and checks every parameter block.</summary>
    IReadOnlyList<GradientBlockCheck> Run(NormalSampler sampler);
}
