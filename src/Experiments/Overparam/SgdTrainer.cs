using Engine.Kernels.Blas;
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
        var network = ShallowReluNetwork.Initialize(initSampler, planted.D, settings.R, planted.N, settings.InitScale);
        var stream = new PlantedStream(planted, dataSampler, settings.Batch);
        var step = new SgdStep(network, settings.Batch);
        var objective = new double[settings.Epochs];
        double initial = double.NaN;
        int steps = settings.StepsPerEpoch;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            float eta = (float)LearningRateSchedule.At(settings.Eta, epoch, settings.HalvingPeriod);
            double sum = 0;
            for (int s = 0; s < steps; s++)
            {
                stream.Next();
                double batchObjective = step.Apply(stream.X, stream.Y, eta);
                if (epoch == 0 && s == 0) initial = batchObjective;
                if (!double.IsFinite(batchObjective) || batchObjective > settings.DivergenceFactor * initial)
                    return new TrainingCurve(settings, objective[..epoch], epoch + 1, initial);
                sum += batchObjective;
            }
            if (!WeightsAreFinite(network))
                return new TrainingCurve(settings, objective[..epoch], epoch + 1, initial);
            objective[epoch] = sum / steps;
            epochDone?.Invoke();
        }
        return new TrainingCurve(settings, objective, null, initial);
    }

    private static bool WeightsAreFinite(ShallowReluNetwork network) =>
        float.IsFinite(Blas1.MaxAbs(network.U)) && float.IsFinite(Blas1.MaxAbs(network.V));
}
