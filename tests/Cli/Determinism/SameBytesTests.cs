using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Engine.Kernels.Simd;

namespace Engine.Cli.Tests.Determinism;

/// <summary>
/// The same seed and options give the same CSV bytes at every vector width this machine has (forced in-process, the
/// way <c>ENGINE_MAX_VECTOR_BITS</c> caps it), and the same bytes as the golden hashes in
/// <c>tests/Cli/Data/golden-hashes.txt</c>, taken on another machine: CI alternates AMD and Intel CPUs, so the file
/// checks across CPUs too. Every command runs a small form of itself.
/// </summary>
/// <remarks>
/// After a deliberate change of the numbers, regenerate the file with
/// <c>ENGINE_UPDATE_GOLDEN=1 dotnet test tests/Cli -c Release --filter SameBytes</c> and commit it with the change.
/// </remarks>
public class SameBytesTests
{
    public const string UpdateVariable = "ENGINE_UPDATE_GOLDEN";

    /// <summary>The small form of every experiment command: name, then its options (a command may have more than one).</summary>
    public static readonly string[][] QuickForms =
    [
        ["homogeneity"],
        ["planted-check", "--dim", "30", "--r0", "8", "--batch-size", "10", "--batches", "3"],
        ["lr-sweep", "--dim", "30", "--r0", "8", "--epochs", "2", "--epoch-size", "200", "--lrs", "0.001,0.01"],
        ["width-sweep", "--dim", "30", "--r0", "8", "--epochs", "2", "--epoch-size", "200", "--widths", "1,2", "--lr", "0.01"],
        ["livni-bonus", "--quick", "--settings", "homework,adam", "--seeds", "2", "--epochs", "1"],
        // Momentum is not in the short form's settings; a second form of a command writes to a folder of its own.
        ["livni-bonus", "--settings", "momentum", "--seeds", "2", "--epochs", "1"],
        ["dropout-variant", "--samples", "2000", "--trials", "1", "--ms", "2,3"],
        ["min-norm", "--steps", "200"],
        ["implicit-l1", "--quick", "--steps", "3000", "--sweep-smallest", "1e-6", "--init-scales", "0.01", "--lrs", "0.3,1",
            "--interpolation-steps", "20000"],
        ["matrix-completion", "--dim", "10", "--fractions", "0.5", "--init-scales", "0.01", "--lrs", "0.2", "--steps", "500"],
        // --seed draws only the cross-validation folds, so the Lasso path runs with --cv.
        ["lasso-path", "--data", Path.Combine(AppContext.BaseDirectory, "Data", "lasso", "wide.csv"), "--cv", "3", "--intercept"],
    ];

    /// <summary>The commands that run in parallel and report progress, and so take --threads and --quiet.</summary>
    private static readonly HashSet<string> Threaded = ["lr-sweep", "width-sweep", "livni-bonus", "dropout-variant", "implicit-l1", "matrix-completion"];

    [Fact]
    public void Every_width_writes_the_golden_bytes()
    {
        Dictionary<string, string>? reference = null;
        VectorWidth referenceWidth = VectorWidth.Scalar;
        foreach (VectorWidth width in SimdDispatch.Available)
        {
            Dictionary<string, string> hashes;
            using (SimdDispatch.Force(width)) hashes = RunAll();
            if (reference is null)
            {
                (reference, referenceWidth) = (hashes, width);
                continue;
            }
            string changed = Differences(reference, hashes);
            Assert.True(changed.Length == 0, $"{width} wrote other bytes than {referenceWidth}: {changed}");
        }

        string golden = GoldenPath();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllLines(golden, reference!.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value}  {p.Key}"));
            return;
        }
        Assert.True(File.Exists(golden), $"no golden hashes at {golden}; run with {UpdateVariable}=1 to write them");
        var expected = File.ReadAllLines(golden).Where(l => l.Length > 0)
            .Select(l => l.Split("  ", 2)).ToDictionary(p => p[1], p => p[0]);
        string differences = Differences(expected, reference!);
        Assert.True(differences.Length == 0,
            $"this machine ({referenceWidth}) wrote other bytes than the golden hashes: {differences}. If the change is deliberate, run with {UpdateVariable}=1 and commit the file.");
    }

    /// <summary>Runs every quick form into a fresh folder and returns the SHA-256 of every CSV by relative path.</summary>
    private static Dictionary<string, string> RunAll()
    {
        using var temporary = new TemporaryFolder("same-bytes-", create: false);
        string root = temporary.Path;
        var hashes = new Dictionary<string, string>();
        var forms = new Dictionary<string, int>();
        foreach (string[] form in QuickForms)
        {
            int earlier = forms[form[0]] = forms.GetValueOrDefault(form[0]) + 1;
            string dir = Path.Combine(root, earlier == 1 ? form[0] : $"{form[0]}-{earlier}");
            var err = new StringWriter();
            string[] shared = Threaded.Contains(form[0]) ? ["--threads", "2", "--quiet"] : [];
            int code = EntryPoint.Run([.. form, "--out", dir, "--seed", "7", .. shared], err, TextWriter.Null);
            Assert.True(code == 0, $"{string.Join(' ', form)} failed: {err}");
            foreach (string file in Directory.EnumerateFiles(dir, "*.csv", SearchOption.AllDirectories))
            {
                string name = Path.GetRelativePath(root, file).Replace('\\', '/');
                hashes[name] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant();
            }
        }
        return hashes;
    }

    /// <summary>The files whose hashes differ, are missing or are new, one phrase each; empty when none.</summary>
    private static string Differences(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual)
    {
        var lines = new List<string>();
        foreach (var (name, hash) in expected.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(name, out string? other)) lines.Add($"{name} missing");
            else if (other != hash) lines.Add($"{name} changed");
        }
        lines.AddRange(actual.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"{k} new"));
        return string.Join("; ", lines);
    }

    private static string GoldenPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source))!, "Data", "golden-hashes.txt");
}
