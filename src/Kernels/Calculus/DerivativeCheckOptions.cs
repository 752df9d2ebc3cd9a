namespace Engine.Kernels.Calculus;

/// <summary>
/// How <see cref="GradientCheck"/> and <see cref="JacobianCheck"/> probe a function: which coordinates, how many
/// random directions, the noise allowed in one evaluation of the function, and the safety factor on the derived
/// tolerance. The defaults suit a function computed in double precision.
/// </summary>
public sealed record DerivativeCheckOptions
{
    /// <summary>The default <see cref="NoiseLevel"/>: 16 units in the last place, <c>2^-48</c> (about 3.6e-15).</summary>
    /// <remarks>
    /// A function of a few hundred operations computed in double precision rarely carries more rounding error than
    /// this relative to its own magnitude; where it does, the measured noise (<see cref="MeasureNoise"/>) and the
    /// truncation estimate, which both see the noise actually present, take over.
    /// </remarks>
    public const double DoublePrecisionNoise = 1.0 / (1L << 48);

    /// <summary>
    /// The coordinates to check, each at most once; null for all of them unless <see cref="CoordinateSample"/> is set.
    /// </summary>
    public IReadOnlyList<int>? Coordinates { get; init; }

    /// <summary>
    /// When set, check this many distinct coordinates drawn uniformly with <see cref="Seed"/> instead of all of them
    /// (for large n; the random directions still involve every coordinate). Cannot be combined with
    /// <see cref="Coordinates"/>.
    /// </summary>
    public int? CoordinateSample { get; init; }

    /// <summary>The number of random directions d checked beside the coordinates (default 8; 0 for none).</summary>
    public int Directions { get; init; } = 8;

    /// <summary>Seeds the coordinate sample and the random directions, so a check is reproducible.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The multiple of the estimated error that a difference may reach and still pass (default 2). The rounding part
    /// of the estimate is a bound only as far as the noise level is right, and the truncation part is one sample of a
    /// gap that noise also moves; the factor covers both. Raising it trades sensitivity for fewer false alarms.
    /// </summary>
    public double Safety { get; init; } = 2;

    /// <summary>
    /// The stated relative noise of one evaluation: |computed f - exact f| &lt;= NoiseLevel * |f| near the point,
    /// and likewise for the claimed derivative. The check uses the larger of this and the noise it measures (see
    /// <see cref="MeasureNoise"/>). It sets the first step and the rounding part of the tolerance. Default
    /// <see cref="DoublePrecisionNoise"/>; state more for a function whose value is far smaller than the terms it is
    /// computed from, or for one computed in single precision (about 1e-7 times the number of terms it sums).
    /// </summary>
    public double NoiseLevel { get; init; } = DoublePrecisionNoise;

    /// <summary>
    /// Whether to measure the function's noise at the point before checking (default true): nine evaluations along a
    /// seeded direction, spaced about 1e-6 of each coordinate's scale, whose high-order differences reveal the noise.
    /// A measured level above <see cref="NoiseLevel"/> replaces it.
    /// </summary>
    public bool MeasureNoise { get; init; } = true;

    /// <summary>
    /// The first step relative to each coordinate's scale; null for <c>eps^(1/5)</c>, eps the noise level the check
    /// settles on (stated or measured), where the truncation error of the fourth-order estimate and the rounding error
    /// balance (about 1.3e-3 in double precision).
    /// </summary>
    public double? RelativeStep { get; init; }

    /// <summary>
    /// The typical magnitude of each coordinate: coordinate i is stepped by <c>RelativeStep * max(|x_i|, scale_i)</c>.
    /// Null for 1 everywhere. Give it when a coordinate near zero varies on a scale far from 1 (a weight of size
    /// 1e-6, say), so that its step is not far larger than the coordinate.
    /// </summary>
    public IReadOnlyList<double>? TypicalScales { get; init; }

    /// <summary>
    /// How many times a row may shrink its step eightfold when the truncation estimate exceeds what rounding can
    /// explain (default 3). Each refinement costs six more evaluations for that row only.
    /// </summary>
    public int MaxRefinements { get; init; } = 3;

    /// <summary>Throws if an option is out of range for a point of <paramref name="inputs"/> coordinates.</summary>
    internal void Validate(int inputs)
    {
        if (!(Safety >= 1 && double.IsFinite(Safety)))
            throw new ArgumentOutOfRangeException(nameof(Safety), "The safety factor must be finite and at least 1.");
        if (!(NoiseLevel > 0 && NoiseLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(NoiseLevel), "The noise level must be in (0, 1).");
        if (RelativeStep is double step && !(step > 0 && step <= 1))
            throw new ArgumentOutOfRangeException(nameof(RelativeStep), "The relative step must be in (0, 1].");
        if (Directions < 0)
            throw new ArgumentOutOfRangeException(nameof(Directions), "The number of directions cannot be negative.");
        if (MaxRefinements < 0 || MaxRefinements > 10)
            throw new ArgumentOutOfRangeException(nameof(MaxRefinements), "The number of refinements must be between 0 and 10.");
        if (Coordinates is not null && CoordinateSample is not null)
            throw new ArgumentException("Give either an explicit coordinate list or a sample size, not both.");
        if (CoordinateSample is int k && (k < 0 || k > inputs))
            throw new ArgumentOutOfRangeException(nameof(CoordinateSample), $"The coordinate sample must be between 0 and n = {inputs}.");
        if (Coordinates is not null)
        {
            var seen = new HashSet<int>();
            foreach (int i in Coordinates)
            {
                if (i < 0 || i >= inputs)
                    throw new ArgumentOutOfRangeException(nameof(Coordinates), $"Coordinate {i} is outside 0..{inputs - 1}.");
                if (!seen.Add(i)) throw new ArgumentException($"Coordinate {i} is listed twice.", nameof(Coordinates));
            }
        }
        if (TypicalScales is not null)
        {
            if (TypicalScales.Count != inputs)
                throw new ArgumentException($"Give one typical scale per coordinate ({inputs}).", nameof(TypicalScales));
            foreach (double s in TypicalScales)
                if (!(s > 0 && double.IsFinite(s)))
                    throw new ArgumentOutOfRangeException(nameof(TypicalScales), "Every typical scale must be positive and finite.");
        }
    }
}
