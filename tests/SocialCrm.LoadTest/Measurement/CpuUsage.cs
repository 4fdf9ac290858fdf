using System.Diagnostics;
using System.Globalization;

namespace SocialCrm.LoadTest.Measurement;

/// <summary>
/// Where the CPU went during a window: the whole machine (from /proc/stat), this client, and the
/// service when its process id is known. On a small machine the load generator competes with the
/// service for cores, so a figure without these is hard to read.
/// </summary>
public sealed record CpuUsage(double MachineBusyPercent, double MachineIoWaitPercent, double ClientCores, double? ServerCores)
{
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture,
            $"machine {MachineBusyPercent:0}% busy ({MachineIoWaitPercent:0}% iowait) of {Environment.ProcessorCount} cores; client {ClientCores:0.00} cores")
        + (ServerCores is { } server ? string.Create(CultureInfo.InvariantCulture, $"; service {server:0.00} cores") : "");
}

/// <summary>One reading of the counters <see cref="CpuUsage"/> is the difference of.</summary>
public sealed class CpuSnapshot
{
    // Linux reports /proc times in clock ticks of 1/100 s (USER_HZ) on every mainstream architecture.
    private const double TicksPerSecond = 100.0;

    private readonly long _timestamp = Stopwatch.GetTimestamp();
    private readonly TimeSpan _clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long[]? _machine = ReadMachineTicks();
    private readonly long? _serverTicks;

    private CpuSnapshot(int? serverPid) => _serverTicks = serverPid is { } pid ? ReadProcessTicks(pid) : null;

    public static CpuSnapshot Take(int? serverPid) => new(serverPid);

    public CpuUsage Since(CpuSnapshot start)
    {
        var wallSeconds = Stopwatch.GetElapsedTime(start._timestamp, _timestamp).TotalSeconds;
        if (wallSeconds <= 0) wallSeconds = double.Epsilon;
        double busy = double.NaN, ioWait = double.NaN;
        if (_machine is not null && start._machine is not null)
        {
            // Fields: user nice system idle iowait irq softirq steal.
            var delta = _machine.Zip(start._machine, (now, then) => now - then).ToArray();
            var total = Math.Max(1, delta.Take(8).Sum());
            busy = 100.0 * (total - delta[3] - delta[4]) / total;
            ioWait = 100.0 * delta[4] / total;
        }
        double? server = _serverTicks is { } now && start._serverTicks is { } then ? (now - then) / TicksPerSecond / wallSeconds : null;
        return new CpuUsage(busy, ioWait, (_clientCpu - start._clientCpu).TotalSeconds / wallSeconds, server);
    }

    private static long[]? ReadMachineTicks()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return fields.Length == 8 ? fields : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? ReadProcessTicks(int pid)
    {
        try
        {
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the name.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
