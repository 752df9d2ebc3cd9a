using System.CommandLine;
using System.Text;
using Engine.Cli.CommandLine;
using Engine.Cli.Output;
using Engine.Cli.Report;
using Engine.Experiments.Theory;

namespace Engine.Cli.Theory;

/// <summary><c>engine homogeneity</c>: homework 2, problem 1 (a)-(c), its CSVs, figure and report section.</summary>
public sealed class HomogeneityCommand : IReportedCommand
{
    public string Folder => "homogeneity";

    public IEnumerable<Command> Create(CommonOptions common)
    {
        var lambda = Options.Double("--lambda", HomogeneityExperiment.DefaultLambda, "Regularization weight lambda", min: 1e-8, minExclusive: false, max: 1e4);
        var command = new Command("homogeneity", "Homework 2, problem 1: positive homogeneity, unbounded minimizers and balanced weights, checked on the rescaling orbit");
        common.AddTo(command, CommonOption.Out | CommonOption.Seed);
        command.Options.Add(lambda);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, Folder);
            ctx.PrepareOutput();
            Write(ctx, HomogeneityExperiment.Run(ctx.Experiment, parse.GetValue(lambda)));
            return 0;
        });
        return [command];
    }

    public ReportSection Report(RunContext ctx) => Write(ctx, HomogeneityExperiment.Run(ctx.Experiment, HomogeneityExperiment.DefaultLambda));

    private static ReportSection Write(RunContext ctx, HomogeneityResult r)
    {
        // The data and the network every part starts from.
        var n = r.Instance;
        Csv.WriteMatrix(ctx.PathOf("X.csv"), n.X, n.Samples, n.Inputs);
        Csv.WriteMatrix(ctx.PathOf("Y.csv"), n.Y, n.Samples, n.Outputs);
        Csv.WriteMatrix(ctx.PathOf("U.csv"), n.U, n.Outputs, n.Hidden);
        Csv.WriteMatrix(ctx.PathOf("V.csv"), n.V, n.Inputs, n.Hidden);
        Csv.WriteColumns(ctx.PathOf("orbit.csv"), ["alpha", "loss", "parameter_norm"],
            [r.Orbit.Select(o => o.Alpha).ToList(), r.Orbit.Select(o => o.Loss).ToList(), r.Orbit.Select(o => o.ParameterNorm).ToList()]);
        Csv.WriteColumns(ctx.PathOf("balanced.csv"), ["initial_ratio", "optimal_ratio", "objective_before", "objective_after"],
            [r.Balance.Select(b => b.InitialRatio).ToList(), r.Balance.Select(b => b.OptimalRatio).ToList(),
             r.Balance.Select(b => b.ObjectiveBefore).ToList(), r.Balance.Select(b => b.ObjectiveAfter).ToList()]);
        Csv.WriteColumns(ctx.PathOf("unbalanced.csv"), ["c", "numeric_ratio", "predicted_ratio"],
            [r.Unbalanced.Select(u => u.C).ToList(), r.Unbalanced.Select(u => u.NumericRatio).ToList(), r.Unbalanced.Select(u => u.PredictedRatio).ToList()]);
        Csv.WriteColumns(ctx.PathOf("gradients.csv"), ["alpha", "norm_ratio_U_over_V", "gradient_norm_ratio_U_over_V"],
            [r.Gradients.Select(g => g.Alpha).ToList(), r.Gradients.Select(g => g.NormRatio).ToList(), r.Gradients.Select(g => g.GradientRatio).ToList()]);
        LinePlot.Save(ctx.PathOf("unbalanced.png"), new Panel(
            "Regularizer (||U|| + ||V||^2): optimal ||U||/||V|| on the rescaling orbit",
            "c = ||U|| ||V||", "||U|| / ||V|| at the orbit optimum",
            [
                new Series("numerical optimum", r.Unbalanced.Select(u => u.C).ToList(), r.Unbalanced.Select(u => u.NumericRatio).ToList(), MarkersOnly: true),
                new Series("(4c)^(1/3)", r.Unbalanced.Select(u => u.C).ToList(), r.Unbalanced.Select(u => u.PredictedRatio).ToList(), Dashed: true),
            ], LogX: true, LogY: true));

        var md = new StringBuilder();
        md.Append($"**(a) Unbounded minimizers.** {HomogeneityConclusion.Unbounded(r)} (`orbit.csv`).\n\n");
        md.Append($"**(b) Balanced minimizers.** {HomogeneityConclusion.BalancedFinding(r)}\n(`balanced.csv`). {HomogeneityConclusion.BalancedAnswer(r)}\n\n");
        md.Append($"**(c) Unbalanced regularizer.** {HomogeneityConclusion.Unbalanced(r)}\n\n");
        md.Append("![optimal ratio against c](homogeneity/unbalanced.png)\n\n");
        md.Append($"**Why (a)-(c) hold for any data and any non-negative loss.** {HomogeneityConclusion.Reasons}\n\n");
        md.Append($"**(d) Why balance helps optimization** (`gradients.csv`). {HomogeneityConclusion.Intuition(r)}\n");
        ReportSection section = new("Homework 2, problem 1: positive homogeneity and balanced weights (engine homogeneity)", md.ToString());
        ctx.Out.Write(md.ToString().Replace("homogeneity/", ""));
        return section;
    }
}
