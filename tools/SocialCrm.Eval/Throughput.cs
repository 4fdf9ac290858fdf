using System.Diagnostics;
using SocialCrm.Insights;

namespace SocialCrm.Eval;

/// <summary>Messages per second on the calling thread, and bytes it allocates per message.</summary>
internal sealed record Throughput(long Messages, double MessagesPerSecond, double BytesPerMessage)
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
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < texts.Count; i++)
                checksum += analyzer.Analyze(texts[i]).Score;
        }
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(checksum);

        var messages = rounds * texts.Count;
        return new Throughput(messages, messages / clock.Elapsed.TotalSeconds, (double)allocated / messages);
    }
}
