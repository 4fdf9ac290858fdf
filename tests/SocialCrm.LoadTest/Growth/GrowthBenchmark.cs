using System.Diagnostics;
using System.Globalization;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Seeding;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.Growth;

public sealed record GrowthSettings(Uri Url, string BootstrapKey, SeedTarget Target, long[] Steps, int PerConversation, int Samples,
    int Connections, int Probes)
{
    public static GrowthSettings From(Arguments args)
    {
        var steps = args.Text("steps", "10000,10000000").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                : throw new UsageException("--steps must be increasing message counts, e.g. 10000,10000000."))
            .ToArray();
        if (!steps.Zip(steps.Skip(1)).All(p => p.First < p.Second)) throw new UsageException("--steps must increase.");
        var settings = new GrowthSettings(
            args.LoopbackUrl("url"),
            args.Text("bootstrap-key"),
            SeedTarget.From(args),
            steps,
            args.Int("messages-per-conversation", 100, 1, 100_000),
            args.Int("samples", 1000, 10, 1_000_000),
            args.Int("connections", 4, 1, 256),
            args.Int("probes", 20, 1, 1000));
        args.RefuseUnknown();
        return settings;
    }
}

/// <summary>
/// Cost flat as data grows: the reads an agent makes all day (the inbox's first page, a conversation,
/// its latest page of messages, a customer's profile), timed with little data and again after the
/// brand's log has grown to millions of messages (seeded straight into the database: conversations
/// of <c>--messages-per-conversation</c> messages each). The probes (customers and conversations
/// read) are made over HTTP, so they are ordinary data the service wrote itself.
/// </summary>
public static class GrowthBenchmark
{
    private sealed record Probe(string CustomerId, string ConversationId, long LastSeq);

    private sealed record Timing(string Query, double P50, double P99, int Errors);

    public static async Task<int> RunAsync(GrowthSettings settings, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, settings.Connections, cancellationToken);
        Console.WriteLine(string.Create(invariant,
            $"growth: brand {session.BrandId}; steps {string.Join(", ", settings.Steps)} messages; {settings.Samples} samples of each read with {settings.Connections} connections"));

        var probes = await MakeProbesAsync(session, settings, cancellationToken);
        long stored = probes.Sum(p => p.LastSeq);
        var run = DateTime.UtcNow.ToString("HHmmss", invariant);
        var seededConversations = 0;
        var results = new List<(long Messages, List<Timing> Timings)>();
        foreach (var step in settings.Steps)
        {
            var missing = step - stored;
            if (missing > 0)
            {
                var conversations = (int)Math.Ceiling(missing / (double)settings.PerConversation);
                var elapsed = await SeedMoreAsync(settings, session.BrandId, run, seededConversations, conversations, cancellationToken);
                seededConversations += conversations;
                stored += (long)conversations * settings.PerConversation;
                Console.WriteLine(string.Create(invariant, $"  seeded           {conversations} conversations x {settings.PerConversation} messages in {elapsed.TotalSeconds:0.0} s"));
            }
            var timings = await MeasureAsync(session, probes, settings, cancellationToken);
            results.Add((stored, timings));
            foreach (var t in timings)
                Console.WriteLine(string.Create(invariant, $"  {stored,12:N0} msgs  {t.Query,-16} p50 {t.P50,7:0.00} ms  p99 {t.P99,7:0.00} ms  errors {t.Errors}"));
        }

        var first = results[0].Timings;
        var last = results[^1].Timings;
        var ratios = first.Zip(last, (a, b) => (a.Query, Ratio: b.P99 / a.P99)).ToList();
        foreach (var (query, ratio) in ratios)
            Console.WriteLine(string.Create(invariant, $"  p99 ratio        {query,-16} {ratio:0.00} ({results[^1].Messages:N0} vs {results[0].Messages:N0} messages)"));
        var errors = results.Sum(r => r.Timings.Sum(t => t.Errors));
        var passed = errors == 0;
        var perQuery = string.Join(' ', first.Zip(last, (a, b) => string.Create(invariant,
            $"{a.Query}_p99_first={a.P99:0.00} {a.Query}_p99_last={b.P99:0.00} {a.Query}_ratio={b.P99 / a.P99:0.00}")));
        Console.WriteLine(string.Create(invariant,
            $"RESULT mode=growth messages_first={results[0].Messages} messages_last={results[^1].Messages} {perQuery} errors={errors} verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }

    /// <summary>Customers who wrote over HTTP, each with a conversation of a few messages.</summary>
    private static async Task<List<Probe>> MakeProbesAsync(BrandSession session, GrowthSettings settings, CancellationToken cancellationToken)
    {
        var probes = new List<Probe>();
        for (var i = 0; i < settings.Probes; i++)
        {
            InboundAccepted? last = null;
            for (var m = 0; m < 60; m++)
            {
                var outcome = await session.SendInboundAsync($"probe-{i}-{m}", $"probe-user-{i}", "Where is my parcel?", cancellationToken);
                last = outcome.Accepted ?? throw new InvalidOperationException($"A probe message was refused: {outcome.ErrorKind} {outcome.ErrorDetail}");
            }
            probes.Add(new Probe(last!.CustomerId, last.ConversationId, last.Seq));
        }
        return probes;
    }

    private static Task<TimeSpan> SeedMoreAsync(GrowthSettings settings, string brandId, string run, int already, int conversations,
        CancellationToken cancellationToken) =>
        // Each step seeds a run of its own so conversation ids never collide with the previous step's.
        ConversationSeeder.SeedAsync(settings.Target, brandId, BrandSession.ChannelId, $"{run}s{already}", conversations,
            settings.PerConversation, cancellationToken);

    private static async Task<List<Timing>> MeasureAsync(BrandSession session, List<Probe> probes, GrowthSettings settings,
        CancellationToken cancellationToken)
    {
        var brand = session.BrandId;
        var queries = new (string Name, Func<Probe, string> Path)[]
        {
            ("inbox", _ => $"v1/brands/{brand}/conversations?limit=50"),
            ("conversation", p => $"v1/brands/{brand}/conversations/{p.ConversationId}"),
            ("latest-messages", p => $"v1/brands/{brand}/conversations/{p.ConversationId}/messages?afterSeq={Math.Max(0, p.LastSeq - 50)}&limit=50"),
            ("customer", p => $"v1/brands/{brand}/customers/{p.CustomerId}"),
        };
        var timings = new List<Timing>();
        foreach (var (name, path) in queries)
        {
            // A short warm-up, so the first step is not charged for cold caches and JIT.
            await TimeAsync(session, probes, path, Math.Min(100, settings.Samples), settings.Connections, cancellationToken);
            var (latencies, errors) = await TimeAsync(session, probes, path, settings.Samples, settings.Connections, cancellationToken);
            timings.Add(new Timing(name, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), errors));
        }
        return timings;
    }

    private static async Task<(double[] Latencies, int Errors)> TimeAsync(BrandSession session, List<Probe> probes, Func<Probe, string> path,
        int samples, int connections, CancellationToken cancellationToken)
    {
        var latencies = new double[samples];
        var next = -1;
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < samples; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await session.Http.GetAsync(path(probes[i % probes.Count]), cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }, cancellationToken)));
        Array.Sort(latencies);
        return (latencies, errors);
    }
}
