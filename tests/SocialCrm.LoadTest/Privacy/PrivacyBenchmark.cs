using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SocialCrm.LoadTest.Measurement;
using SocialCrm.LoadTest.Service;

namespace SocialCrm.LoadTest.Privacy;

/// <summary>The knobs of the <c>privacy</c> mode.</summary>
public sealed record PrivacySettings(
    Uri Url,
    string BootstrapKey,
    int Conversations,
    int MessagesPerConversation,
    int Connections,
    int OtherCustomers,
    int OtherMessages,
    TimeSpan RequestTimeout,
    string? DatabasePath,
    int? ServerPid)
{
    public static PrivacySettings From(Arguments args)
    {
        var settings = new PrivacySettings(
            args.LoopbackUrl("url"),
            args.Text("bootstrap-key"),
            args.Int("conversations", 100, 1, 10_000),
            args.Int("messages-per-conversation", 100, 1, 100_000),
            args.Int("connections", 50, 1, 1024),
            args.Int("other-customers", 5, 1, 1000),
            args.Int("other-messages", 20, 1, 100_000),
            args.Seconds("request-timeout", 600, 1, 86_400),
            args.Text("db", "") is { Length: > 0 } db ? db : null,
            args.Int("server-pid", 0, 0, int.MaxValue) is > 0 and var pid ? pid : null);
        args.RefuseUnknown();
        return settings;
    }

    public int SubjectMessages => Conversations * MessagesPerConversation;
}

/// <summary>
/// The cost of the two data-subject rights on a customer with a long history: one customer writes
/// on C web-chat channels (one private conversation each, as on the platforms) M messages apiece,
/// beside a few other customers; then the access export is timed and checked to hold every one of
/// the customer's messages, and the erasure is timed and checked (the profile answers 410, the
/// customer's text is gone from their conversations, the other customers' messages are intact).
/// </summary>
public static class PrivacyBenchmark
{
    private const string SubjectUserId = "privacy-subject";
    private const int MaxAttempts = 3;
    private const int PageSize = 200;
    private const int MaxPages = 100_000;

    public static async Task<int> RunAsync(PrivacySettings settings, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        using var session = await BrandSession.CreateAsync(settings.Url, settings.BootstrapKey, settings.Connections, cancellationToken);
        using var untimed = session.CreateUntimedClient();
        Console.WriteLine(string.Create(invariant,
            $"privacy: one customer with {settings.SubjectMessages} messages in {settings.Conversations} private conversations ({settings.Conversations} web-chat channels x {settings.MessagesPerConversation}), beside {settings.OtherCustomers} other customers x {settings.OtherMessages}, against {settings.Url} (brand {session.BrandId})"));

        // --- Setup: the channels, then every customer's messages, concurrently across channels. ---
        var channels = Enumerable.Range(0, settings.Conversations).Select(i => $"pc-{i:D4}").ToArray();
        var setupStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(channels, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (channel, token) => await session.CreateWebChatChannelAsync(channel, "site-" + channel, token));

        var work = channels.Select((channel, i) => new Writer(SubjectUserId, channel, $"s{i}", settings.MessagesPerConversation))
            .Concat(Enumerable.Range(0, settings.OtherCustomers)
                .Select(k => new Writer($"privacy-other-{k}", channels[k % channels.Length], $"o{k}", settings.OtherMessages)))
            .ToList();
        var acks = new ConcurrentBag<SentMessage>();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(work,
            new ParallelOptions { MaxDegreeOfParallelism = settings.Connections, CancellationToken = cancellationToken },
            async (writer, token) =>
            {
                for (var n = 1; n <= writer.Count; n++)
                {
                    var externalId = $"{writer.Prefix}-m{n}";
                    var text = $"Message {n} from {writer.UserId} on {writer.Channel}: my address is {n} Privacy Lane, call me on 555-{n:D4}.";
                    var outcome = default(InboundOutcome);
                    // A retry with the same externalMessageId is deduplicated by the service, so it cannot store twice.
                    for (var attempt = 1; attempt <= MaxAttempts; attempt++)
                    {
                        outcome = await session.SendInboundAsync(writer.Channel, externalId, writer.UserId, text, token);
                        if (outcome.Accepted is not null) break;
                    }
                    if (outcome.Accepted is { } ack)
                        acks.Add(new SentMessage(writer.UserId, writer.Channel, externalId, text, ack.ConversationId, ack.CustomerId, ack.MessageId));
                    else
                        failures.AddOrUpdate($"{outcome.ErrorKind}: {outcome.ErrorDetail}", 1, (_, c) => c + 1);
                }
            });
        var setupTime = Stopwatch.GetElapsedTime(setupStarted);

        var subjectAcks = acks.Where(a => a.UserId == SubjectUserId).ToList();
        var otherAcks = acks.Where(a => a.UserId != SubjectUserId).ToList();
        var subjectCustomers = subjectAcks.Select(a => a.CustomerId).Distinct(StringComparer.Ordinal).ToList();
        var subjectConversations = subjectAcks.Select(a => a.ConversationId).Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine(string.Create(invariant,
            $"  setup            {acks.Count} messages acked in {setupTime.TotalSeconds:0.0} s ({acks.Count / setupTime.TotalSeconds:0} msgs/s, {settings.Connections} connections); the customer: {subjectAcks.Count} messages in {subjectConversations} conversations under {subjectCustomers.Count} customer id(s); {failures.Values.Sum()} failed"));
        foreach (var (kind, count) in failures) Console.WriteLine($"                     {count} x {kind}");
        if (subjectCustomers.Count != 1 || subjectAcks.Count != settings.SubjectMessages || subjectConversations != settings.Conversations)
        {
            Console.WriteLine("  ** SETUP FAILED: the customer does not have the messages the run needs **");
            Console.WriteLine($"RESULT mode=privacy verification=FAILED setup_acked={subjectAcks.Count} customers={subjectCustomers.Count}");
            return 1;
        }
        var subjectId = subjectCustomers[0];
        var otherCustomerIds = otherAcks.Select(a => a.CustomerId).Distinct(StringComparer.Ordinal).ToList();

        // --- The access export. ---
        var exportCpuStart = CpuSnapshot.Take(settings.ServerPid);
        var exportStarted = Stopwatch.GetTimestamp();
        var (exportStatus, exportBody) = await GetBytesAsync(untimed, $"v1/brands/{session.BrandId}/customers/{subjectId}/export",
            settings.RequestTimeout, cancellationToken);
        var exportTime = Stopwatch.GetElapsedTime(exportStarted);
        var exportCpu = CpuSnapshot.Take(settings.ServerPid).Since(exportCpuStart);
        var export = exportStatus == HttpStatusCode.OK
            ? ExportCheck.Of(exportBody, subjectId, subjectAcks, otherAcks)
            : ExportCheck.Failed($"http {(int)exportStatus}: {BrandSession.Shorten(System.Text.Encoding.UTF8.GetString(exportBody))}");
        Console.WriteLine(string.Create(invariant,
            $"  export           {exportTime.TotalSeconds:0.000} s, {exportBody.Length} bytes ({exportBody.Length / 1048576.0:0.00} MiB); {export.Describe(settings.SubjectMessages, settings.Conversations)}"));
        Console.WriteLine($"  cpu (export)     {exportCpu.Describe()}");

        // --- The erasure. ---
        var databaseBefore = DatabaseSize(settings.DatabasePath);
        var eraseCpuStart = CpuSnapshot.Take(settings.ServerPid);
        var eraseStarted = Stopwatch.GetTimestamp();
        var (eraseStatus, eraseBody) = await SendAsync(untimed, HttpMethod.Delete, $"v1/brands/{session.BrandId}/customers/{subjectId}",
            settings.RequestTimeout, cancellationToken);
        var eraseTime = Stopwatch.GetElapsedTime(eraseStarted);
        var eraseCpu = CpuSnapshot.Take(settings.ServerPid).Since(eraseCpuStart);
        var databaseAfter = DatabaseSize(settings.DatabasePath);
        var erasure = eraseStatus == HttpStatusCode.OK ? JsonSerializer.Deserialize(eraseBody, PrivacyJson.Default.ErasureAnswer) : null;
        var eraseOk = erasure?.CustomerId == subjectId;
        Console.WriteLine(string.Create(invariant,
            $"  erase            {eraseTime.TotalSeconds:0.000} s: {(int)eraseStatus} {(eraseOk ? $"erasedAt {erasure!.ErasedAt:O}" : BrandSession.Shorten(System.Text.Encoding.UTF8.GetString(eraseBody)))}") +
            (databaseBefore is { } b && databaseAfter is { } a
                ? string.Create(invariant, $"; embedded database {b / 1048576.0:0.0} MiB before, {a / 1048576.0:0.0} MiB after (the erasure rewrites it: VACUUM)")
                : ""));
        Console.WriteLine($"  cpu (erase)      {eraseCpu.Describe()}");

        // --- After the erasure. ---
        var (profileStatus, profileBody) = await SendAsync(session.Http, HttpMethod.Get, $"v1/brands/{session.BrandId}/customers/{subjectId}",
            settings.RequestTimeout, cancellationToken);
        var profileErased = profileStatus == HttpStatusCode.Gone && System.Text.Encoding.UTF8.GetString(profileBody).Contains("erased", StringComparison.Ordinal);
        var (exportAgainStatus, _) = await SendAsync(untimed, HttpMethod.Get, $"v1/brands/{session.BrandId}/customers/{subjectId}/export",
            settings.RequestTimeout, cancellationToken);
        var leftovers = await SubjectLeftoversAsync(session, subjectId, subjectAcks, settings.Connections, cancellationToken);
        var others = await OthersIntactAsync(session, otherAcks, settings.Connections, cancellationToken);
        Console.WriteLine($"  after erasure    GET customer {(int)profileStatus}{(profileErased ? " erased" : "  ** EXPECTED 410 erased **")}; " +
            $"GET export {(int)exportAgainStatus}{(exportAgainStatus == HttpStatusCode.Gone ? "" : "  ** EXPECTED 410 **")}");
        Console.WriteLine($"                   the customer's conversations: {leftovers.Describe()}");
        Console.WriteLine($"                   other customers ({otherCustomerIds.Count}): {others.Describe()}");

        var passed = export.Passed(settings.SubjectMessages, settings.Conversations) && eraseOk && profileErased
            && exportAgainStatus == HttpStatusCode.Gone && leftovers.Passed && others.Passed && failures.IsEmpty
            && otherCustomerIds.Count == settings.OtherCustomers;
        Console.WriteLine(string.Create(invariant,
            $"RESULT mode=privacy subject_messages={subjectAcks.Count} conversations={subjectConversations} setup_s={setupTime.TotalSeconds:0.0} " +
            $"export_s={exportTime.TotalSeconds:0.000} export_bytes={exportBody.Length} export_mib={exportBody.Length / 1048576.0:0.00} " +
            $"export_messages={export.SubjectMessages} erase_s={eraseTime.TotalSeconds:0.000} " +
            $"db_mib_before_erase={(databaseBefore is { } d ? (d / 1048576.0).ToString("0.0", invariant) : "n/a")} " +
            $"after_profile={(int)profileStatus} readable_after={leftovers.Readable} others_intact={others.Intact}/{others.Expected} " +
            $"verification={(passed ? "passed" : "FAILED")}"));
        return passed ? 0 : 1;
    }

    private sealed record Writer(string UserId, string Channel, string Prefix, int Count);

    private sealed record SentMessage(string UserId, string Channel, string ExternalId, string Text, string ConversationId, string CustomerId,
        string MessageId);

    /// <summary>What the export held, checked against what was sent.</summary>
    private sealed record ExportCheck(string? Error, string? ProfileId, int Conversations, int SubjectMessages, int SubjectWithText,
        int MissingAcked, int ForeignCustomerMessages)
    {
        public static ExportCheck Failed(string error) => new(error, null, 0, 0, 0, 0, 0);

        public static ExportCheck Of(byte[] body, string subjectId, List<SentMessage> subjectAcks, List<SentMessage> otherAcks)
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var profileId = root.TryGetProperty("profile", out var profile) && profile.TryGetProperty("id", out var id) ? id.GetString() : null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int conversations = 0, subjectMessages = 0, withText = 0, foreign = 0;
            if (root.TryGetProperty("conversations", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var conversation in list.EnumerateArray())
                {
                    conversations++;
                    if (!conversation.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) continue;
                    foreach (var message in messages.EnumerateArray())
                    {
                        var author = Text(message, "authorType");
                        var authorId = Text(message, "authorId");
                        if (author != "customer") continue;
                        if (authorId != subjectId)
                        {
                            foreign++;
                            continue;
                        }
                        subjectMessages++;
                        if (Text(message, "text") is { Length: > 0 }) withText++;
                        if (Text(message, "externalMessageId") is { } externalId) seen.Add(externalId);
                    }
                }
            }
            var missing = subjectAcks.Count(a => !seen.Contains(a.ExternalId));
            return new ExportCheck(null, profileId, conversations, subjectMessages, withText, missing, foreign);
        }

        public bool Passed(int expectedMessages, int expectedConversations) =>
            Error is null && SubjectMessages == expectedMessages && SubjectWithText == expectedMessages && MissingAcked == 0
            && ForeignCustomerMessages == 0 && Conversations == expectedConversations;

        public string Describe(int expectedMessages, int expectedConversations) =>
            Error is not null
                ? $"** EXPORT FAILED: {Error} **"
                : $"profile {ProfileId}, {Conversations} conversations, {SubjectMessages} of the customer's messages ({SubjectWithText} with their text), " +
                  $"{MissingAcked} acked ones missing, {ForeignCustomerMessages} other customers' messages" +
                  (Passed(expectedMessages, expectedConversations) ? "" : $"  ** EXPECTED {expectedMessages} IN {expectedConversations} **");

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private sealed record Leftovers(int Conversations, int CustomerMessages, int Readable, int Unreadable)
    {
        public bool Passed => Readable == 0;

        public string Describe() =>
            $"{Conversations} read back, {CustomerMessages} of their messages, {Readable} with text still readable" +
            (Unreadable > 0 ? $", {Unreadable} conversations refused (counts as gone)" : "") + (Passed ? "" : "  ** TEXT SURVIVED THE ERASURE **");
    }

    /// <summary>After the erasure, no message of the customer may still show its text in their conversations.</summary>
    private static async Task<Leftovers> SubjectLeftoversAsync(BrandSession session, string subjectId, List<SentMessage> subjectAcks,
        int readers, CancellationToken cancellationToken)
    {
        int messages = 0, readable = 0, unreadable = 0;
        var conversationIds = subjectAcks.Select(a => a.ConversationId).Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(conversationIds, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(readers, 16), CancellationToken = cancellationToken },
            async (conversationId, token) =>
            {
                var all = await ReadConversationAsync(session, conversationId, token);
                if (all is null)
                {
                    Interlocked.Increment(ref unreadable);
                    return;
                }
                foreach (var m in all.Where(m => m.AuthorType == "customer"))
                {
                    Interlocked.Increment(ref messages);
                    if (!m.Redacted || m.Text is { Length: > 0 }) Interlocked.Increment(ref readable);
                }
            });
        return new Leftovers(conversationIds.Count, messages, readable, unreadable);
    }

    private sealed record OthersReport(int Expected, int Intact, int Missing, int Altered)
    {
        public bool Passed => Intact == Expected && Expected > 0;

        public string Describe() =>
            $"{Intact} of {Expected} acked messages intact ({Missing} missing, {Altered} redacted or changed)" + (Passed ? "" : "  ** OTHERS DAMAGED **");
    }

    /// <summary>Every other customer's message is still stored, unredacted, with the text that was sent.</summary>
    private static async Task<OthersReport> OthersIntactAsync(BrandSession session, List<SentMessage> otherAcks, int readers,
        CancellationToken cancellationToken)
    {
        var stored = new ConcurrentDictionary<string, ConversationMessage>(StringComparer.Ordinal);
        var conversationIds = otherAcks.Select(a => a.ConversationId).Distinct(StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(conversationIds, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(readers, 16), CancellationToken = cancellationToken },
            async (conversationId, token) =>
            {
                foreach (var m in await ReadConversationAsync(session, conversationId, token) ?? [])
                    if (m.ExternalMessageId is { } externalId) stored[externalId] = m;
            });
        int intact = 0, missing = 0, altered = 0;
        foreach (var ack in otherAcks)
        {
            if (!stored.TryGetValue(ack.ExternalId, out var m)) missing++;
            else if (m.Redacted || m.Text != ack.Text || m.Id != ack.MessageId || m.AuthorId != ack.CustomerId) altered++;
            else intact++;
        }
        return new OthersReport(otherAcks.Count, intact, missing, altered);
    }

    /// <summary>Every message of a conversation, or null when the service refuses to show it.</summary>
    private static async Task<List<ConversationMessage>?> ReadConversationAsync(BrandSession session, string conversationId, CancellationToken cancellationToken)
    {
        var all = new List<ConversationMessage>();
        long afterSeq = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var path = $"v1/brands/{session.BrandId}/conversations/{Uri.EscapeDataString(conversationId)}/messages?afterSeq={afterSeq}&limit={PageSize}";
            using var response = await session.Http.GetAsync(path, cancellationToken);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
            await BrandSession.EnsureSuccessAsync(response, $"Reading conversation {conversationId}", cancellationToken);
            var result = await response.Content.ReadFromJsonAsync(PrivacyJson.Default.ConversationMessagePage, cancellationToken)
                ?? throw new InvalidOperationException($"Reading conversation {conversationId} returned no body.");
            all.AddRange(result.Items);
            if (result.NextAfterSeq is not { } next) return all;
            afterSeq = next;
        }
        throw new InvalidOperationException($"Conversation {conversationId} has more than {MaxPages * PageSize} messages.");
    }

    /// <summary>The whole body, read to its last byte (so the time covers the transfer), bounded by the request timeout.</summary>
    private static Task<(HttpStatusCode Status, byte[] Body)> GetBytesAsync(HttpClient http, string path, TimeSpan timeout,
        CancellationToken cancellationToken) => SendAsync(http, HttpMethod.Get, path, timeout, cancellationToken);

    private static async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(HttpClient http, HttpMethod method, string path, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        var body = await response.Content.ReadAsByteArrayAsync(bounded.Token);
        return (response.StatusCode, body);
    }

    /// <summary>The embedded database's size on disk (the file and its write-ahead log), when its path was given.</summary>
    private static long? DatabaseSize(string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        long size = new FileInfo(path).Length;
        if (File.Exists(path + "-wal")) size += new FileInfo(path + "-wal").Length;
        return size;
    }
}
