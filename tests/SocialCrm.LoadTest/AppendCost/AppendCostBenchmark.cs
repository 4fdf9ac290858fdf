using System.Diagnostics;
using System.Globalization;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.AppendCost;

/// <summary>The knobs of the <c>append-cost</c> mode.</summary>
public sealed record AppendCostSettings(Uri Url, string BootstrapKey, int Messages, int Window, int EarlyFrom, TimeSpan MaxDuration, int? ServerPid)
{
    public static AppendCostSettings From(Arguments args)
    {
        var settings = new AppendCostSettings(
            args.LoopbackUrl("url"),
            args.Text("bootstrap-key"),
            args.Int("messages", 10_000, 1, 10_000_000),
            args.Int("window", 100, 1, 1_000_000),
            args.Int("early-from", 10, 1, 1_000_000),
            args.Seconds("max-seconds", 900, 1, 86_400),
            args.Int("server-pid", 0, 0, int.MaxValue) is > 0 and var pid ? pid : null);
        args.RefuseUnknown();
        if (settings.Messages < settings.EarlyFrom + 2 * settings.Window - 1)
            throw new UsageException($"--messages must be at least --early-from + 2 x --window - 1 ({settings.EarlyFrom + 2 * settings.Window - 1}), so the windows do not overlap.");
        return settings;
    }

    /// <summary>Messages [EarlyFrom, EarlyFrom + Window - 1], 1-based.</summary>
    public (int First, int Last) EarlyWindow => (EarlyFrom, EarlyFrom + Window - 1);

    /// <summary>The last <see cref="Window"/> messages.</summary>
    public (int First, int Last) LateWindow => (Messages - Window + 1, Messages);
}

/// <summary>
/// Does an append cost the same at message 10 as at message 10,000? One conversation, one
/// connection, sequential appends; compares the median ack latency of an early and a late window.
/// The design keeps history in the log, not the grain state, so the ratio should stay near 1.
/// </summary>
public static class AppendCostBenchmark
{
    private const string ExternalUserId = "append-cost-user";

    public static async Task<int> RunAsync(AppendCostSettings settings, CancellationToken cancellationToken)
    {
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, connections: 1, cancellationToken);
        Console.WriteLine($"append-cost: {settings.Messages} sequential appends to one conversation over one connection, against {settings.Url} (brand {session.BrandId})");

        var latencies = new double[settings.Messages + 1];
        Array.Fill(latencies, double.NaN);
        var acks = new List<AckedMessage>(settings.Messages);
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        var cpuAtStart = CpuSnapshot.Take(settings.ServerPid);
        var started = Stopwatch.GetTimestamp();
        var sent = 0;
        // Bounded by the count, and by a time limit in case the service slows to a crawl.
        for (var n = 1; n <= settings.Messages && Stopwatch.GetElapsedTime(started) < settings.MaxDuration; n++)
        {
            var externalMessageId = $"append-{n}";
            var sentAt = Stopwatch.GetTimestamp();
            var outcome = await session.SendInboundAsync(externalMessageId, ExternalUserId, $"Message number {n} in one long thread.", cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
            sent = n;
            if (outcome.Accepted is { Duplicate: false } ack)
            {
                latencies[n] = elapsed;
                acks.Add(new AckedMessage(externalMessageId, ack.ConversationId, ack.MessageId, ack.Seq));
            }
            else
            {
                var kind = outcome.Accepted is null ? outcome.ErrorKind ?? "unknown" : "duplicate ack for a new message id";
                errors[kind] = errors.GetValueOrDefault(kind) + 1;
            }
        }
        var wall = Stopwatch.GetElapsedTime(started);
        var cpu = CpuSnapshot.Take(settings.ServerPid).Since(cpuAtStart);

        var (earlyFirst, earlyLast) = settings.EarlyWindow;
        var (lateFirst, lateLast) = settings.LateWindow;
        var early = Slice(latencies, earlyFirst, earlyLast);
        var late = Slice(latencies, lateFirst, lateLast);
        var earlyMedian = Percentiles.Median(early);
        var lateMedian = Percentiles.Median(late);
        var ratio = lateMedian / earlyMedian;
        var verification = await MessageLogVerifier.VerifyAsync(session, acks, readers: 1, cancellationToken);
        var oneConversation = acks.Select(a => a.ConversationId).Distinct().Count() <= 1;

        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(invariant, $"  early window     messages {earlyFirst}..{earlyLast}: median {earlyMedian:0.000} ms, p95 {Percentiles.Of(early.Order().ToArray(), 95):0.000} ms"));
        Console.WriteLine(string.Create(invariant, $"  late window      messages {lateFirst}..{lateLast}: median {lateMedian:0.000} ms, p95 {Percentiles.Of(late.Order().ToArray(), 95):0.000} ms"));
        Console.WriteLine(string.Create(invariant, $"  ratio            late / early median = {ratio:0.000}"));
        var errorKinds = string.Concat(errors.Select(e => $"; {e.Value} x {e.Key}"));
        Console.WriteLine(string.Create(invariant,
            $"  whole run        {acks.Count} acked of {sent} sent in {wall.TotalSeconds:0.0} s ({acks.Count / wall.TotalSeconds:0.0} msgs/s sequential), {errors.Values.Sum()} errors{errorKinds}"));
        Console.WriteLine($"  verified         {verification.Describe()}" + (oneConversation ? "" : "  ** ACKS NAMED SEVERAL CONVERSATIONS **"));
        Console.WriteLine($"  cpu              {cpu.Describe()}");

        var complete = sent == settings.Messages && early.Length > 0 && late.Length > 0;
        if (!complete) Console.WriteLine($"  note             stopped after {sent} of {settings.Messages} messages (--max-seconds), or a window has no acked message.");
        var passed = verification.Passed && oneConversation && complete;
        Console.WriteLine(string.Create(invariant,
            $"RESULT mode=append-cost messages={settings.Messages} early_first={earlyFirst} early_last={earlyLast} early_median_ms={earlyMedian:0.000} " +
            $"late_first={lateFirst} late_last={lateLast} late_median_ms={lateMedian:0.000} ratio={ratio:0.000} " +
            $"errors={errors.Values.Sum()} acked={acks.Count} verified={verification.Verified} verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }

    /// <summary>The acked latencies of messages first..last (1-based, inclusive); failed sends leave no sample.</summary>
    private static double[] Slice(double[] latencies, int first, int last) =>
        latencies[first..(last + 1)].Where(l => !double.IsNaN(l)).ToArray();
}
