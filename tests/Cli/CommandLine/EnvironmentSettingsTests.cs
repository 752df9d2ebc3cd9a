using System.Diagnostics;
using Engine.Cli.CommandLine;

namespace Engine.Cli.Tests.CommandLine;

public class EnvironmentSettingsTests
{
    [Fact]
    public void UsableSettingsGiveNoError()
    {
        Assert.Null(EnvironmentSettings.FirstError(null, null));
        Assert.Contains("ENGINE_MAX_VECTOR_BITS=384: expected 512, 256, 128 or 0", EnvironmentSettings.FirstError(null, "384"));
    }

    [Theory]
    [InlineData("ENGINE_GEMM_VARIANT", "bogus", "ENGINE_GEMM_VARIANT=bogus: no GEMM variant has that name")]
    [InlineData("ENGINE_MAX_VECTOR_BITS", "384", "ENGINE_MAX_VECTOR_BITS=384: expected 512, 256, 128 or 0")]
    public void AMistypedTuningVariableIsOneLineAndExitCodeTwoBeforeAnythingRuns(string variable, string value, string message)
    {
        // The variables are read once per process, so the command runs in a process of its own.
        string dir = Path.Combine(Path.GetTempPath(), $"env-settings-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "engine.dll"), "lr-sweep", "--dim", "5", "--r0", "2", "--outputs", "2",
                     "--epochs", "1", "--epoch-size", "50", "--out", dir })
            start.ArgumentList.Add(arg);
        start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        string err = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(EntryPoint.BadInput, process.ExitCode);
        Assert.StartsWith($"engine: {message}", err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(dir));
    }
}
