using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Experiments.Cli;
using Engine.Experiments.Output;
using Engine.Experiments.Report;

namespace Engine.Experiments.Theory;

/// <summary>The numbers behind homework 2, problem 1, as written by <c>engine homogeneity</c>.</summary>
public sealed record HomogeneityResult(
    IReadOnlyList<(double Alpha, double Loss, double ParameterNorm)> Orbit,
    double MaxLossDeviation,
    IReadOnlyList<(double InitialRatio, double OptimalRatio, double ObjectiveBefore, double ObjectiveAfter)> Balance,
    IReadOnlyList<(double C, double NumericRatio, double PredictedRatio)> Unbalanced);

/// <summary><c>engine homogeneity</c>: homework 2, problem 1 (a)-(c), illustrated on the rescaling orbit.</summary>
public sealed class HomogeneityExperiment : IReportedExperiment
{
    public string Folder => "homogeneity";

    public static HomogeneityResult Compute(RunContext ctx, double lambda)
    {
        var net = new HomogeneousNetwork(inputs: 20, hidden: 8, outputs: 3, samples: 200, ctx.Sampler(11));

        // (a) The loss is constant along (a U, V / a) while the parameter norm grows without bound.
        var orbit = new List<(double, double, double)>();
        double loss1 = net.Loss(1), worst = 0;
        for (int e = -3; e <= 3; e++)
        {
            double a = Math.Pow(10, e), loss = net.Loss(a);
            worst = Math.Max(worst, Math.Abs(loss - loss1) / loss1);
            orbit.Add((a, loss, Math.Sqrt(a * a * net.NormU * net.NormU + net.NormV * net.NormV / (a * a))));
        }

        // (b) Under lambda/2 (||U||^2 + ||V||^2), the best point of every orbit is balanced, and strictly better
        // than any unbalanced point of it: a minimizer must be balanced.
        var balance = new List<(double, double, double, double)>();
        double[] u0 = (double[])net.U.Clone();
        foreach (double s in new[] { 0.01, 0.1, 1, 10, 100 })
        {
            for (int i = 0; i < u0.Length; i++) net.U[i] = s * u0[i];
            double before = net.Loss(1) + lambda / 2 * (net.NormU * net.NormU + net.NormV * net.NormV);
            OrbitOptimum best = Homogeneity.MinimizeOnOrbit(net, lambda, powerU: 2);
            balance.Add((net.NormU / net.NormV, best.Ratio, before, best.Objective));
        }
        u0.CopyTo(net.U, 0);

        // (c) Under lambda/2 (||U|| + ||V||^2), the best point of the orbit has ratio (4c)^(1/3): balanced only at c = 1/4.
        var unbalanced = new List<(double, double, double)>();
        foreach (double c in new[] { 0.01, 0.03, 0.1, 0.25, 0.5, 1, 3, 10 })
        {
            Homogeneity.ScaleProductTo(net, c);
            OrbitOptimum best = Homogeneity.MinimizeOnOrbit(net, lambda, powerU: 1);
            unbalanced.Add((c, best.Ratio, Homogeneity.PredictedRatioUnbalanced(c)));
        }
        return new HomogeneityResult(orbit, worst, balance, unbalanced);
    }

    public ReportSection Run(RunContext ctx) => Write(ctx, Compute(ctx, lambda: 0.1), lambda: 0.1);

    public static Command Create(CommonOptions common)
    {
        var lambda = Options.Double("--lambda", 0.1, "Regularization weight lambda (1e-8 to 1e4)", min: 1e-8, minExclusive: false, max: 1e4);
        var command = new Command("homogeneity", "Homework 2, problem 1: positive homogeneity, unbounded minimizers and balanced weights, checked on the rescaling orbit");
        command.Options.Add(lambda);
        command.SetAction(parse =>
        {
            RunContext ctx = common.Read(parse, "homogeneity");
            ctx.PrepareOutput();
            double l = parse.GetValue(lambda);
            Write(ctx, Compute(ctx, l), l);
            return 0;
        });
        return command;
    }

    private static ReportSection Write(RunContext ctx, HomogeneityResult r, double lambda)
    {
        Csv.WriteColumns(ctx.PathOf("orbit.csv"), ["alpha", "loss", "parameter_norm"],
            [r.Orbit.Select(o => o.Alpha).ToList(), r.Orbit.Select(o => o.Loss).ToList(), r.Orbit.Select(o => o.ParameterNorm).ToList()]);
        Csv.WriteColumns(ctx.PathOf("balanced.csv"), ["initial_ratio", "optimal_ratio", "objective_before", "objective_after"],
            [r.Balance.Select(b => b.InitialRatio).ToList(), r.Balance.Select(b => b.OptimalRatio).ToList(),
             r.Balance.Select(b => b.ObjectiveBefore).ToList(), r.Balance.Select(b => b.ObjectiveAfter).ToList()]);
        Csv.WriteColumns(ctx.PathOf("unbalanced.csv"), ["c", "numeric_ratio", "predicted_ratio"],
            [r.Unbalanced.Select(u => u.C).ToList(), r.Unbalanced.Select(u => u.NumericRatio).ToList(), r.Unbalanced.Select(u => u.PredictedRatio).ToList()]);
        LinePlot.Save(ctx.PathOf("unbalanced.png"), new Panel(
            "Regularizer (||U|| + ||V||^2): optimal ||U||/||V|| on the rescaling orbit",
            "c = ||U|| ||V||", "||U|| / ||V|| at the orbit optimum",
            [
                new Series("numerical optimum", r.Unbalanced.Select(u => u.C).ToList(), r.Unbalanced.Select(u => u.NumericRatio).ToList(), MarkersOnly: true),
                new Series("(4c)^(1/3)", r.Unbalanced.Select(u => u.C).ToList(), r.Unbalanced.Select(u => u.PredictedRatio).ToList(), Dashed: true),
            ], LogX: true, LogY: true));

        var inv = CultureInfo.InvariantCulture;
        double worstBalance = r.Balance.Max(b => Math.Abs(b.OptimalRatio - 1));
        double worstFormula = r.Unbalanced.Max(u => Math.Abs(u.NumericRatio / u.PredictedRatio - 1));
        var quarter = r.Unbalanced.First(u => u.C == 0.25);
        bool allImproved = r.Balance.Where(b => Math.Abs(b.InitialRatio - 1) > 1e-3).All(b => b.ObjectiveAfter < b.ObjectiveBefore);
        // Each conclusion is stated only when the numbers above back it, with thresholds far above rounding error.
        bool lossConstant = r.MaxLossDeviation < 1e-9;
        bool balanced = allImproved && worstBalance < 1e-3;
        double otherRatioGap = r.Unbalanced.Where(u => u.C != 0.25).Min(u => Math.Abs(u.NumericRatio - 1));
        bool cubeRootLaw = worstFormula < 1e-3 && Math.Abs(quarter.NumericRatio - 1) < 1e-3 && otherRatioGap > 1e-2;
        var md = new StringBuilder();
        md.Append(string.Create(inv, $"""
            **(a) Unbounded minimizers.** Along the orbit (a U, V / a), a from 1e-3 to 1e3, the loss changes by at most
            {r.MaxLossDeviation:0.0e+0} (relative) while the parameter norm goes from {r.Orbit[3].ParameterNorm:G4} to
            {r.Orbit[^1].ParameterNorm:G4}: {(lossConstant ? "every minimizer lies on an unbounded curve of minimizers" : "the loss is NOT constant on the orbit, against positive homogeneity")} (`orbit.csv`).

            **(b) Balanced minimizers.** With lambda = {lambda:G3}, the best point of each orbit has ||U||/||V|| within
            {worstBalance:E1} of 1, starting from ratios {string.Join(", ", r.Balance.Select(b => b.InitialRatio.ToString("G3", inv)))};
            rebalancing {(allImproved ? "strictly lowered" : "did NOT always lower")} the regularized objective of every unbalanced start
            (`balanced.csv`). {(balanced
                ? "So a global minimizer must be balanced, and since lambda ||U|| ||V|| = lambda ||U||^2 is bounded by the objective, the set of minimizers is bounded."
                : "These numbers do NOT show that minimizers are balanced.")}

            **(c) Unbalanced regularizer.** With lambda/2 (||U|| + ||V||^2), the derivation gives the orbit optimum the ratio (4c)^(1/3): the numerical
            optimum differs from this formula by at most {worstFormula:E1} (relative) for c from {r.Unbalanced[0].C:G3} to {r.Unbalanced[^1].C:G3};
            at c = 1/4 the ratio is {quarter.NumericRatio:F6}, and at every other c it is at least {otherRatioGap:F3} away from 1.
            {(cubeRootLaw ? "Balanced exactly when c = 1/4." : "These numbers do NOT confirm that the optimum is balanced only at c = 1/4.")}

            ![optimal ratio against c](homogeneity/unbalanced.png)

            """));
        ReportSection section = new("Homework 2, problem 1: positive homogeneity and balanced weights (engine homogeneity)", md.ToString());
        ctx.Out.Write(md.ToString().Replace("homogeneity/", ""));
        return section;
    }
}
