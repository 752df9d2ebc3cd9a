namespace Engine.Kernels.Calculus;

/// <summary>What one row of a derivative check probed.</summary>
public enum DerivativeCheckKind
{
    /// <summary>One coordinate axis e_i: the partial derivative (a gradient entry, or a Jacobian column).</summary>
    Coordinate,

    /// <summary>A seeded random direction d: the directional derivative <c>g^T d</c> (or <c>J d</c>).</summary>
    Direction,
}
