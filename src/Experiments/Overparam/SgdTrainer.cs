using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// Problem 2 (b): SGD on f(U, V) = E 1/2 ||y - U relu(V^T x)||^2 over fresh mini-batches of the planted stream,
/// eta halved every 50 epochs, the average mini-batch objective logged per epoch, divergence detected.
/// </summary>
public static class SgdTrainer
{
    /// <summary>
    /// Trains a network of width <c>settings.R</c> initialized from <paramref name="initSampler"/> on batches drawn
    /// from <paramref name="dataSampler"/>. <paramref name="epochDone"/> is called after each epoch (for progress).
    /// </summary>
    public static TrainingCurve Train(PlantedNetwork planted, TrainingSettings settings, NormalSampler initSampler,
        NormalSampler dataSampler, Action? epochDone = null)
    {
        var run = new SgdRun(planted, settings, initSampler, epochDone);
        var stream = new PlantedStream(planted, dataSampler, settings.Batch);
        while (!run.Done)
        {
            stream.Next();
            run.Train(stream.X, stream.Y);
        }
        return run.Curve();
    }
}
