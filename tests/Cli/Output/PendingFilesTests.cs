using System.Security.Cryptography;
using Engine.Cli.Output;
using Engine.Cli.Overparam;

namespace Engine.Cli.Tests.Output;

/// <summary>
/// A command's files go into place together when it ends, so that a run that fails halfway leaves the output folder as
/// it was, not half this run's and half an earlier run's.
/// </summary>
public class PendingFilesTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("pending-files");
    private readonly string _dir;

    public PendingFilesTests() => _dir = _folder.Path;

    public void Dispose() => _folder.Dispose();

    private string[] Hidden() => Directory.EnumerateFiles(_dir, "*.tmp", SearchOption.AllDirectories).ToArray();

    [Fact]
    public void Files_of_a_run_appear_together_at_its_end_and_not_at_all_when_it_fails()
    {
        string a = Path.Combine(_dir, "a.txt"), b = Path.Combine(_dir, "sub", "b.txt");
        using (PendingFiles run = PendingFiles.Begin())
        {
            AtomicFile.WriteAllText(a, "new a");
            AtomicFile.WriteAllText(b, "first b");
            AtomicFile.WriteAllText(b, "second b");
            Assert.False(File.Exists(a));
            Assert.False(File.Exists(b));
            run.Commit();
        }
        Assert.Equal("new a", File.ReadAllText(a));
        Assert.Equal("second b", File.ReadAllText(b));

        using (PendingFiles.Begin())
        {
            AtomicFile.WriteAllText(a, "lost a");
            Assert.Single(Hidden());
        }
        Assert.Equal("new a", File.ReadAllText(a));
        Assert.Empty(Hidden());

        // Outside a run a file goes into place at once, as the writers called directly (by the tests) expect.
        AtomicFile.WriteAllText(a, "direct a");
        Assert.Equal("direct a", File.ReadAllText(a));
    }

    [Fact]
    public void A_command_that_fails_halfway_leaves_the_earlier_results_as_they_were()
    {
        string[] small = ["width-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40",
            "--epochs", "2", "--widths", "1,2", "--lr-sweep-epochs", "1", "--lrs", "0.001,0.01", "--out", _dir, "--quiet", "--threads", "2"];
        Assert.Equal(0, EntryPoint.Run([.. small, "--seed", "1"], new StringWriter(), TextWriter.Null));
        var before = Hashes();
        // The width sweep's plot cannot be written (a folder has its name): the lr-sweep's files, written before it by
        // the second run, must not replace the first run's.
        string plot = Path.Combine(_dir, "overparam", OverparamFiles.WidthPng);
        File.Delete(plot);
        Directory.CreateDirectory(plot);
        before.Remove(Path.GetRelativePath(_dir, plot));
        var err = new StringWriter();
        Assert.Equal(EntryPoint.BadInput, EntryPoint.Run([.. small, "--seed", "2"], err, TextWriter.Null));
        Assert.Contains("it is an existing folder", err.ToString());
        Assert.Equal(before, Hashes());
        Assert.Empty(Hidden());
    }

    [Fact]
    public void An_lr_sweep_whose_every_rate_diverged_keeps_its_files_though_the_width_sweep_cannot_follow()
    {
        var err = new StringWriter();
        int code = EntryPoint.Run(["width-sweep", "--dim", "12", "--r0", "4", "--outputs", "2", "--batch-size", "4", "--epoch-size", "40",
            "--lr-sweep-epochs", "1", "--lrs", "1e20", "--out", _dir, "--quiet"], err, TextWriter.Null);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.Contains("every learning rate of the lr-sweep diverged", err.ToString());
        Assert.True(File.Exists(Path.Combine(_dir, "overparam", OverparamFiles.LearningRateCsv)));
        Assert.Empty(Hidden());
    }

    [Fact]
    public void A_run_that_does_not_commit_removes_the_folders_it_created_while_they_are_empty()
    {
        string kept = Path.Combine(_dir, "kept"), gone = Path.Combine(_dir, "new", "deeper");
        using (PendingFiles.Begin())
        {
            AtomicFile.WriteAllText(Path.Combine(gone, "a.txt"), "lost");
            AtomicFile.WriteAllText(Path.Combine(kept, "inner", "b.txt"), "lost");
            // Another writer's file in a folder this run created: that folder stays, with the file.
            File.WriteAllText(Path.Combine(kept, "other.txt"), "someone else's");
        }
        Assert.False(Directory.Exists(Path.Combine(_dir, "new")));
        Assert.False(Directory.Exists(Path.Combine(kept, "inner")));
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(kept, "other.txt")));
        Assert.True(Directory.Exists(_dir));

        using (PendingFiles run = PendingFiles.Begin())
        {
            AtomicFile.WriteAllText(Path.Combine(gone, "a.txt"), "kept");
            run.Commit();
        }
        Assert.Equal("kept", File.ReadAllText(Path.Combine(gone, "a.txt")));
    }

    [Fact]
    public void A_command_that_fails_after_creating_its_output_folder_leaves_no_folder_behind()
    {
        // A zero target is found bad only after the output folder was prepared (a Lasso path needs y != 0).
        string data = Path.Combine(_dir, "zero.csv");
        File.WriteAllText(data, "x1,y\n1,0\n2,0\n3,0\n");
        var err = new StringWriter();
        int code = EntryPoint.Run(["lasso-path", "--data", data, "--out", Path.Combine(_dir, "typo", "results")], err, TextWriter.Null);
        Assert.Equal(EntryPoint.BadInput, code);
        Assert.False(Directory.Exists(Path.Combine(_dir, "typo")), err.ToString());
    }

    [Fact]
    public void Temporary_files_of_a_process_that_no_longer_runs_are_removed_when_their_file_is_written_again()
    {
        using var child = System.Diagnostics.Process.Start("true")!;
        child.WaitForExit();
        string target = Path.Combine(_dir, "a.csv");
        string stale = Path.Combine(_dir, $".a.csv.{child.Id}.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(_dir, $".a.csv.1.{Guid.NewGuid():N}.tmp");
        string other = Path.Combine(_dir, $".b.csv.{child.Id}.{Guid.NewGuid():N}.tmp");
        foreach (string f in new[] { stale, live, other }) File.WriteAllText(f, "left by a kill");
        AtomicFile.WriteAllText(target, "whole");
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));   // process 1 runs: its write may still be under way
        Assert.True(File.Exists(other));  // another file's: removed when that file is written
        Assert.Equal("whole", File.ReadAllText(target));
    }

    private Dictionary<string, string> Hashes() =>
        Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
