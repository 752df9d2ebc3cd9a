using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Engine.Experiments.Context;

/// <summary>
/// The CPU time of the calling thread: unlike the wall clock, it does not run while the thread waits for a core, so a
/// job timed with it costs the same whether it ran alone or beside other work. Linux and macOS are read through
/// clock_gettime, Windows through GetThreadTimes; elsewhere the wall clock stands in.
/// </summary>
internal static partial class ThreadCpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds, Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    [LibraryImport("kernel32.dll")]
    private static partial nint GetCurrentThread();

    [LibraryImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetThreadTimes(nint thread, out long creation, out long exit, out long kernel, out long user);

    // CLOCK_THREAD_CPUTIME_ID: 3 on Linux, 16 on macOS.
    private static readonly int s_clock = OperatingSystem.IsLinux() ? 3 : OperatingSystem.IsMacOS() ? 16 : -1;

    /// <summary>Whether <see cref="Seconds"/> is thread CPU time (false: the wall clock stands in).</summary>
    public static bool IsCpuTime { get; } = OperatingSystem.IsWindows() || (s_clock >= 0 && Probe());

    /// <summary>Seconds of CPU the calling thread has used (or, where <see cref="IsCpuTime"/> is false, wall seconds).</summary>
    public static double Seconds()
    {
        if (OperatingSystem.IsWindows())
        {
            if (GetThreadTimes(GetCurrentThread(), out _, out _, out long kernel, out long user)) return (kernel + user) * 1e-7; // 100-ns units
        }
        else if (IsCpuTime && ClockGetTime(s_clock, out Timespec t) == 0)
            return t.Seconds + t.Nanoseconds * 1e-9;
        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    private static bool Probe()
    {
        try { return ClockGetTime(s_clock, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }
}
