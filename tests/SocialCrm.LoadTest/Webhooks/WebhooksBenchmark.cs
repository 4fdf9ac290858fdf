using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.Webhooks;

/// <summary>The knobs of the <c>webhooks</c> mode.</summary>
public sealed record WebhooksSettings(
    Uri Url,
    string BootstrapKey,
    int Connections,
    int Conversations,
    TimeSpan Duration,
    TimeSpan DrainLimit,
    long MaxMessages,
    int? ServerPid)
{
    public static WebhooksSettings From(Arguments args)
    {
        var settings = new WebhooksSettings(
            args.LoopbackUrl("url"),
            args.Text("bootstrap-key"),
            args.Int("connections", 16, 1, 1024),
            args.Int("conversations", 200, 1, 1_000_000),
            args.Seconds("seconds", 20, 1, 3600),
            args.Seconds("drain-seconds", 180, 1, 3600),
            args.Int("max-messages", 1_000_000, 1, int.MaxValue),
            args.Int("server-pid", 0, 0, int.MaxValue) is > 0 and var pid ? pid : null);
        args.RefuseUnknown();
        return settings;
    }
}

public sealed record RegisterWebhookRequest(string Id, string Url, string Secret, IReadOnlyList<string> Events);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterWebhookRequest))]
internal sealed partial class WebhooksJson : JsonSerializerContext;

/// <summary>
/// Bot webhooks under load: a receiver of our own on loopback, a <c>message.created</c> webhook
/// pointing at it, then N connections posting inbound messages in closed loops for T seconds over
/// M private conversations. Then it waits (bounded) until every acked message has been delivered,
/// and reports the delivery rate and the latency from the ack (the moment the client had the 202)
/// to the delivery's arrival at the receiver, both on this process's clock.
/// </summary>
public static class WebhooksBenchmark
{
    private const string WebhookId = "bench-receiver";

    public static async Task<int> RunAsync(WebhooksSettings settings, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await using var receiver = await WebhookReceiver.StartAsync(secret, cancellationToken);
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, settings.Connections, cancellationToken);
        Console.WriteLine(string.Create(invariant,
            $"webhooks: receiver at {receiver.Url}; {settings.Connections} connections post inbound messages over {settings.Conversations} conversations for {settings.Duration.TotalSeconds:0.#} s, then up to {settings.DrainLimit.TotalSeconds:0} s for the deliveries to finish, against {settings.Url} (brand {session.BrandId})"));

        // --- First contact: each conversation (and its customer) exists before the webhook does, so
        // the measured load is appends to existing conversations and every delivery is of a measured message. ---
        var firstStarted = Stopwatch.GetTimestamp();
        var firstFailed = 0;
        await Task.WhenAll(Enumerable.Range(0, settings.Connections).Select(worker => Task.Run(async () =>
        {
            foreach (var conversation in ConversationsOf(worker, settings))
            {
                var outcome = await session.SendInboundAsync($"wh-w{worker}-first{conversation}", $"wh-user-{conversation}",
                    "Hello, this is my first message.", cancellationToken);
                if (outcome.Accepted is null) Interlocked.Increment(ref firstFailed);
            }
        }, cancellationToken)));
        Console.WriteLine(string.Create(invariant,
            $"  first contact    {settings.Conversations} conversations opened in {Stopwatch.GetElapsedTime(firstStarted).TotalSeconds:0.0} s ({firstFailed} failed), before the webhook was registered"));
        await RegisterAsync(session, receiver.Url, secret, cancellationToken);

        // --- Load: closed loops, each connection over its own conversations. ---
        var budget = settings.MaxMessages;
        long taken = 0;
        var loadStarted = Stopwatch.GetTimestamp();
        var loadEnds = loadStarted + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var cpuAtStart = CpuSnapshot.Take(settings.ServerPid);
        var tallies = await Task.WhenAll(Enumerable.Range(0, settings.Connections).Select(worker => Task.Run(async () =>
        {
            var tally = new Tally();
            var conversations = ConversationsOf(worker, settings);
            for (var step = 0L; Stopwatch.GetTimestamp() < loadEnds && Interlocked.Increment(ref taken) <= budget; step++)
            {
                var conversation = conversations[step % conversations.Length];
                var outcome = await session.SendInboundAsync($"wh-w{worker}-m{step}", $"wh-user-{conversation}",
                    $"Hello, message {step} in conversation {conversation}: is my parcel on its way?", cancellationToken);
                var answeredAt = Stopwatch.GetTimestamp();
                if (outcome.Accepted is { Duplicate: false } ack) tally.Acks.Add((ack.MessageId, answeredAt));
                else
                {
                    var kind = outcome.Accepted is null ? outcome.ErrorKind ?? "unknown" : "duplicate ack for a new message id";
                    tally.Errors[kind] = tally.Errors.GetValueOrDefault(kind) + 1;
                }
            }
            return tally;
        }, cancellationToken)));
        var loadEnded = Stopwatch.GetTimestamp();
        var loadCpu = CpuSnapshot.Take(settings.ServerPid).Since(cpuAtStart);
        var deliveredDuringLoad = receiver.Distinct;

        // --- Drain: wait until every acked message has arrived, bounded. ---
        var acks = tallies.SelectMany(t => t.Acks).ToList();
        var ackedIds = new HashSet<string>(acks.Select(a => a.MessageId), StringComparer.Ordinal);
        var drainStarted = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(drainStarted) < settings.DrainLimit && ackedIds.Any(id => !receiver.TryGetArrival(id, out _)))
            await Task.Delay(100, cancellationToken);
        // A short grace period, so that a duplicate sent right after the last delivery is counted too.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var drainCpu = CpuSnapshot.Take(settings.ServerPid).Since(cpuAtStart);

        // --- Figures. ---
        var latencies = new List<double>(acks.Count);
        var missing = 0;
        foreach (var (messageId, ackedAt) in acks)
        {
            if (receiver.TryGetArrival(messageId, out var arrivedAt)) latencies.Add(Stopwatch.GetElapsedTime(ackedAt, arrivedAt).TotalMilliseconds);
            else missing++;
        }
        latencies.Sort();
        var delivered = latencies.Count;
        var beforeAck = latencies.Count(l => l < 0);
        var unexpected = receiver.MessageIds.Count(id => !ackedIds.Contains(id));
        var loadSeconds = Stopwatch.GetElapsedTime(loadStarted, loadEnded).TotalSeconds;
        var lastArrival = receiver.LastArrival;
        var spanSeconds = lastArrival > loadStarted ? Stopwatch.GetElapsedTime(loadStarted, lastArrival).TotalSeconds : double.NaN;
        var drainSeconds = lastArrival > loadEnded ? Stopwatch.GetElapsedTime(loadEnded, lastArrival).TotalSeconds : 0;
        var deliveriesPerSecond = receiver.Distinct / spanSeconds;
        var loadDeliveriesPerSecond = deliveredDuringLoad / loadSeconds;
        var ackedPerSecond = acks.Count / loadSeconds;
        var (p50, p95, p99) = (Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 95), Percentiles.Of(latencies, 99));
        var max = latencies.Count == 0 ? double.NaN : latencies[^1];
        var errors = tallies.SelectMany(t => t.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));

        Console.WriteLine(string.Create(invariant,
            $"  load             {acks.Count} acked in {loadSeconds:0.0} s ({ackedPerSecond:0.0} msgs/s), {errors.Values.Sum()} errors{string.Concat(errors.Select(e => $"; {e.Value} x {e.Key}"))}"));
        Console.WriteLine(string.Create(invariant,
            $"  deliveries/s     {deliveriesPerSecond:0.0} from the first message to the last delivery ({receiver.Distinct} in {spanSeconds:0.0} s); {loadDeliveriesPerSecond:0.0} while the load ran ({deliveredDuringLoad} in {loadSeconds:0.0} s); the last arrived {drainSeconds:0.0} s after the load stopped"));
        Console.WriteLine(string.Create(invariant,
            $"  ack -> delivery  ms p50 {p50:0.0}  p95 {p95:0.0}  p99 {p99:0.0}  max {max:0.0}  ({beforeAck} arrived before the client had its ack)"));
        Console.WriteLine(
            $"  counts           acked {acks.Count}, delivered {delivered}, duplicates {receiver.Duplicates}, missing {missing}, " +
            $"delivered without an ack {unexpected}, bad signatures {receiver.BadSignatures}, unreadable {receiver.Unreadable}, other events {receiver.OtherTypes}");
        Console.WriteLine($"  cpu (load)       {loadCpu.Describe()}");
        Console.WriteLine($"  cpu (to drained) {drainCpu.Describe()}");

        var passed = missing == 0 && receiver.BadSignatures == 0 && receiver.Unreadable == 0 && acks.Count > 0;
        if (missing > 0) Console.WriteLine($"  ** {missing} acked messages were not delivered within {settings.DrainLimit.TotalSeconds:0} s **");
        Console.WriteLine(string.Create(invariant,
            $"RESULT mode=webhooks connections={settings.Connections} conversations={settings.Conversations} seconds={settings.Duration.TotalSeconds:0.#} " +
            $"acked={acks.Count} acked_per_s={ackedPerSecond:0.0} delivered={delivered} duplicates={receiver.Duplicates} missing={missing} unexpected={unexpected} " +
            $"deliveries_per_s={deliveriesPerSecond:0.0} load_deliveries_per_s={loadDeliveriesPerSecond:0.0} drain_s={drainSeconds:0.0} " +
            $"p50_ms={p50:0.0} p95_ms={p95:0.0} p99_ms={p99:0.0} max_ms={max:0.0} before_ack={beforeAck} bad_signatures={receiver.BadSignatures} " +
            $"errors={errors.Values.Sum()} verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }

    /// <summary>Each connection cycles over its own conversations; with fewer conversations than connections, connections share them.</summary>
    private static int[] ConversationsOf(int worker, WebhooksSettings settings) =>
        settings.Conversations >= settings.Connections
            ? Enumerable.Range(0, settings.Conversations).Where(c => c % settings.Connections == worker).ToArray()
            : [worker % settings.Conversations];

    private sealed class Tally
    {
        public List<(string MessageId, long AckedAt)> Acks { get; } = [];

        public Dictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);
    }

    private static async Task RegisterAsync(BrandSession session, Uri receiverUrl, string secret, CancellationToken cancellationToken)
    {
        using var response = await session.Http.PostAsJsonAsync($"v1/brands/{session.BrandId}/webhooks",
            new RegisterWebhookRequest(WebhookId, receiverUrl.AbsoluteUri, secret, ["message.created"]), WebhooksJson.Default.RegisterWebhookRequest,
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"Registering the webhook at {receiverUrl} was refused (start the service with Webhooks__AllowPrivateNetworks=true for a loopback URL): {BrandSession.Shorten(problem)}");
        }
        await BrandSession.EnsureSuccessAsync(response, "Registering the webhook", cancellationToken);
    }
}
