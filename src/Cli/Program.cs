using System.Runtime.InteropServices;
using Engine.Cli.Output;

// Ctrl+C or a kill stops the process before its files are renamed into place (PendingFiles): their temporary copies
// are deleted first, so the output folder is left as it was, without hidden leftovers. Where a platform does not offer
// a signal, the command runs without that cleanup.
using var interrupt = OnSignal(PosixSignal.SIGINT);
using var terminate = OnSignal(PosixSignal.SIGTERM);
return Engine.Cli.EntryPoint.Run(args);

static PosixSignalRegistration? OnSignal(PosixSignal signal)
{
    try
    {
        return PosixSignalRegistration.Create(signal, _ => PendingFiles.DiscardAll());
    }
    catch (PlatformNotSupportedException)
    {
        return null;
    }
}
