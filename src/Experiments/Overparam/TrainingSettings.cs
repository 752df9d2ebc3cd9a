using Engine.Experiments.Overparam.Optimizers;

namespace Engine.Experiments.Overparam;

/// <summary>
/// One SGD run of problem 2 (b): hidden width r, initial step eta, batch size m, number of epochs, the epoch
/// size (10,000 samples in the homework), the halving period of eta, and the initialization scale; for the bonus
/// study also the optimizer and the parameterization (the homework's are SGD and the standard one).
/// </summary>
/// <remarks>
/// An epoch is <see cref="StepsPerEpoch"/> = ceil(EpochSize / m) mini-batches, so when m does not divide the
/// epoch size the epoch holds slightly more than EpochSize samples (every mini-batch keeps its full size m).
/// A run is declared diverged when a mini-batch objective is NaN or infinite, exceeds
/// <see cref="DivergenceFactor"/> times the first mini-batch objective, or the weights stop being finite.
/// </remarks>
public sealed record TrainingSettings(int R, double Eta, int Batch, int Epochs, int EpochSize = 10_000,
    int HalvingPeriod = 50, double InitScale = 1, double DivergenceFactor = 1e6,
    OptimizerKind Optimizer = OptimizerKind.Sgd, Parameterization Parameterization = Parameterization.Standard)
{
    /// <summary>ceil(EpochSize / Batch), in long so that EpochSize + Batch can not overflow; the quotient fits in int.</summary>
    public int StepsPerEpoch => (int)(((long)EpochSize + Batch - 1) / Batch);

    public long SamplesPerEpoch => (long)StepsPerEpoch * Batch;
}
