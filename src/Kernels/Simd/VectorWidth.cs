namespace Engine.Kernels.Simd;

/// <summary>The vector width a kernel runs at; the numeric value is the width in bits (0 for the scalar path).</summary>
public enum VectorWidth
{
    /// <summary>One element at a time: the reference path, and the only one on hardware without SIMD.</summary>
    Scalar = 0,

    /// <summary><c>Vector128&lt;T&gt;</c> (SSE or NEON).</summary>
    Vector128 = 128,

    /// <summary><c>Vector256&lt;T&gt;</c> (AVX2).</summary>
    Vector256 = 256,

    /// <summary><c>Vector512&lt;T&gt;</c> (AVX-512).</summary>
    Vector512 = 512,
}
