using System.Diagnostics;
using System.Globalization;

namespace SocialCrm.LoadTest.Measurement;

/// <summary>One reading of a process's resident memory from <c>/proc/&lt;pid&gt;/status</c> (Linux), in bytes.</summary>
public readonly record struct MemoryReading(long ResidentBytes, long PeakResidentBytes)
{
    /// <summary>VmRSS and VmHWM of the process, or null when they cannot be read (not Linux, process gone).</summary>
    public static MemoryReading? Of(int pid)
    {
        try
        {
            long rss = -1, hwm = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line);
            }
            return rss < 0 || hwm < 0 ? null : new MemoryReading(rss * 1024, hwm * 1024);
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

    /// <summary>
    /// Resets the process's VmHWM to its current VmRSS (writing 5 to <c>/proc/&lt;pid&gt;/clear_refs</c>,
    /// Linux 4.0+, as its owner or root), so that the next VmHWM is the peak since now. False when refused.
    /// </summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>Reads a process's VmRSS every few milliseconds in the background and keeps the highest value seen.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxResident = -1;
    private int _samples;

    private MemorySampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _interval = interval;
        _loop = Task.Run(LoopAsync);
    }

    public static MemorySampler Start(int pid, TimeSpan interval) => new(pid, interval);

    /// <summary>The highest VmRSS sampled, or -1 when none could be read.</summary>
    public long MaxResidentBytes => Interlocked.Read(ref _maxResident);

    public int Samples => Volatile.Read(ref _samples);

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LoopAsync()
    {
        // Bounded: it ends when stopped, or after an hour whatever happens.
        var started = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested && Stopwatch.GetElapsedTime(started) < TimeSpan.FromHours(1))
        {
            if (MemoryReading.Of(_pid) is { } reading)
            {
                Interlocked.Increment(ref _samples);
                long seen;
                while (reading.ResidentBytes > (seen = Interlocked.Read(ref _maxResident))
                       && Interlocked.CompareExchange(ref _maxResident, reading.ResidentBytes, seen) != seen)
                {
                }
            }
            await Task.Delay(_interval, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
