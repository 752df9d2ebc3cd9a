namespace Engine.Experiments.Report;

/// <summary>The experiments <c>engine all</c> runs, in report order (homework 2 first, then homework 3).</summary>
public static class ReportCatalog
{
    public static IReadOnlyList<IReportedExperiment> All { get; } =
    [
        new SelfCheck.SelfCheckExperiment(),
        new Theory.HomogeneityExperiment(),
        new Overparam.OverparamExperiment(),
        new Overparam.LivniBonusExperiment(),
        new Theory.DropoutVariantExperiment(),
        new MinNorm.MinNormReported(),
        new ImplicitL1.ImplicitL1Reported(),
        new MatrixCompletion.MatrixCompletionReport(),
    ];
}
