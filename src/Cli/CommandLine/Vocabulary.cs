using System.CommandLine;
using System.Text;

namespace Engine.Cli.CommandLine;

/// <summary>One word of the command line: an option's name, the kind of its value, and what it means in every command.</summary>
public sealed record OptionWord(string Name, OptionKind Kind, string Meaning);

/// <summary>
/// The one vocabulary of <c>engine</c>'s options. A name means one thing and takes one kind of value in every command
/// that uses it; a single value has a singular name (<c>--lr</c>) and a list of values, one run each, its plural
/// (<c>--lrs</c>). The option factories (<see cref="Options"/>) refuse a name that is not here or a kind that differs,
/// so a new option joins the vocabulary before any command can use it, and the README's table is checked against it.
/// </summary>
public static class Vocabulary
{
    public static IReadOnlyList<OptionWord> All { get; } =
    [
        // Every command that runs an experiment
        new("--out", OptionKind.Folder, "folder the results are written to, each experiment's in a subfolder of its own (e.g. overparam/)"),
        new("--seed", OptionKind.Seed, "seed of every random draw; the same seed gives the same numbers whatever --threads is"),
        new("--threads", OptionKind.WholeNumber, "threads used for independent runs and inside the kernels (all cores by default)"),
        new("--quiet", OptionKind.Flag, "no progress output; results only (all: only the report file, no console lines)"),
        new("--quick", OptionKind.Flag, "every experiment at reduced size: the same questions at a fraction of the cost"),
        new("--trials", OptionKind.WholeNumber, "independent random instances, each from its own split of --seed"),
        // Sizes of a problem
        new("--dim", OptionKind.WholeNumber, "the dimension D: inputs of the network, or the side of the D x D matrix"),
        new("--outputs", OptionKind.WholeNumber, "output dimension n of the network"),
        new("--r0", OptionKind.WholeNumber, "hidden width r0 of the planted network"),
        new("--rows", OptionKind.WholeNumber, "n, rows of A"),
        new("--cols", OptionKind.WholeNumber, "m, columns of A (coordinates of x)"),
        new("--rank", OptionKind.WholeNumber, "rank k of the ground truth"),
        new("--sparsity", OptionKind.WholeNumber, "nonzeros of x*"),
        new("--width", OptionKind.Number, "hidden width as a multiple of r0"),
        new("--widths", OptionKind.Numbers, "hidden widths as multiples of r0, one run each"),
        new("--fractions", OptionKind.Numbers, "fractions of the entries observed, one regime each"),
        // Training and descent
        new("--lr", OptionKind.Number, "step size eta"),
        new("--lrs", OptionKind.Numbers, "step sizes eta, one run each"),
        new("--init-scale", OptionKind.Number, "scale of the initialization"),
        new("--init-scales", OptionKind.Numbers, "scales of the initialization, one run each"),
        new("--batch-size", OptionKind.WholeNumber, "mini-batch size m"),
        new("--batches", OptionKind.WholeNumber, "number of mini-batches drawn"),
        new("--epoch-size", OptionKind.WholeNumber, "samples per epoch"),
        new("--epochs", OptionKind.WholeNumber, "epochs per run"),
        new("--seeds", OptionKind.WholeNumber, "planted networks and initializations per setting, one run each"),
        new("--settings", OptionKind.Names, "names of the settings to run"),
        new("--time-steps", OptionKind.Flag, "only measure the time of a training step and project the run time"),
        new("--steps", OptionKind.WholeNumber, "gradient-descent steps (the budget; matrix-completion's runs also stop at --tol)"),
        new("--record-every", OptionKind.WholeNumber, "record the iterate every this many steps"),
        new("--confirm-lr", OptionKind.Number, "step size of the runs to interpolation at --init-scales"),
        new("--lrs-init-scale", OptionKind.Number, "scale of the initialization of the runs at --lrs"),
        new("--interpolation-tol", OptionKind.Number, "a run to interpolation stops when ||A w - y|| is at most this times ||y||"),
        new("--interpolation-steps", OptionKind.WholeNumber, "step budget of a run to interpolation"),
        new("--sweep-smallest", OptionKind.Number, "smallest initialization scale of the sweep of exact limits"),
        new("--sweep-density", OptionKind.WholeNumber, "points per decade of the sweep of exact limits"),
        new("--lr-sweep-epochs", OptionKind.WholeNumber, "epochs of the lr-sweep that picks --lr when it is not given"),
        new("--lr-sweep-width", OptionKind.Number, "width (a multiple of r0) of the lr-sweep that picks --lr when it is not given"),
        // Other quantities
        new("--lambda", OptionKind.Number, "regularization weight lambda"),
        new("--samples", OptionKind.WholeNumber, "Monte Carlo draws per check"),
        new("--ms", OptionKind.WholeNumbers, "numbers m of sampled factors, one check each"),
        new("--match-tol", OptionKind.Number, "two solutions are one point when their largest difference is at most this fraction of the largest coefficient"),
        new("--tol", OptionKind.Number, "tolerance at which the solver stops: the duality gap relative to ||y||^2 (Lasso), the training loss (matrix completion)"),
        new("--sdp-tol", OptionKind.Number, "accuracy the SDP certificate must reach"),
        new("--sdp-iterations", OptionKind.WholeNumber, "iteration budget of the SDP solver"),
        new("--n-alphas", OptionKind.WholeNumber, "number of alphas on the grid"),
        new("--eps", OptionKind.Number, "smallest alpha as a fraction of the largest"),
        // Data and switches
        new("--data", OptionKind.File, "the data file"),
        new("--target", OptionKind.Text, "name of the target column in the header row"),
        new("--gaps-out", OptionKind.File, "CSV file for the alphas and their duality gaps"),
        new("--exact", OptionKind.Flag, "the exact path by homotopy instead of a grid"),
        new("--positive", OptionKind.Flag, "nonnegative coefficients"),
        new("--intercept", OptionKind.Flag, "fit an intercept"),
        new("--standardize", OptionKind.Flag, "scale every feature to unit standard deviation before fitting (coefficients reported on the original scale)"),
        new("--weights", OptionKind.Text, "name of the header column that holds per-sample weights"),
        new("--l1-ratio", OptionKind.Number, "elastic-net mixing in (0, 1]; 1 is the Lasso"),
        new("--precompute", OptionKind.Text, "the Lasso solver: auto, gram or residual"),
        new("--cv", OptionKind.WholeNumber, "folds of a K-fold cross-validation (0 for none)"),
        new("--repeat", OptionKind.WholeNumber, "times to repeat a timed run, reporting the best"),
        new("--time-kernels", OptionKind.Flag, "also time every kernel variant"),
    ];

    /// <summary>The word named <paramref name="name"/>; fails when it is missing or has another kind.</summary>
    public static OptionWord Require(string name, OptionKind kind)
    {
        OptionWord word = All.FirstOrDefault(w => w.Name == name)
            ?? throw new InvalidOperationException($"option {name} is not in the vocabulary (src/Cli/CommandLine/Vocabulary.cs); add it there first.");
        if (word.Kind != kind)
            throw new InvalidOperationException($"option {name} is a {TypeName(word.Kind)} in the vocabulary, not a {TypeName(kind)}.");
        return word;
    }

    /// <summary>How the README's table and error messages name a kind.</summary>
    public static string TypeName(OptionKind kind) => kind switch
    {
        OptionKind.WholeNumber => "whole number",
        OptionKind.Number => "number",
        OptionKind.Numbers => "list of numbers",
        OptionKind.WholeNumbers => "list of whole numbers",
        OptionKind.Names => "list of names",
        OptionKind.Seed => "whole number from 0 to 2^64 - 1",
        OptionKind.Text => "text",
        OptionKind.File => "file",
        OptionKind.Folder => "folder",
        _ => "flag",
    };

    /// <summary>The placeholder <c>--help</c> shows after the option, e.g. <c>--lr &lt;number&gt;</c>.</summary>
    public static string? HelpName(OptionKind kind) => kind switch
    {
        OptionKind.WholeNumber or OptionKind.Seed => "int",
        OptionKind.Number => "number",
        OptionKind.Numbers or OptionKind.WholeNumbers or OptionKind.Names => "list",
        OptionKind.Text => "text",
        OptionKind.File => "file",
        OptionKind.Folder => "folder",
        _ => null,
    };

    /// <summary>
    /// The README's table of options: one row per word some command uses, with the commands that use it in
    /// <c>engine --help</c> order.
    /// </summary>
    public static string MarkdownTable(Command root)
    {
        var text = new StringBuilder();
        text.Append("| option | meaning | type | commands |\n| --- | --- | --- | --- |\n");
        foreach (OptionWord word in All)
        {
            string[] commands = root.Subcommands.Where(c => c.Options.Any(o => o.Name == word.Name)).Select(c => c.Name).ToArray();
            if (commands.Length == 0) continue;
            string users = commands.Length == root.Subcommands.Count(c => !c.Hidden) ? "all" : string.Join(", ", commands.Select(c => $"`{c}`"));
            text.Append($"| `{word.Name}` | {word.Meaning} | {TypeName(word.Kind)} | {users} |\n");
        }
        return text.ToString();
    }
}
