using System.Diagnostics;
using System.Globalization;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.Inbound;

/// <summary>The knobs of the <c>inbound</c> mode.</summary>
public sealed record InboundSettings(
    IReadOnlyList<Uri> Urls,
    string BootstrapKey,
    int Connections,
    int Conversations,
    TimeSpan Duration,
    TimeSpan Warmup,
    long MaxMessages,
    int TextLength,
    bool FirstContact,
    int? ServerPid,
    bool Bare = false,
    double Rate = 0,
    InboundTexts Texts = InboundTexts.Filler)
{
    public static InboundSettings From(Arguments args)
    {
        var settings = new InboundSettings(
            args.Urls("url"),
            args.Text("bootstrap-key"),
            args.Int("connections", 64, 1, 1024),
            args.Int("conversations", 2000, 1, 1_000_000),
            args.Seconds("seconds", 20, 1, 3600),
            args.Seconds("warmup", 5, 0, 600),
            args.Int("max-messages", 10_000_000, 1, int.MaxValue),
            args.Int("text-length", 64, 1, 60_000),
            args.Int("first-contact", 1, 0, 1) == 1,
            args.Int("server-pid", 0, 0, int.MaxValue) is > 0 and var pid ? pid : null,
            Rate: args.Int("rate", 0, 0, 1_000_000),
            Texts: args.Text("texts", "filler") switch
            {
                "filler" => InboundTexts.Filler,
                "customer" => InboundTexts.Customer,
                var other => throw new UsageException($"--texts must be filler or customer, not '{other}'."),
            });
        args.RefuseUnknown();
        return settings;
    }
}

/// <summary>
/// Durable inbound throughput: N connections, each a closed loop (send, await the ack, send again)
/// over its own share of M private conversations. First every conversation gets its first message
/// (first contact: a new customer and a new conversation, measured apart), then a warm-up, then
/// the measured window. Every acked message is then read back and checked to be stored exactly once.
/// </summary>
public static class InboundBenchmark
{
    public static async Task<int> RunAsync(InboundSettings settings, CancellationToken cancellationToken)
    {
        using var session = settings.Bare
            ? BrandSession.ForBareEndpoint(settings.Urls, settings.Connections)
            : await BrandSession.CreateAsync(settings.Urls, settings.BootstrapKey, settings.Connections, cancellationToken);
        var invariant = CultureInfo.InvariantCulture;
        var mode = settings.Bare ? "bare" : "inbound";
        Console.WriteLine(string.Create(invariant,
            $"{mode}: {(settings.Rate > 0 ? $"{settings.Rate:0} msgs/s paced over " : "")}{settings.Connections} connections over {settings.Conversations} conversations, {(settings.FirstContact ? "first contact with each, then " : "")}{settings.Warmup.TotalSeconds:0.#} s warm-up, then {settings.Duration.TotalSeconds:0.#} s measured, against {string.Join(", ", settings.Urls)} (brand {session.BrandId}); texts: {(settings.Texts == InboundTexts.Customer ? $"{CustomerMessages.All.Count} varied customer messages" : $"one filler text of {settings.TextLength} characters")}"));

        IReadOnlyList<string> texts = settings.Texts == InboundTexts.Customer ? CustomerMessages.All : [MessageText(settings.TextLength)];
        var budget = new MessageBudget(settings.MaxMessages);
        var firstContact = Array.Empty<WorkerTally>();
        var firstContactTime = TimeSpan.Zero;
        if (settings.FirstContact)
        {
            var firstContactStarted = Stopwatch.GetTimestamp();
            firstContact = await Task.WhenAll(Enumerable.Range(0, settings.Connections)
                .Select(worker => Task.Run(() => FirstContactAsync(worker, session, settings, budget, texts, cancellationToken), cancellationToken)));
            firstContactTime = Stopwatch.GetElapsedTime(firstContactStarted);
        }

        var window = MeasuredWindow.StartingNow(settings.Warmup, settings.Duration);
        var workers = Enumerable.Range(0, settings.Connections)
            .Select(worker => Task.Run(() => SteadyLoadAsync(worker, session, settings, window, budget, texts, cancellationToken), cancellationToken))
            .ToArray();
        await window.DelayUntilStartAsync(cancellationToken);
        var cpuAtStart = CpuSnapshot.Take(settings.ServerPid);
        await window.DelayUntilEndAsync(cancellationToken);
        var cpu = CpuSnapshot.Take(settings.ServerPid).Since(cpuAtStart);
        var steady = await Task.WhenAll(workers);

        var all = firstContact.Concat(steady).ToList();
        var latencies = steady.SelectMany(t => t.MeasuredLatenciesMs).Order().ToArray();
        var firstLatencies = firstContact.SelectMany(t => t.MeasuredLatenciesMs).Order().ToArray();
        var acks = all.SelectMany(t => t.Acks).ToList();
        var errors = WorkerTally.MergeErrors(all);
        var totalErrors = errors.Values.Sum(e => e.Count);
        var measuredErrors = steady.Sum(t => t.MeasuredErrors);
        var msgsPerSecond = latencies.Length / settings.Duration.TotalSeconds;
        var firstPerSecond = firstContactTime > TimeSpan.Zero ? firstLatencies.Length / firstContactTime.TotalSeconds : double.NaN;
        var (p50, p95, p99) = (Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 95), Percentiles.Of(latencies, 99));
        var max = latencies.Length == 0 ? double.NaN : latencies[^1];

        // The bare endpoint stores nothing: there is nothing to read back.
        var readers = Math.Min(settings.Connections, 32);
        var verification = settings.Bare ? null : await MessageLogVerifier.VerifyAsync(session, acks, readers, cancellationToken);
        var threads = settings.Bare ? null : ConversationMapping.Check(all.SelectMany(t => t.UserConversations));

        if (settings.FirstContact)
        {
            Console.WriteLine(string.Create(invariant,
                $"  first contact    {firstLatencies.Length} conversations opened in {firstContactTime.TotalSeconds:0.0} s = {firstPerSecond:0.0} msgs/s; latency ms p50 {Percentiles.Of(firstLatencies, 50):0.00}  p99 {Percentiles.Of(firstLatencies, 99):0.00}  (each: a new customer, identity and conversation)"));
        }
        Console.WriteLine(string.Create(invariant, $"  durable msgs/s   {msgsPerSecond:0.0}  ({latencies.Length} acked within the measured {settings.Duration.TotalSeconds:0.#} s; {acks.Count} acked in all)"));
        Console.WriteLine(string.Create(invariant, $"  ack latency ms   p50 {p50:0.00}  p95 {p95:0.00}  p99 {p99:0.00}  max {max:0.00}"));
        Console.WriteLine($"  errors           {totalErrors} in all, {measuredErrors} in the measured window");
        foreach (var (kind, (count, sample)) in errors.OrderByDescending(e => e.Value.Count))
            Console.WriteLine($"                     {count} x {kind}: {sample}");
        if (verification is not null) Console.WriteLine($"  verified         {verification.Describe()}");
        if (threads is not null) Console.WriteLine($"  threads          {threads.Describe()}");
        Console.WriteLine($"  cpu (measured)   {cpu.Describe()}");
        if (budget.Exhausted) Console.WriteLine($"  note             --max-messages {settings.MaxMessages} ran out before the window ended: msgs/s is understated.");

        var passed = (verification?.Passed ?? true) && (threads?.Passed ?? true) && latencies.Length > 0;
        Console.WriteLine(string.Create(invariant,
            $"RESULT mode={mode} msgs_per_s={msgsPerSecond:0.0} p50_ms={p50:0.00} p95_ms={p95:0.00} p99_ms={p99:0.00} max_ms={max:0.00} " +
            $"first_contact_msgs_per_s={firstPerSecond:0.0} errors={totalErrors} measured_errors={measuredErrors} acked={acks.Count} verified={verification?.Verified ?? 0} " +
            $"missing={verification?.Missing ?? 0} duplicated={verification?.Duplicated ?? 0} mismatched={verification?.Mismatched ?? 0} " +
            $"gaps={verification?.ConversationsWithGaps ?? 0} stored_without_ack={verification?.StoredWithoutAck ?? 0} nodes={settings.Urls.Count} " +
            $"machine_busy_pct={cpu.MachineBusyPercent:0} client_cores={cpu.ClientCores:0.00} service_cores={cpu.ServerCores ?? double.NaN:0.00} " +
            $"verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }

    /// <summary>One message to each of the worker's conversations: the first contact, so the measured window sees only existing threads.</summary>
    private static async Task<WorkerTally> FirstContactAsync(int worker, BrandSession session, InboundSettings settings, MessageBudget budget,
        IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var tally = new WorkerTally();
        foreach (var conversation in ConversationsOf(worker, settings.Connections, settings.Conversations))
        {
            if (!budget.TryTake()) break;
            await SendAsync(session, worker, tally, $"w{worker}-first{conversation}", conversation, TextAt(texts, conversation), MeasuredWindow.Always,
                cancellationToken);
        }
        return tally;
    }

    private static async Task<WorkerTally> SteadyLoadAsync(int worker, BrandSession session, InboundSettings settings, MeasuredWindow window,
        MessageBudget budget, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var tally = new WorkerTally();
        var conversations = ConversationsOf(worker, settings.Connections, settings.Conversations);
        // With --rate, each connection sends on a fixed schedule (its share of the rate), so latency is
        // measured at a chosen load rather than at saturation; a late answer does not shift the schedule.
        var interval = settings.Rate > 0 ? (long)(Stopwatch.Frequency * settings.Connections / settings.Rate) : 0;
        var due = Stopwatch.GetTimestamp() + (interval > 0 ? Random.Shared.NextInt64(interval) : 0);
        // Bounded twice: by the window's end and by the run's message budget.
        for (var step = 0L; !window.HasEnded && budget.TryTake(); step++)
        {
            if (interval > 0)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
                due += interval;
            }
            var conversation = conversations[step % conversations.Length];
            // Each conversation moves through the texts, and neighbouring conversations start at different ones.
            await SendAsync(session, worker, tally, $"w{worker}-m{step}", conversation, TextAt(texts, conversation + step), window, cancellationToken);
        }
        return tally;
    }

    private static async Task SendAsync(BrandSession session, int worker, WorkerTally tally, string externalMessageId, int conversation, string text,
        MeasuredWindow window, CancellationToken cancellationToken)
    {
        var externalUserId = $"user-{conversation}";
        var sentAt = Stopwatch.GetTimestamp();
        var outcome = await session.SendInboundAsync(worker, externalMessageId, externalUserId, text, cancellationToken);
        var answeredAt = Stopwatch.GetTimestamp();
        var measured = window.Contains(answeredAt);
        if (outcome.Accepted is { Duplicate: false } ack)
        {
            tally.Acks.Add(new AckedMessage(externalMessageId, ack.ConversationId, ack.MessageId, ack.Seq));
            tally.UserConversations.Add((externalUserId, ack.ConversationId));
            if (measured) tally.MeasuredLatenciesMs.Add(Stopwatch.GetElapsedTime(sentAt, answeredAt).TotalMilliseconds);
        }
        else if (outcome.Accepted is not null)
        {
            // Every id is new in a fresh brand: a duplicate answer would mean the service confused two messages.
            tally.CountError("duplicate ack for a new message id", outcome.Accepted.ToString(), measured);
        }
        else
        {
            tally.CountError(outcome.ErrorKind ?? "unknown", outcome.ErrorDetail, measured);
        }
    }

    /// <summary>
    /// Each connection cycles over its own conversations, so two requests rarely queue on one
    /// conversation grain (whose appends are serial by design); with fewer conversations than
    /// connections, connections share them.
    /// </summary>
    private static int[] ConversationsOf(int worker, int connections, int conversations) =>
        conversations >= connections
            ? Enumerable.Range(0, conversations).Where(c => c % connections == worker).ToArray()
            : [worker % conversations];

    private static string TextAt(IReadOnlyList<string> texts, long index) => texts[(int)(index % texts.Count)];

    private static string MessageText(int length)
    {
        const string sample = "Hi! My order still has not arrived, could you tell me where it is? ";
        var text = string.Concat(Enumerable.Repeat(sample, length / sample.Length + 1));
        return text[..length];
    }
}

/// <summary>What one connection saw.</summary>
internal sealed class WorkerTally
{
    public List<AckedMessage> Acks { get; } = [];

    public List<double> MeasuredLatenciesMs { get; } = [];

    /// <summary>(externalUserId, conversationId) of every ack, to check the private thread mapping.</summary>
    public List<(string ExternalUserId, string ConversationId)> UserConversations { get; } = [];

    public Dictionary<string, (int Count, string? Sample)> Errors { get; } = new(StringComparer.Ordinal);

    public int MeasuredErrors { get; private set; }

    public void CountError(string kind, string? detail, bool measured)
    {
        Errors[kind] = Errors.TryGetValue(kind, out var seen) ? (seen.Count + 1, seen.Sample) : (1, detail);
        if (measured) MeasuredErrors++;
    }

    public static Dictionary<string, (int Count, string? Sample)> MergeErrors(IEnumerable<WorkerTally> tallies)
    {
        var merged = new Dictionary<string, (int Count, string? Sample)>(StringComparer.Ordinal);
        foreach (var (kind, (count, sample)) in tallies.SelectMany(t => t.Errors))
            merged[kind] = merged.TryGetValue(kind, out var seen) ? (seen.Count + count, seen.Sample) : (count, sample);
        return merged;
    }
}

/// <summary>A private message belongs to its customer's one private conversation on the channel (docs/api.md, Inbound).</summary>
internal sealed record ConversationMapping(int Users, int Conversations, int UsersInSeveral, int SharedConversations)
{
    public bool Passed => UsersInSeveral == 0 && SharedConversations == 0;

    public static ConversationMapping Check(IEnumerable<(string ExternalUserId, string ConversationId)> pairs)
    {
        var distinct = pairs.Distinct().ToList();
        var usersInSeveral = distinct.GroupBy(p => p.ExternalUserId).Count(g => g.Count() > 1);
        var sharedConversations = distinct.GroupBy(p => p.ConversationId).Count(g => g.Count() > 1);
        return new ConversationMapping(distinct.Select(p => p.ExternalUserId).Distinct().Count(),
            distinct.Select(p => p.ConversationId).Distinct().Count(), usersInSeveral, sharedConversations);
    }

    public string Describe() =>
        $"{Users} users -> {Conversations} private conversations ({UsersInSeveral} users split over several, {SharedConversations} conversations shared)" +
        (Passed ? "" : "  ** MAPPING FAILED **");
}

/// <summary>The warm-up and measured window of a run, on the <see cref="Stopwatch"/> clock.</summary>
internal sealed class MeasuredWindow
{
    private readonly long _start;
    private readonly long _end;

    private MeasuredWindow(long start, long end)
    {
        _start = start;
        _end = end;
    }

    /// <summary>A window that counts everything (the first-contact phase).</summary>
    public static MeasuredWindow Always { get; } = new(long.MinValue, long.MaxValue);

    public static MeasuredWindow StartingNow(TimeSpan warmup, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp() + Ticks(warmup);
        return new MeasuredWindow(start, start + Ticks(duration));
    }

    public bool HasEnded => Stopwatch.GetTimestamp() >= _end;

    public bool Contains(long timestamp) => timestamp >= _start && timestamp < _end;

    public Task DelayUntilStartAsync(CancellationToken cancellationToken) => DelayUntilAsync(_start, cancellationToken);

    public Task DelayUntilEndAsync(CancellationToken cancellationToken) => DelayUntilAsync(_end, cancellationToken);

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>A cap on the messages one run may send, shared by its connections.</summary>
internal sealed class MessageBudget(long limit)
{
    private long _taken;

    public bool Exhausted => Interlocked.Read(ref _taken) >= limit;

    public bool TryTake() => Interlocked.Increment(ref _taken) <= limit;
}
