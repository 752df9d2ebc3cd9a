using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Engine.Experiments.Context;

/// <summary>
/// The CPU time of the calling thread: unlike the wall clock, it does not run while the thread waits for a core, so a
/// job timed with it costs the same whether it ran alone or beside other work. Linux and macOS are read through
/// clock_gettime (to the microsecond or better), Windows through GetThreadTimes, which advances only with the
/// scheduler's tick (about 15.6 ms: jobs shorter than that read as zero or one tick); elsewhere the wall clock stands in.
/// </summary>
internal static partial class ThreadCpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        // time_t and long: the native word on every platform .NET runs on.
        public nint Seconds, Nanoseconds;
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

    /// <summary>The step of the clock in seconds: the scheduler's tick on Windows, a microsecond (or better) elsewhere.</summary>
    public static double Resolution { get; } = OperatingSystem.IsWindows() ? 0.0156 : 1e-6;

    /// <summary>Whether <see cref="Seconds"/> is thread CPU time (false: the wall clock stands in).</summary>
    public static bool IsCpuTime { get; } = OperatingSystem.IsWindows() ? GetThreadTimes(GetCurrentThread(), out _, out _, out _, out _) : s_clock >= 0 && Probe();

    /// <summary>Seconds of CPU the calling thread has used (or, where <see cref="IsCpuTime"/> is false, wall seconds).</summary>
    public static double Seconds()
    {
        if (!IsCpuTime) return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        // The clock answered when probed; a reading that fails later would mix clocks, so it is an error, not a fallback.
        if (OperatingSystem.IsWindows())
            return GetThreadTimes(GetCurrentThread(), out _, out _, out long kernel, out long user)
                ? (kernel + user) * 1e-7 // 100-ns units
                : throw new InvalidOperationException("GetThreadTimes failed for the current thread.");
        return ClockGetTime(s_clock, out Timespec t) == 0
            ? t.Seconds + t.Nanoseconds * 1e-9
            : throw new InvalidOperationException("clock_gettime failed for the thread's CPU clock.");
    }

    private static bool Probe()
    {
        try { return ClockGetTime(s_clock, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }
}
