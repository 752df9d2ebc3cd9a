using Engine.Cli.CommandLine;
using Engine.Cli.Overparam;

namespace Engine.Cli.Tests.Overparam;

/// <summary>The planted weights and summaries that problem 2's results are written with.</summary>
public class OverparamInstanceFilesTests
{
    private static readonly string[] Small = ["--r0", "3", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40", "--quiet", "--threads", "1"];

    [Fact]
    public void EachResultKeepsTheWeightsItWasComputedFromWhenAnotherCommandWritesTheSameFolder()
    {
        using var temporary = new TemporaryFolder("overparam-instance-", create: false);
        string dir = temporary.Path;
        Assert.Equal(0, EntryPoint.Run(["lr-sweep", "--dim", "12", "--epochs", "1", "--lrs", "0.01", "--out", dir, .. Small]));
        Assert.Equal(0, EntryPoint.Run(["width-sweep", "--dim", "14", "--epochs", "1", "--widths", "1", "--lr", "0.01", "--out", dir, .. Small]));
        string folder = Path.Combine(dir, OverparamCommand.Name);
        // V0 is D x r0, one entry per row below the header: the lr sweep's stays 12 x 3 beside lr-sweep.csv.
        Assert.Equal(1 + 12 * 3, File.ReadAllLines(Path.Combine(folder, OverparamFiles.V0Csv(OverparamFiles.LearningRate))).Length);
        Assert.Equal(1 + 14 * 3, File.ReadAllLines(Path.Combine(folder, OverparamFiles.V0Csv(OverparamFiles.Width))).Length);
        Assert.Equal(1 + 2 * 3, File.ReadAllLines(Path.Combine(folder, OverparamFiles.U0Csv(OverparamFiles.Width))).Length);
    }

    [Fact]
    public void SummariesNameEachColumnOnce()
    {
        using var temporary = new TemporaryFolder("overparam-instance-", create: false);
        string dir = temporary.Path;
        Assert.Equal(0, EntryPoint.Run(["width-sweep", "--dim", "10", "--epochs", "1", "--widths", "1,2", "--lrs", "0.001,0.01",
            "--lr-sweep-epochs", "1", "--out", dir, .. Small]));
        string folder = Path.Combine(dir, OverparamCommand.Name);
        string lr = File.ReadAllLines(Path.Combine(folder, OverparamFiles.LearningRateSummaryCsv))[0];
        string width = File.ReadAllLines(Path.Combine(folder, OverparamFiles.WidthSummaryCsv))[0];
        Assert.Equal("r,eta,final_objective,diverged_at_epoch,diverged_at_step_in_epoch,diverged_at_run_step,divergence_cause,initial_batch_objective,batch,epochs,epoch_size,halving_period,init_scale,divergence_factor", lr);
        Assert.Equal("r_over_r0,r,eta,final_objective,diverged_at_epoch,diverged_at_step_in_epoch,diverged_at_run_step,divergence_cause,initial_batch_objective,batch,epochs,epoch_size,halving_period,init_scale,divergence_factor", width);
    }
}
