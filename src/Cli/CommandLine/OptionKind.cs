namespace Engine.Cli.CommandLine;

/// <summary>What the value of an option is; every option of one name has one kind in every command.</summary>
public enum OptionKind
{
    /// <summary>A whole number, e.g. <c>--epochs 20</c>.</summary>
    WholeNumber,
    /// <summary>A finite real number, e.g. <c>--lr 1e-3</c>.</summary>
    Number,
    /// <summary>A comma-separated list of finite real numbers, one run per value, e.g. <c>--lrs 1e-3,1e-2</c>.</summary>
    Numbers,
    /// <summary>A comma-separated list of whole numbers, one run per value, e.g. <c>--ms 2,3,5</c>.</summary>
    WholeNumbers,
    /// <summary>A seed: a whole number from 0 to 2^64 - 1.</summary>
    Seed,
    /// <summary>A comma-separated list of distinct names, e.g. <c>--settings homework,adam</c>.</summary>
    Names,
    /// <summary>Non-empty text, e.g. a column name.</summary>
    Text,
    /// <summary>The path of a file.</summary>
    File,
    /// <summary>The path of a folder.</summary>
    Folder,
    /// <summary>A switch that takes no value.</summary>
    Flag,
}
