using System.Runtime.InteropServices;
using Engine.Cli.Output;

// Ctrl+C or a kill stops the process before its files are renamed into place (PendingFiles): their temporary copies
// are deleted first, so the output folder is left as it was, without hidden leftovers.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => PendingFiles.DiscardAll());
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => PendingFiles.DiscardAll());
return Engine.Cli.EntryPoint.Run(args);
