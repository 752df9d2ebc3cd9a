using Engine.Kernels.Random;

namespace Engine.Experiments.GradCheck;

/// <summary>A hand-written gradient of the engine, checked through <see cref="Kernels.Calculus.GradientCheck"/> on random instances.</summary>
public interface IGradientCheck
{
    /// <summary>What objective this is, e.g. "planted network: (1/2m) sum ||y - U relu(V^T x)||^2".</summary>
    string Name { get; }

    /// <summary>Draws a random instance from <paramref name="sampler"/> and returns every parameter block with its gradient.</summary>
    IReadOnlyList<GradientBlock> Draw(NormalSampler sampler);
}
