using System.Diagnostics;
using SocialCrm.Insights;

namespace SocialCrm.Eval;

/// <summary>
/// Messages per second on the calling thread, by the wall clock and by the CPU time the process used
/// (the fairer figure on a machine shared with other work), and bytes allocated per message.
/// </summary>
internal sealed record Throughput(long Messages, double MessagesPerSecond, double MessagesPerCpuSecond, double BytesPerMessage)
{
    public const long MinMessages = 1_000_000;

    public static Throughput Measure(SentimentAnalyzer analyzer, IReadOnlyList<string> texts)
    {
        var checksum = 0.0;
        // Warm-up: let tiered compilation reach its optimised code before the clock starts.
        for (var round = 0; round < 30; round++)
        {
            foreach (var text in texts)
                checksum += analyzer.Analyze(text).Score;
        }

        var rounds = (MinMessages + texts.Count - 1) / texts.Count;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < texts.Count; i++)
                checksum += analyzer.Analyze(texts[i]).Score;
        }
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(checksum);

        var messages = rounds * texts.Count;
        return new Throughput(messages, messages / clock.Elapsed.TotalSeconds, messages / cpu.TotalSeconds, (double)allocated / messages);
    }
}
