using Engine.Experiments.Overparam.Optimizers;
using Engine.Kernels.Blas;
using Engine.Kernels.Random;

namespace Engine.Experiments.Overparam;

/// <summary>
/// The state of one SGD run of problem 2 (b) as it consumes mini-batches: the network and its step buffers, the
/// step size of the current epoch (halved every 50 epochs), the running sum of the epoch's mini-batch objectives,
/// and divergence detection. Feeding it batches allocates nothing.
/// </summary>
public sealed class SgdRun
{
    private readonly ShallowReluNetwork _network;
    private readonly ITrainingStep _step;
    private readonly double[] _objective;
    private readonly Action? _epochDone;
    private long _batches;
    private int _epoch;
    private int _stepInEpoch;
    private double _sum;
    private float _eta;
    private double _initial = double.NaN;
    private int? _divergedAt;
    private int _divergedStep;
    private string? _cause;
    private readonly double[] _firstSteps = new double[RecordedSteps];

    /// <summary>How many of a run's first mini-batch objectives it keeps (<see cref="TrainingCurve.FirstSteps"/>): enough steps to replay and compare, few enough to write.</summary>
    public const int RecordedSteps = 50;

    /// <summary>The initial network of a run of <paramref name="settings"/> on <paramref name="planted"/>'s sizes, drawn from <paramref name="initSampler"/>.</summary>
    public static ShallowReluNetwork InitialNetwork(PlantedNetwork planted, TrainingSettings settings, NormalSampler initSampler) =>
        settings.Parameterization.Initialize(initSampler, planted.D, settings.R, planted.N, settings.InitScale);

    /// <param name="epochDone">Called after each completed epoch (for progress).</param>
    public SgdRun(PlantedNetwork planted, TrainingSettings settings, NormalSampler initSampler, Action? epochDone = null)
    {
        Settings = settings;
        _network = InitialNetwork(planted, settings, initSampler);
        // The homework's runs keep the step they were measured and tested with; the bonus study's go through OptimizerStep.
        _step = settings is { Optimizer: OptimizerKind.Sgd, Parameterization: Parameterization.Standard }
            ? new SgdStep(_network, settings.Batch)
            : new OptimizerStep(_network, settings.Batch, settings.Optimizer, settings.Parameterization.OutputScale(settings.R));
        _objective = new double[settings.Epochs];
        _epochDone = epochDone;
        _eta = (float)LearningRateSchedule.At(settings.Eta, 0, settings.HalvingPeriod);
    }

    /// <summary>
    /// A copy of <paramref name="from"/> that goes on as a run of <paramref name="settings"/> (see <see cref="ContinueAs"/>):
    /// its weights, its completed epochs and the state of the epoch under way, with buffers of its own.
    /// </summary>
    private SgdRun(SgdRun from, TrainingSettings settings, Action? epochDone)
    {
        Settings = settings;
        _network = from._network.Copy();
        _step = new SgdStep(_network, settings.Batch);
        _objective = new double[settings.Epochs];
        from._objective.AsSpan(0, from._epoch).CopyTo(_objective);
        _epochDone = epochDone;
        _batches = from._batches;
        _epoch = from._epoch;
        _stepInEpoch = from._stepInEpoch;
        _sum = from._sum;
        _initial = from._initial;
        from._firstSteps.CopyTo(_firstSteps, 0);
        // The expression the constructor and each epoch's end use, so the step is the one a run of these settings takes here.
        _eta = (float)LearningRateSchedule.At(settings.Eta, _epoch, settings.HalvingPeriod);
    }

    public TrainingSettings Settings { get; }

    /// <summary>The epochs this run has completed.</summary>
    public int CompletedEpochs => _epoch;

    /// <summary>The mini-batches this run has trained on, counted from its first.</summary>
    public long Batches => _batches;

    /// <summary>
    /// Whether this run can go on as a run of <paramref name="longer"/>: the same settings with as many epochs or more,
    /// not diverged, and the homework's SGD, whose step keeps nothing from one batch to the next (momentum and Adam keep
    /// their moments, which a copy would have to carry too).
    /// </summary>
    public bool CanContinueAs(TrainingSettings longer) =>
        _step is SgdStep && _divergedAt is null && longer.Epochs >= Settings.Epochs && Settings with { Epochs = longer.Epochs } == longer;

    /// <summary>
    /// A copy of this run that goes on as a run of <paramref name="longer"/> (see <see cref="CanContinueAs"/>); this run is
    /// left as it is. Fed the batches that follow the <see cref="Batches"/> this run has taken, the copy's curve is, bit for
    /// bit, the one a run of <paramref name="longer"/> gives from the start: the step size depends on the epoch alone, and
    /// the weights, the epoch's running sum and the first batch's objective are carried over.
    /// </summary>
    /// <param name="epochDone">Called after each epoch the copy completes.</param>
    public SgdRun ContinueAs(TrainingSettings longer, Action? epochDone = null)
    {
        if (!CanContinueAs(longer))
            throw new ArgumentException("A run goes on only as a run of its own settings with as many epochs or more, and only an SGD run that has not diverged.", nameof(longer));
        return new SgdRun(this, longer, epochDone);
    }

    /// <summary>True once every epoch is done or the run diverged; further batches are ignored.</summary>
    public bool Done => _divergedAt is not null || _epoch == Settings.Epochs;

    /// <summary>One SGD step on the mini-batch X (m x D), Y (m x n).</summary>
    public void Train(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (Done) return;
        _batches++;
        double batchObjective = _step.Apply(x, y, _eta);
        if (double.IsNaN(_initial)) _initial = batchObjective;
        if (_batches <= RecordedSteps) _firstSteps[_batches - 1] = batchObjective;
        if (!double.IsFinite(batchObjective) || batchObjective > Settings.DivergenceFactor * _initial)
        {
            // The growth as it was, with the limit it passed: the limit alone would understate a jump of many orders.
            Diverge(double.IsFinite(batchObjective)
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"objective grew {batchObjective / _initial:0.#e0}-fold; limit {Settings.DivergenceFactor:0e0}-fold")
                : "objective not finite");
            return;
        }
        _sum += batchObjective;
        if (++_stepInEpoch < Settings.StepsPerEpoch) return;

        // Weights can turn non-finite in the last step of an epoch while every objective seen was finite.
        if (!float.IsFinite(Blas1.MaxAbs(_network.U)) || !float.IsFinite(Blas1.MaxAbs(_network.V)))
        {
            Diverge("weights not finite");
            return;
        }
        _objective[_epoch] = _sum / Settings.StepsPerEpoch;
        _epoch++;
        _stepInEpoch = 0;
        _sum = 0;
        if (_epoch < Settings.Epochs) _eta = (float)LearningRateSchedule.At(Settings.Eta, _epoch, Settings.HalvingPeriod);
        _epochDone?.Invoke();
    }

    /// <summary>The curve so far: the objective of each completed epoch, and where and why it diverged if it did.</summary>
    public TrainingCurve Curve() => new(Settings, _objective[.._epoch], _divergedAt, _initial, _divergedAt is null ? null : _divergedStep, _cause,
        _firstSteps[..(int)Math.Min(_batches, RecordedSteps)]);

    /// <summary>Stops the run in the current step (counted from 1 within the epoch) for <paramref name="cause"/>.</summary>
    private void Diverge(string cause)
    {
        _divergedAt = _epoch + 1;
        _divergedStep = Math.Min(_stepInEpoch + 1, Settings.StepsPerEpoch);
        _cause = cause;
    }
}
