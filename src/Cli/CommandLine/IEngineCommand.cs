using System.CommandLine;

namespace Engine.Cli.CommandLine;

/// <summary>An entry of the experiment catalog: the sub-commands it adds to <c>engine</c>, in the order <c>--help</c> lists them.</summary>
public interface IEngineCommand
{
    IEnumerable<Command> Create(CommonOptions common);
}
