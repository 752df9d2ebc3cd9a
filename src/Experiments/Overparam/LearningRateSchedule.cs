namespace Engine.Experiments.Overparam;

/// <summary>The step-size schedule of problem 2 (b): eta is halved every <c>halvingPeriod</c> epochs (50 in the homework).</summary>
public static class LearningRateSchedule
{
    /// <summary>The step size during epoch <paramref name="epoch"/> (counted from 0): eta0 * 0.5^floor(epoch / halvingPeriod).</summary>
    public static double At(double eta0, int epoch, int halvingPeriod = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(halvingPeriod, 1);
        return eta0 * Math.Pow(0.5, epoch / halvingPeriod);
    }
}
